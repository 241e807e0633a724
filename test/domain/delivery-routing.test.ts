import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  heldRelease,
  inQuietHours,
  nextDigestSlot,
  quietHoursEnd,
  type Route,
  routeAlert,
  sameReleaseRules,
} from "../../src/domain/delivery-routing.ts";
import { defaultReaderOptions, type ReaderOptions } from "../../src/domain/reader-options.ts";

const BERLIN = "Europe/Berlin";
const NEW_YORK = "America/New_York";
const YEKATERINBURG = "Asia/Yekaterinburg";
const at = (iso: string, zone = BERLIN) => DateTime.fromISO(iso, { zone });
const hm = (h: number, m = 0) => h * 60 + m;

const regular = { breaking: false, headline: "Паводок в Нальчике", teaser: "Вода поднялась" };
const breaking = { breaking: true, headline: "Взрыв в Грозном" };
const football = { breaking: false, headline: "Футбол в Грозном" };
const footballBreaking = { breaking: true, headline: "Футбол: срочно" };

const chat = (options: Partial<ReaderOptions>, timeZone = BERLIN) => ({
  timeZone,
  options: { ...defaultReaderOptions(), ...options },
});

/** The route with `release` as an ISO string in the chat's zone, for readable expectations. */
function route(article: typeof regular | typeof breaking, c: ReturnType<typeof chat>, now: DateTime) {
  const r: Route = routeAlert(article, c, now);
  return r.kind === "hold" ? { kind: "hold", release: r.release.setZone(c.timeZone).toISO() } : r;
}

const noon = at("2026-06-10T12:00");
const lateNight = at("2026-06-10T23:30");
const quiet = { from: hm(23), to: hm(8) };

describe("routeAlert: defaults", () => {
  it("sends everything at once with sound to a chat without options", () => {
    for (const a of [regular, breaking, football])
      for (const now of [noon, lateNight]) {
        expect(routeAlert(a, { timeZone: BERLIN }, now)).toEqual({ kind: "send", silent: false });
        expect(routeAlert(a, chat({}), now)).toEqual({ kind: "send", silent: false });
      }
  });
});

describe("routeAlert: instant mode", () => {
  it("holds regular news in quiet hours until they end, and sends it outside them", () => {
    expect(route(regular, chat({ quiet }), noon)).toEqual({ kind: "send", silent: false });
    expect(route(regular, chat({ quiet }), lateNight)).toEqual({
      kind: "hold",
      release: "2026-06-11T08:00:00.000+02:00",
    });
  });

  it("sends breaking news in quiet hours silently, or holds it when the reader asked", () => {
    expect(route(breaking, chat({ quiet }), lateNight)).toEqual({ kind: "send", silent: true });
    expect(route(breaking, chat({ quiet, quietHoldsBreaking: true }), lateNight)).toEqual({
      kind: "hold",
      release: "2026-06-11T08:00:00.000+02:00",
    });
    expect(route(breaking, chat({ quiet, quietHoldsBreaking: true }), noon)).toEqual({
      kind: "send",
      silent: false,
    });
  });

  it("takes quiet hours that do not cross midnight", () => {
    const day = { from: hm(13), to: hm(15) };
    expect(route(regular, chat({ quiet: day }), noon)).toEqual({ kind: "send", silent: false });
    expect(route(regular, chat({ quiet: day }), at("2026-06-10T13:00"))).toEqual({
      kind: "hold",
      release: "2026-06-10T15:00:00.000+02:00",
    });
    expect(route(regular, chat({ quiet: day }), at("2026-06-10T15:00"))).toEqual({
      kind: "send",
      silent: false,
    });
  });
});

