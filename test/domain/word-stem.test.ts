import { describe, expect, it } from "vitest";
import { wordStem } from "../../src/domain/word-stem.ts";

describe("wordStem", () => {
  it("gives a Russian word's case forms one stem", () => {
    for (const form of ["грозный", "грозного", "грозному", "грозным", "грозном"])
      expect(wordStem(form)).toBe("грозн");
  });

  it("gives an English word's forms one stem", () => {
    for (const form of ["flood", "floods", "flooded", "flooding"]) expect(wordStem(form)).toBe("flood");
  });

  it("brings together the nominatives Snowball reads as verb forms and their other cases (Дагестан, Махачкала, Кадыров)", () => {
    expect(wordStem("дагестан")).toBe(wordStem("дагестане"));
    expect(wordStem("махачкала")).toBe(wordStem("махачкале"));
    expect(wordStem("кадыров")).toBe(wordStem("кадырова"));
  });

  it("stops stemming a stem again before it gets shorter than 4 letters", () => {
    expect(wordStem("ереване")).toBe(wordStem("ереван"));
    expect(wordStem("ереван")).not.toBe(wordStem("ера"));
    expect(wordStem("армяне")).not.toBe(wordStem("армия"));
    expect(wordStem("суда")).toBe("суд");
  });

  it("keeps distinct words apart: футбол and футболист", () => {
    expect(wordStem("футбол")).not.toBe(wordStem("футболист"));
  });

  it("leaves words of other scripts, mixed scripts and numbers as they are", () => {
    expect(wordStem("თბილისში")).toBe("თბილისში");
    expect(wordStem("2024")).toBe("2024");
    expect(wordStem("covid19")).toBe("covid19");
    expect(wordStem("мosкva")).toBe("мosкva");
  });
});
