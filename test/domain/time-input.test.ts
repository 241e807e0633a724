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

  it("reads a time as the English clock writes it, with AM or PM", () => {
    expect(parseDayTime("8:30 PM")).toBe(20 * 60 + 30);
    expect(parseDayTime("8:30pm")).toBe(20 * 60 + 30);
    expect(parseDayTime("12 AM")).toBe(0);
    expect(parseDayTime("12:15 p.m.")).toBe(12 * 60 + 15);
    expect(parseDigestTimes("8:00 AM 7:15 PM")).toEqual({ ok: true, times: [480, 1155] });
    expect(parseQuietHours("11:30 PM - 6:45 AM")).toEqual({ ok: true, quiet: { from: 1410, to: 405 } });
  });

  it("refuses what is not a time of day", () => {
    for (const bad of ["24:00", "8:60", "8:5", "", "eight", "-1", "13:30pm", "0 am", "123"])
      expect(parseDayTime(bad)).toBeUndefined();
  });

  it("writes a time of day the one way of the reader's language, luxon's TIME_SIMPLE", () => {
    expect(formatDayTime(480, "ru")).toBe("08:00");
    expect(formatDayTime(1155, "ru")).toBe("19:15");
    expect(formatDayTime(0, "ru")).toBe("00:00");
    expect(formatDayTime(480, "en")).toBe("8:00 AM");
    expect(formatDayTime(1155, "en")).toBe("7:15 PM");
    expect(formatDayTime(0, "en")).toBe("12:00 AM");
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