describe("routeAlert: digest mode", () => {
  const twice = { mode: "digest" as const, digestTimes: [hm(8), hm(19)] };

  it("holds regular news until the next digest time", () => {
    expect(route(regular, chat(twice), noon)).toEqual({
      kind: "hold",
      release: "2026-06-10T19:00:00.000+02:00",
    });
    expect(route(regular, chat(twice), at("2026-06-10T19:00"))).toEqual({
      kind: "hold",
      release: "2026-06-11T08:00:00.000+02:00",
    });
  });

  it("holds regular news until the next full hour when the digest is hourly", () => {
    expect(route(regular, chat({ mode: "digest" }), at("2026-06-10T12:10"))).toEqual({
      kind: "hold",
      release: "2026-06-10T13:00:00.000+02:00",
    });
  });

  it("sends breaking news at once, or holds it for the digest when the reader turned that off", () => {
    expect(route(breaking, chat(twice), noon)).toEqual({ kind: "send", silent: false });
    expect(route(breaking, chat({ ...twice, breakingAtOnce: false }), noon)).toEqual({
      kind: "hold",
      release: "2026-06-10T19:00:00.000+02:00",
    });
  });

  it("with quiet hours: holds regular news for the first digest time after they end", () => {
    expect(route(regular, chat({ ...twice, quiet: { from: hm(23), to: hm(7) } }), lateNight)).toEqual({
      kind: "hold",
      release: "2026-06-11T08:00:00.000+02:00",
    });
    // A digest time right at the end of quiet hours takes them.
    expect(route(regular, chat({ ...twice, quiet }), lateNight)).toEqual({
      kind: "hold",
      release: "2026-06-11T08:00:00.000+02:00",
    });
  });

  it("moves a digest time that falls in quiet hours to their end", () => {
    const c = chat({ mode: "digest", digestTimes: [hm(23, 30)], quiet });
    expect(route(regular, c, noon)).toEqual({ kind: "hold", release: "2026-06-11T08:00:00.000+02:00" });
  });

  it("sends breaking news in quiet hours silently in digest mode too", () => {
    expect(route(breaking, chat({ ...twice, quiet }), lateNight)).toEqual({ kind: "send", silent: true });
  });
});

describe("routeAlert: breaking-only mode", () => {
  it("drops regular news and sends breaking news, silently in quiet hours", () => {
    const c = chat({ mode: "breaking", quiet });
    expect(route(regular, c, noon)).toEqual({ kind: "drop", reason: "breaking-only" });
    expect(route(regular, c, lateNight)).toEqual({ kind: "drop", reason: "breaking-only" });
    expect(route(breaking, c, noon)).toEqual({ kind: "send", silent: false });
    expect(route(breaking, c, lateNight)).toEqual({ kind: "send", silent: true });
  });
});

describe("routeAlert: mute", () => {
  const inAnHour = noon.plus({ hours: 1 }).toMillis();

  it("holds everything, breaking news too, until the mute ends", () => {
    for (const a of [regular, breaking])
      expect(route(a, chat({ muteUntil: inAnHour }), noon)).toEqual({
        kind: "hold",
        release: "2026-06-10T13:00:00.000+02:00",
      });
  });

  it("drops everything while muted when the reader chose not to keep it", () => {
    for (const a of [regular, breaking])
      expect(route(a, chat({ muteUntil: inAnHour, muteKeep: false }), noon)).toEqual({
        kind: "drop",
        reason: "muted",
      });
  });

  it("is over once its time has passed", () => {
    expect(route(regular, chat({ muteUntil: noon.toMillis(), muteKeep: false }), noon)).toEqual({
      kind: "send",
      silent: false,
    });
  });

  it("releases what it held at the end of quiet hours when it ends inside them", () => {
    const c = chat({ muteUntil: at("2026-06-11T00:30").toMillis(), quiet });
    expect(route(regular, c, at("2026-06-10T22:00"))).toEqual({
      kind: "hold",
      release: "2026-06-11T08:00:00.000+02:00",
    });
    // Breaking news, which quiet hours let through silently, comes when the mute ends.
    expect(route(breaking, c, at("2026-06-10T22:00"))).toEqual({
      kind: "hold",
      release: "2026-06-11T00:30:00.000+02:00",
    });
  });

  it("in digest mode holds regular news for the first digest time after the mute", () => {
    const c = chat({
      mode: "digest",
      digestTimes: [hm(8), hm(19)],
      muteUntil: at("2026-06-10T20:00").toMillis(),
    });
    expect(route(regular, c, noon)).toEqual({ kind: "hold", release: "2026-06-11T08:00:00.000+02:00" });
    expect(route(breaking, c, noon)).toEqual({ kind: "hold", release: "2026-06-10T20:00:00.000+02:00" });
  });
});

