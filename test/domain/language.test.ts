import { describe, expect, it } from "vitest";
import { isLanguage, LANGUAGES } from "../../src/domain/language.ts";

describe("languages", () => {
  it("are Russian and English", () => {
    expect(LANGUAGES).toEqual(["ru", "en"]);
  });

  it("are told apart from anything else", () => {
    for (const lang of LANGUAGES) expect(isLanguage(lang)).toBe(true);
    for (const other of ["RU", "de", "both", "", undefined, null, 1]) expect(isLanguage(other)).toBe(false);
  });
});
