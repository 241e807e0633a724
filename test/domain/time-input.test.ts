import { describe, expect, it } from "vitest";
import {
  formatDayTime,
  parseDayTime,
  parseDigestTimes,
  parseQuietHours,
} from "../../src/domain/time-input.ts";

describe("times of day as readers type them", () => {
  it("reads hours with or without minutes, in the usual separators", () => {
    expect(parseDayTime("8")).toBe(480);
    expect(parseDayTime("8:30")).toBe(510);
    expect(parseDayTime("08.30")).toBe(510);
    expect(parseDayTime(" 23:59 ")).toBe(23 * 60 + 59);
    expect(parseDayTime("0:00")).toBe(0);
    expect(parseDayTime("8ч30")).toBe(510);
  });

  it("refuses what is not a time of day", () => {
    for (const bad of ["24:00", "8:60", "8:5", "", "eight", "-1", "8:30pm", "123"])
      expect(parseDayTime(bad)).toBeUndefined();
  });

  it("writes hours without a leading zero", () => {
    expect(formatDayTime(480)).toBe("8:00");
    expect(formatDayTime(1155)).toBe("19:15");
    expect(formatDayTime(0)).toBe("0:00");
  });

  it("takes one or two digest times, sorted, a repeat counted once, and says why otherwise", () => {
    expect(parseDigestTimes("19:00 8:00")).toEqual({ ok: true, times: [480, 1140] });
    expect(parseDigestTimes("8, 8:00")).toEqual({ ok: true, times: [480] });
    expect(parseDigestTimes("7 12 18")).toEqual({ ok: false, reason: "too-many" });
    expect(parseDigestTimes("morning")).toEqual({ ok: false, reason: "format" });
    expect(parseDigestTimes("  ")).toEqual({ ok: false, reason: "format" });
  });

  it("reads quiet hours across midnight in several spellings, and refuses an empty span", () => {
    const night = { ok: true, quiet: { from: 1380, to: 420 } };
    for (const text of ["23:00-07:00", "23-7", "23:00 – 7:00", "23 7", "с 23 до 7", "from 23 to 7"])
      expect(parseQuietHours(text)).toEqual(night);
    expect(parseQuietHours("0-8")).toEqual({ ok: true, quiet: { from: 0, to: 480 } });
    expect(parseQuietHours("7-7")).toEqual({ ok: false, reason: "same" });
    expect(parseQuietHours("23")).toEqual({ ok: false, reason: "format" });
    expect(parseQuietHours("23-25")).toEqual({ ok: false, reason: "format" });
    expect(parseQuietHours("1-2-3")).toEqual({ ok: false, reason: "format" });
  });
});