describe("routeAlert: keyword filters", () => {
  const noFootball = { filters: [{ keep: false, phrase: "футбол" }] };

  it("drops regular news that the filters reject, whatever the mode", () => {
    for (const mode of ["instant", "digest", "breaking"] as const)
      expect(route(football, chat({ ...noFootball, mode }), noon)).toEqual({
        kind: "drop",
        reason: "filtered",
      });
    expect(route(regular, chat(noFootball), noon)).toEqual({ kind: "send", silent: false });
  });

  it("drops only the regular news that no + filter hits", () => {
    const c = chat({ filters: [{ keep: true, phrase: "махачкала" }] });
    expect(route(regular, c, noon)).toEqual({ kind: "drop", reason: "filtered" });
    // «нальчик» hits «в Нальчике»: filters match word forms.
    const nalchik = chat({ filters: [{ keep: true, phrase: "нальчик" }] });
    expect(route(regular, nalchik, noon)).toEqual({ kind: "send", silent: false });
  });

  it("lets breaking news through the filters unless the reader says otherwise", () => {
    expect(route(footballBreaking, chat(noFootball), noon)).toEqual({ kind: "send", silent: false });
    expect(route(footballBreaking, chat({ ...noFootball, filterBreaking: true }), noon)).toEqual({
      kind: "drop",
      reason: "filtered",
    });
  });

  it("drops filtered news rather than holding it in quiet hours or a mute", () => {
    const c = chat({ ...noFootball, quiet, muteUntil: lateNight.plus({ hours: 1 }).toMillis() });
    expect(route(football, c, lateNight)).toEqual({ kind: "drop", reason: "filtered" });
    expect(route(regular, c, lateNight).kind).toBe("hold");
  });
});

describe("routeAlert: every combination", () => {
  it("answers every mode × breaking × quiet × mute × filter with a route that follows the rules", () => {
    const modes = ["instant", "digest", "breaking"] as const;
    for (const mode of modes)
      for (const isBreaking of [false, true])
        for (const inQuiet of [false, true])
          for (const muted of [false, true])
            for (const filteredOut of [false, true])
              for (const flags of [0, 1, 2, 3]) {
                const options: Partial<ReaderOptions> = {
                  mode,
                  quiet,
                  breakingAtOnce: (flags & 1) === 0,
                  quietHoldsBreaking: (flags & 2) !== 0,
                  filters: [{ keep: false, phrase: "футбол" }],
                  ...(muted ? { muteUntil: noon.plus({ days: 2 }).toMillis() } : {}),
                };
                const now = inQuiet ? lateNight : noon;
                const article = { breaking: isBreaking, headline: filteredOut ? "Футбол" : "Паводок" };
                const r = routeAlert(article, chat(options), now);
                if (filteredOut && !isBreaking) expect(r).toEqual({ kind: "drop", reason: "filtered" });
                else if (mode === "breaking" && !isBreaking)
                  expect(r).toEqual({ kind: "drop", reason: "breaking-only" });
                else if (muted) expect(r.kind).toBe("hold");
                else if (r.kind === "hold") {
                  expect(r.release > now).toBe(true);
                  expect(inQuietHours(quiet, BERLIN, r.release)).toBe(false);
                } else {
                  expect(r.kind).toBe("send");
                  expect(r).toEqual({ kind: "send", silent: inQuiet });
                  expect(isBreaking || mode === "instant").toBe(true);
                }
                if (r.kind === "send" && !isBreaking) expect(inQuiet || mode !== "instant").toBe(false);
              }
  });
});

