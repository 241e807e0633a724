import fc from "fast-check";
import { DateTime, IANAZone } from "luxon";
import { describe, expect, it } from "vitest";
import { parseUtcOffset, searchZones } from "../../src/domain/zone-search.ts";

const winter = DateTime.fromISO("2026-01-15T12:00:00Z");
const summer = DateTime.fromISO("2026-07-15T12:00:00Z");
const offsetAt = (zone: string, now: DateTime) => IANAZone.create(zone).offset(now.toMillis());

describe("searchZones by city", () => {
  it("finds a zone by its English city name, any case, spaces or underscores", () => {
    expect(searchZones("Moscow", winter)[0]).toBe("Europe/Moscow");
    expect(searchZones("berlin", winter)[0]).toBe("Europe/Berlin");
    for (const q of ["New York", "new_york", "NEW YORK"])
      expect(searchZones(q, winter)[0]).toBe("America/New_York");
    expect(searchZones("Buenos Aires", winter)[0]).toBe("America/Argentina/Buenos_Aires");
  });

  it("finds a zone by the beginning of a city's name", () => {
    expect(searchZones("yekat", winter)).toContain("Asia/Yekaterinburg");
    expect(searchZones("tbil", winter)).toEqual(["Asia/Tbilisi"]);
  });

  it("finds the big cities of Russia and its neighbours by their Russian names, the city's own zone first", () => {
    expect(searchZones("москва", winter)[0]).toBe("Europe/Moscow");
    expect(searchZones("Москва", winter)[0]).toBe("Europe/Moscow");
    expect(searchZones("екатеринбург", winter)).toEqual(["Asia/Yekaterinburg"]);
    expect(searchZones("Владивосток", winter)[0]).toBe("Asia/Vladivostok");
    expect(searchZones("Грузия", winter)).toEqual(["Asia/Tbilisi"]);
  });

  it("does not find most other cities by their Russian names (Intl has none), only by the English ones", () => {
    expect(searchZones("берлин", winter)).toEqual([]);
    expect(searchZones("berlin", winter)).toEqual(["Europe/Berlin"]);
  });

  it("finds a zone by its full name", () => {
    expect(searchZones("Europe/Berlin", winter)[0]).toBe("Europe/Berlin");
    expect(searchZones("asia/yekaterinburg", winter)[0]).toBe("Asia/Yekaterinburg");
  });

  it("gives today's names for zones ICU lists under old ones, found by either name", () => {
    expect(searchZones("Kyiv", winter)).toEqual(["Europe/Kyiv"]);
    expect(searchZones("Kiev", winter)).toEqual(["Europe/Kyiv"]);
    expect(searchZones("Kolkata", winter)).toEqual(["Asia/Kolkata"]);
    expect(searchZones("calcutta", winter)).toEqual(["Asia/Kolkata"]);
  });

  it("puts the zones passed in first (the catalogue regions'), when they match", () => {
    const regions = ["Europe/Volgograd", "Europe/Moscow"];
    expect(searchZones("москва", winter, 10, regions).slice(0, 2)).toEqual([
      "Europe/Volgograd",
      "Europe/Moscow",
    ]);
    expect(searchZones("berlin", winter, 10, regions)).toEqual(["Europe/Berlin"]);
  });
});

describe("searchZones by UTC offset", () => {
  it("finds the zones on +3 now, in every way a reader writes it", () => {
    for (const q of ["+3", "UTC+3", "utc +03:00", "GMT+3", "+03", "+0300"]) {
      const found = searchZones(q, winter, 500);
      expect(found).toContain("Europe/Moscow");
      expect(found).toContain("Europe/Istanbul");
      for (const z of found) expect(offsetAt(z, winter)).toBe(180);
    }
  });

  it("finds half-hour offsets", () => {
    const found = searchZones("UTC+05:30", winter, 500);
    expect(found).toContain("Asia/Kolkata");
    for (const z of found) expect(offsetAt(z, winter)).toBe(330);
  });

  it("reads the offset at the time given: New York is -5 in winter and -4 in summer", () => {
    expect(searchZones("-5", winter, 500)).toContain("America/New_York");
    expect(searchZones("-5", summer, 500)).not.toContain("America/New_York");
    expect(searchZones("UTC-4", summer, 500)).toContain("America/New_York");
    expect(searchZones("−5", winter, 500)).toContain("America/New_York");
  });

  it("puts the zones passed in first", () => {
    expect(searchZones("+3", winter, 3, ["Europe/Moscow"])[0]).toBe("Europe/Moscow");
  });

  it("finds nothing for an offset no zone has, or no offset at all", () => {
    expect(searchZones("-5:30", winter)).toEqual([]);
    expect(searchZones("UTC+15", winter)).toEqual([]);
    expect(searchZones("+3:75", winter)).toEqual([]);
  });

  it("reads offsets as minutes east of UTC", () => {
    expect(parseUtcOffset("+3")).toBe(180);
    expect(parseUtcOffset("UTC-05:30")).toBe(-330);
    expect(parseUtcOffset("UTC")).toBe(0);
    expect(parseUtcOffset("+14")).toBe(840);
    expect(parseUtcOffset("+15")).toBeUndefined();
    expect(parseUtcOffset("Moscow")).toBeUndefined();
  });
});

describe("searchZones with bad input", () => {
  it("finds nothing for garbage", () => {
    for (const q of ["", "   ", "asdfghjkl", "!!!", "'; DROP TABLE", "<b>", "😀", "x".repeat(500)])
      expect(searchZones(q, winter)).toEqual([]);
  });

  it("never throws, keeps to the limit and gives only zones luxon accepts", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), fc.integer({ min: 0, max: 20 }), (q, limit) => {
        const found = searchZones(q, winter, limit);
        expect(found.length).toBeLessThanOrEqual(limit);
        for (const z of found) expect(IANAZone.isValidZone(z)).toBe(true);
      }),
    );
    for (const z of searchZones("a", winter, 1000)) expect(IANAZone.isValidZone(z)).toBe(true);
  });
});
