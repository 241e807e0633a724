import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { localTime } from "../../src/domain/alert.ts";
import { auditTime } from "../../src/domain/audit-page.ts";
import { clockTime, dayAndTime, dayMinuteText } from "../../src/domain/clock.ts";
import { renderDigest } from "../../src/domain/digest.ts";
import { formatDayTime } from "../../src/domain/time-input.ts";

// 02:31 in Moscow on 7 December 2026.
const at = DateTime.fromISO("2026-12-06T23:31:00Z");
const zone = "Europe/Moscow";
const words = { title: "Digest", more: (n: number) => `+${n}`, fellOut: (n: number) => `-${n}` };

function digestTime(lang: "ru" | "en", today: boolean): string {
  const items = [
    { seq: 1, headline: "H", url: "https://e.org/", breaking: false, at },
    ...(today
      ? []
      : [{ seq: 2, headline: "Later", url: "https://e.org/2", breaking: false, at: at.plus({ days: 2 }) }]),
  ];
  const [part = ""] = renderDigest(items, { label: "L", zone, lang, fellOut: 0, words });
  const line = part.split("\n").find((l) => l.includes(">H</a>")) ?? "";
  return line.split(" · ")[1] ?? "";
}

describe("how times are written", () => {
  it("uses one time of day per language, luxon's TIME_SIMPLE in its locale: 02:31 in Russian, 2:31 AM in English", () => {
    const local = at.setZone(zone);
    expect(clockTime(local, "ru")).toBe("02:31");
    expect(clockTime(local, "en")).toBe("2:31 AM");
    expect(dayMinuteText(2 * 60 + 31, "ru")).toBe("02:31");
    expect(dayMinuteText(2 * 60 + 31, "en")).toBe("2:31 AM");
  });

  it("writes the same instant with the same clock in alerts, digests, the audit and the readers' settings", () => {
    for (const [lang, clock] of [
      ["ru", "02:31"],
      ["en", "2:31 AM"],
    ] as const) {
      expect(localTime(at.toISO() ?? "", { lang, timeZone: zone }).endsWith(clock)).toBe(true);
      expect(digestTime(lang, true)).toBe(clock);
      expect(digestTime(lang, false).endsWith(clock)).toBe(true);
      expect(auditTime(at.toISO() ?? "", zone, lang, at).endsWith(clock)).toBe(true);
      expect(formatDayTime(2 * 60 + 31, lang)).toBe(clock);
      expect(dayAndTime(at.setZone(zone), lang, { month: "long" }).endsWith(clock)).toBe(true);
    }
  });

  it("puts the day first where the day is shown, in the language's words", () => {
    const local = at.setZone(zone);
    expect(dayAndTime(local, "ru")).toBe("7 дек., 02:31");
    expect(dayAndTime(local, "en")).toBe("Dec 7, 2:31 AM");
    expect(dayAndTime(local, "ru", { month: "long" })).toBe("7 декабря, 02:31");
    expect(dayAndTime(local, "en", { year: true })).toBe("Dec 7, 2026, 2:31 AM");
  });
});