describe("heldRelease", () => {
  const releaseAt = (c: Parameters<typeof heldRelease>[0], now: DateTime) => heldRelease(c, now).regular;

  it("is now for a chat with no options, and the routing's release for regular news otherwise", () => {
    expect(releaseAt({ timeZone: BERLIN }, noon).toMillis()).toBe(noon.toMillis());
    const c = chat({ quiet });
    expect(releaseAt(c, lateNight).toISO()).toBe("2026-06-11T08:00:00.000+02:00");
    const digest = chat({ mode: "digest", digestTimes: [hm(8), hm(19)] });
    expect(releaseAt(digest, noon).toISO()).toBe("2026-06-10T19:00:00.000+02:00");
    const muted = chat({ muteUntil: noon.plus({ hours: 8 }).toMillis() });
    expect(releaseAt(muted, noon).toISO()).toBe("2026-06-10T20:00:00.000+02:00");
  });

  it("gives a held breaking article the routing's release for breaking news: at once in digest mode, at the end of a mute", () => {
    const digest = chat({ mode: "digest", digestTimes: [hm(19)] });
    expect(heldRelease(digest, noon).breaking.toMillis()).toBe(noon.toMillis());
    const muted = chat({
      mode: "digest",
      digestTimes: [hm(19)],
      muteUntil: noon.plus({ hours: 2 }).toMillis(),
    });
    expect(heldRelease(muted, noon).breaking.toISO()).toBe("2026-06-10T14:00:00.000+02:00");
    expect(heldRelease(muted, noon).regular.toISO()).toBe("2026-06-10T19:00:00.000+02:00");
    const holding = chat({ quiet, quietHoldsBreaking: true });
    expect(heldRelease(holding, lateNight).breaking.toISO()).toBe("2026-06-11T08:00:00.000+02:00");
  });

  it("follows the digest time and the zone the reader has now, later or sooner than before", () => {
    const digest = chat({ mode: "digest", digestTimes: [hm(3, 36)] });
    expect(heldRelease(digest, at("2026-06-10T02:40")).regular.toISO()).toBe("2026-06-10T03:36:00.000+02:00");
    const moscow = chat({ mode: "digest", digestTimes: [hm(3, 36)] }, "Europe/Moscow");
    expect(heldRelease(moscow, at("2026-06-10T02:40")).regular.toISO()).toBe("2026-06-11T03:36:00.000+03:00");
  });
});

describe("sameReleaseRules", () => {
  it("tells a change of mode, digest times, quiet hours, pause or breaking rules from one of filters", () => {
    const base = chat({ mode: "digest", digestTimes: [hm(8)], quiet }).options;
    expect(sameReleaseRules(base, { ...base, filters: [{ keep: false, phrase: "футбол" }] })).toBe(true);
    expect(sameReleaseRules(base, { ...base, muteKeep: false, filterBreaking: true })).toBe(true);
    expect(sameReleaseRules(base, { ...base, digestTimes: [hm(8)] })).toBe(true);
    for (const change of [
      { mode: "instant" as const },
      { digestTimes: [hm(3, 36)] },
      { quiet: { from: hm(22), to: hm(8) } },
      { quiet: undefined },
      { muteUntil: 1 },
      { breakingAtOnce: false },
      { quietHoldsBreaking: true },
    ])
      expect(sameReleaseRules(base, { ...base, ...change })).toBe(false);
  });
});

