import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  AUDIT_MAX_PAGE,
  auditCallbackData,
  auditNav,
  auditTime,
  parseAuditPage,
  shownDetail,
} from "../../src/domain/audit-page.ts";

describe("audit pages", () => {
  it("round-trips a page through the button's data", () => {
    expect(parseAuditPage(auditCallbackData(0))).toBe(0);
    expect(parseAuditPage(auditCallbackData(7))).toBe(7);
  });

  it("refuses data that is not an audit page or is out of range", () => {
    for (const data of [
      "adm:audit:",
      "adm:audit:-1",
      "adm:audit:1x",
      "adm:audits:1",
      "x",
      "adm:audit:1000000",
    ])
      expect(parseAuditPage(data), data).toBeUndefined();
    expect(parseAuditPage(`adm:audit:${AUDIT_MAX_PAGE + 1}`)).toBeUndefined();
  });

  it("offers ◀ only after the first page and ▶ only while older entries remain", () => {
    expect(auditNav(0, false)).toEqual({});
    expect(auditNav(0, true)).toEqual({ next: 1 });
    expect(auditNav(3, true)).toEqual({ prev: 2, next: 4 });
    expect(auditNav(3, false)).toEqual({ prev: 2 });
    expect(auditNav(AUDIT_MAX_PAGE, true)).toEqual({ prev: AUDIT_MAX_PAGE - 1 });
  });
});

describe("auditTime", () => {
  const now = DateTime.fromISO("2026-11-30T20:00:00Z");

  it("shows the local day and time in the admin's zone and language, with the language's clock", () => {
    expect(auditTime("2026-11-30T20:40:00.000Z", "Europe/Moscow", "ru", now)).toBe("30 нояб., 23:40");
    expect(auditTime("2026-11-30T20:40:00.000Z", "Asia/Tbilisi", "en", now)).toBe("Dec 1, 12:40 AM");
  });

  it("adds the year for an entry from another year", () => {
    expect(auditTime("2025-12-31T10:00:00Z", "UTC", "en", now)).toBe("Dec 31, 2025, 10:00 AM");
  });

  it("falls back to UTC for a zone it does not know", () => {
    expect(auditTime("2026-11-30T20:40:00Z", "Mars/Olympus", "en", now)).toBe("Nov 30, 8:40 PM");
  });
});

describe("shownDetail", () => {
  it("keeps details to one shortened line", () => {
    expect(shownDetail(undefined)).toBe("");
    expect(shownDetail("a\nb")).toBe("a b");
    expect([...shownDetail("я".repeat(500))].length).toBe(120);
  });
});
