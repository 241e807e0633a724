import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { checkScheduleTime, parseScheduleTime, scheduleChoices } from "../../src/domain/schedule-time.ts";

const zone = "Europe/Moscow";
const now = DateTime.fromISO("2026-12-07T10:20:00", { zone });
const at = (text: string, when = now) => {
  const result = parseScheduleTime(text, when);
  return result.ok ? result.at.toISO({ suppressMilliseconds: true }) : result.reason;
};

describe("parseScheduleTime", () => {
  it("reads a time of day as today in the editor's zone", () => {
    expect(at("12:00")).toBe("2026-12-07T12:00:00+03:00");
    expect(at("18.30")).toBe("2026-12-07T18:30:00+03:00");
  });

  it("reads a day word with a time, in Russian and English", () => {
    expect(at("завтра 9:00")).toBe("2026-12-08T09:00:00+03:00");
    expect(at("Tomorrow 9:00 AM")).toBe("2026-12-08T09:00:00+03:00");
    expect(at("сегодня 23:59")).toBe("2026-12-07T23:59:00+03:00");
    expect(at("послезавтра 7:15")).toBe("2026-12-09T07:15:00+03:00");
  });

  it("reads a date with a time, ISO or day.month", () => {
    expect(at("2026-12-08 09:00")).toBe("2026-12-08T09:00:00+03:00");
    expect(at("08.12 9:00")).toBe("2026-12-08T09:00:00+03:00");
    expect(at("8.12.2026 9:00")).toBe("2026-12-08T09:00:00+03:00");
  });

  it("reads a delay in minutes or hours from now", () => {
    expect(at("+15 мин")).toBe("2026-12-07T10:35:00+03:00");
    expect(at("+1 ч")).toBe("2026-12-07T11:20:00+03:00");
    expect(at("+90m")).toBe("2026-12-07T11:50:00+03:00");
    expect(at("+2 hours")).toBe("2026-12-07T12:20:00+03:00");
  });

  it("refuses a time already past today, and a delay of nothing", () => {
    expect(at("9:00")).toBe("past");
    expect(at("10:20")).toBe("past");
    expect(at("+0 мин")).toBe("past");
  });

  it("refuses a time more than 7 days ahead", () => {
    expect(at("2026-12-14 10:20")).toBe("2026-12-14T10:20:00+03:00");
    expect(at("2026-12-14 10:21")).toBe("too-far");
    expect(at("+200 ч")).toBe("too-far");
  });

  it("refuses what is not a time: words, impossible dates and times, extra parts", () => {
    for (const text of [
      "",
      "скоро",
      "25:00",
      "31.02 9:00",
      "2026-13-01 9:00",
      "завтра",
      "завтра в 9:00",
      "+ мин",
    ]) {
      expect(at(text), text).toBe("format");
    }
  });

  it("reads a day.month already past this year as next year's, then refuses it as too far", () => {
    expect(at("06.12 9:00")).toBe("too-far");
  });

  it("keeps the wall-clock time on the day clocks change", () => {
    const march = DateTime.fromISO("2026-03-28T20:00:00", { zone: "Europe/Berlin" });
    const result = parseScheduleTime("завтра 9:00", march);
    expect(result.ok && result.at.toISO({ suppressMilliseconds: true })).toBe("2026-03-29T09:00:00+02:00");
  });
});

describe("checkScheduleTime", () => {
  it("accepts a minute ahead and refuses now itself", () => {
    expect(checkScheduleTime(now.plus({ minutes: 1 }), now).ok).toBe(true);
    expect(checkScheduleTime(now, now)).toEqual({ ok: false, reason: "past" });
  });
});

describe("scheduleChoices", () => {
  it("offers today's hours at least 15 minutes ahead, then tomorrow's morning, noon and evening", () => {
    const times = scheduleChoices(DateTime.fromISO("2026-12-07T14:40:00", { zone })).map((t) =>
      t.toFormat("dd HH:mm"),
    );
    expect(times).toEqual(["07 15:00", "07 18:00", "07 21:00", "08 09:00", "08 12:00", "08 18:00"]);
    const late = scheduleChoices(DateTime.fromISO("2026-12-07T22:00:00", { zone })).map((t) =>
      t.toFormat("dd HH:mm"),
    );
    expect(late).toEqual(["08 09:00", "08 12:00", "08 18:00"]);
  });
});