describe("quiet hours across midnight and daylight-saving changes", () => {
  it("are quiet from their start up to but not including their end, across midnight", () => {
    expect(inQuietHours(quiet, BERLIN, at("2026-06-10T22:59"))).toBe(false);
    expect(inQuietHours(quiet, BERLIN, at("2026-06-10T23:00"))).toBe(true);
    expect(inQuietHours(quiet, BERLIN, at("2026-06-11T03:00"))).toBe(true);
    expect(inQuietHours(quiet, BERLIN, at("2026-06-11T07:59"))).toBe(true);
    expect(inQuietHours(quiet, BERLIN, at("2026-06-11T08:00"))).toBe(false);
  });

  it("read the chat's clock, not the server's", () => {
    // 21:30 UTC is 23:30 in Berlin in summer.
    expect(inQuietHours(quiet, BERLIN, DateTime.fromISO("2026-06-10T21:30Z"))).toBe(true);
    expect(inQuietHours(quiet, "UTC", DateTime.fromISO("2026-06-10T21:30Z"))).toBe(false);
  });

  it("with the same start and end are no quiet hours at all", () => {
    const none = { from: hm(8), to: hm(8) };
    expect(inQuietHours(none, BERLIN, at("2026-06-10T08:00"))).toBe(false);
    expect(route(regular, chat({ quiet: none }), noon)).toEqual({ kind: "send", silent: false });
  });

  it("end at `now` when `now` is not in them", () => {
    expect(quietHoursEnd(quiet, BERLIN, noon).toMillis()).toBe(noon.toMillis());
  });

  it("01:30–03:00 on the spring-forward night in Berlin end when 02:00 becomes 03:00", () => {
    const q = { from: hm(1, 30), to: hm(3) };
    expect(inQuietHours(q, BERLIN, at("2026-03-29T01:15"))).toBe(false);
    expect(inQuietHours(q, BERLIN, at("2026-03-29T01:45"))).toBe(true);
    const end = quietHoursEnd(q, BERLIN, at("2026-03-29T01:45"));
    expect(end.toUTC().toISO()).toBe("2026-03-29T01:00:00.000Z");
    expect(end.setZone(BERLIN).toISO()).toBe("2026-03-29T03:00:00.000+02:00");
  });

  it("ending inside the skipped hour, end when the hour is skipped", () => {
    const q = { from: hm(23), to: hm(2, 30) };
    const end = quietHoursEnd(q, BERLIN, at("2026-03-28T23:30"));
    expect(end.setZone(BERLIN).toISO()).toBe("2026-03-29T03:00:00.000+02:00");
  });

  it("23:00–08:00 end at 08:00 on the wall clock across the spring-forward night (8 h, not 9)", () => {
    const start = at("2026-03-28T23:00");
    const end = quietHoursEnd(quiet, BERLIN, start);
    expect(end.setZone(BERLIN).toISO()).toBe("2026-03-29T08:00:00.000+02:00");
    expect(end.diff(start, "hours").hours).toBe(8);
  });

  it("23:00–08:00 end at 08:00 on the wall clock across the fall-back night (10 h, not 9)", () => {
    const start = at("2026-10-24T23:00");
    const end = quietHoursEnd(quiet, BERLIN, start);
    expect(end.setZone(BERLIN).toISO()).toBe("2026-10-25T08:00:00.000+01:00");
    expect(end.diff(start, "hours").hours).toBe(10);
    expect(inQuietHours(quiet, BERLIN, DateTime.fromISO("2026-10-25T00:30Z"))).toBe(true);
  });

  it("22:00–07:00 in New York end at 07:00 across both of its changes", () => {
    const q = { from: hm(22), to: hm(7) };
    expect(quietHoursEnd(q, NEW_YORK, at("2026-03-07T23:00", NEW_YORK)).toUTC().toISO()).toBe(
      "2026-03-08T11:00:00.000Z",
    );
    expect(quietHoursEnd(q, NEW_YORK, at("2026-10-31T23:00", NEW_YORK)).toUTC().toISO()).toBe(
      "2026-11-01T12:00:00.000Z",
    );
  });

  it("covering the repeated hour of a fall-back night in New York, are read by the wall clock both times", () => {
    const q = { from: hm(1), to: hm(1, 30) };
    // 05:10Z is 01:10 EDT, 06:10Z is 01:10 EST: the same wall-clock time, an hour apart.
    const first = DateTime.fromISO("2026-11-01T05:10Z");
    const second = DateTime.fromISO("2026-11-01T06:10Z");
    expect(inQuietHours(q, NEW_YORK, first)).toBe(true);
    expect(inQuietHours(q, NEW_YORK, second)).toBe(true);
    expect(quietHoursEnd(q, NEW_YORK, first).toUTC().toISO()).toBe("2026-11-01T05:30:00.000Z");
    expect(quietHoursEnd(q, NEW_YORK, second).toUTC().toISO()).toBe("2026-11-01T06:30:00.000Z");
  });

  it("end at the first minute after `now` outside them, every minute before it quiet, in any zone and season", () => {
    const zones = [BERLIN, NEW_YORK, "Europe/Moscow", "Australia/Lord_Howe", "Asia/Kolkata"];
    const start = DateTime.fromISO("2026-01-01T00:00Z").toMillis();
    const year = 366 * 24 * 60 * 60 * 1000;
    fc.assert(
      fc.property(
        fc.constantFrom(...zones),
        fc.integer({ min: 0, max: 1439 }),
        fc.integer({ min: 1, max: 1439 }),
        fc.integer({ min: 0, max: year }),
        (zone, from, length, offset) => {
          const q = { from, to: (from + length) % 1440 };
          const now = DateTime.fromMillis(start + offset, { zone });
          const end = quietHoursEnd(q, zone, now);
          if (!inQuietHours(q, zone, now)) return end.toMillis() === now.toMillis();
          expect(end > now).toBe(true);
          expect(inQuietHours(q, zone, end)).toBe(false);
          expect(end.second).toBe(0);
          for (let t = now.startOf("minute").plus({ minutes: 1 }); t < end; t = t.plus({ minutes: 1 }))
            expect(inQuietHours(q, zone, t)).toBe(true);
          return true;
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe("nextDigestSlot", () => {
  const times = [hm(8), hm(19)];

  it("gives the next of 08:00 and 19:00 in Yekaterinburg, strictly after now", () => {
    const z = YEKATERINBURG;
    expect(nextDigestSlot(times, z, at("2026-03-28T20:00", z)).toISO()).toBe("2026-03-29T08:00:00.000+05:00");
    expect(nextDigestSlot(times, z, at("2026-03-29T07:59", z)).toISO()).toBe("2026-03-29T08:00:00.000+05:00");
    expect(nextDigestSlot(times, z, at("2026-03-29T08:00", z)).toISO()).toBe("2026-03-29T19:00:00.000+05:00");
    // Yekaterinburg has no clock changes: Berlin's night changes nothing there.
    expect(nextDigestSlot(times, z, at("2026-10-24T20:00", z)).toUTC().toISO()).toBe(
      "2026-10-25T03:00:00.000Z",
    );
  });

  it("keeps 08:00 and 19:00 on Berlin's wall clock across both changes", () => {
    const spring = nextDigestSlot(times, BERLIN, at("2026-03-28T20:00"));
    expect(spring.toISO()).toBe("2026-03-29T08:00:00.000+02:00");
    expect(spring.diff(at("2026-03-28T20:00"), "hours").hours).toBe(11);
    const fall = nextDigestSlot(times, BERLIN, at("2026-10-24T20:00"));
    expect(fall.toISO()).toBe("2026-10-25T08:00:00.000+01:00");
    expect(fall.diff(at("2026-10-24T20:00"), "hours").hours).toBe(13);
    expect(nextDigestSlot(times, BERLIN, at("2026-10-25T08:00")).toISO()).toBe(
      "2026-10-25T19:00:00.000+01:00",
    );
  });

  it("moves a time the clocks skip to just after the skip, and gives a repeated time once", () => {
    expect(nextDigestSlot([hm(2, 30)], BERLIN, at("2026-03-28T23:45")).toISO()).toBe(
      "2026-03-29T03:30:00.000+02:00",
    );
    const repeated = nextDigestSlot([hm(2, 30)], BERLIN, at("2026-10-24T23:45"));
    expect(repeated.setZone(BERLIN).toFormat("HH:mm")).toBe("02:30");
    expect(nextDigestSlot([hm(2, 30)], BERLIN, repeated).toISO()).toBe("2026-10-26T02:30:00.000+01:00");
  });

  it("is the next full hour of the chat's clock when the digest is hourly", () => {
    expect(nextDigestSlot([], BERLIN, at("2026-06-10T12:10")).toISO()).toBe("2026-06-10T13:00:00.000+02:00");
    expect(nextDigestSlot([], BERLIN, at("2026-06-10T12:00")).toISO()).toBe("2026-06-10T13:00:00.000+02:00");
    // Kolkata is UTC+05:30: its full hours are at half past in UTC.
    expect(nextDigestSlot([], "Asia/Kolkata", DateTime.fromISO("2026-06-10T06:40Z")).toUTC().toISO()).toBe(
      "2026-06-10T07:30:00.000Z",
    );
  });

  it("is always later than now and at one of the times, with no time of the list skipped", () => {
    fc.assert(
      fc.property(
        fc.constantFrom(BERLIN, NEW_YORK, YEKATERINBURG),
        fc.uniqueArray(fc.integer({ min: 0, max: 1439 }), { minLength: 1, maxLength: 2 }),
        fc.integer({ min: 0, max: 366 * 24 * 60 }),
        (zone, list, minutes) => {
          const sorted = [...list].sort((a, b) => a - b);
          const now = DateTime.fromISO("2026-01-01T00:00Z").plus({ minutes }).setZone(zone);
          const slot = nextDigestSlot(sorted, zone, now);
          expect(slot > now).toBe(true);
          expect(slot.diff(now, "hours").hours).toBeLessThanOrEqual(26);
          const minute = slot.hour * 60 + slot.minute;
          // Exactly one of the times, unless the clocks skipped it (then shifted by the skip).
          if (!sorted.includes(minute)) expect(sorted.some((m) => minute - m === 60)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
