import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { type DeliveryFigures, deliveryProgress } from "../../src/domain/delivery-progress.ts";

const at = (s: number) => DateTime.fromISO("2026-11-30T20:00:00Z").plus({ seconds: s });
const iso = (s: number) => at(s).toISO() ?? "";
const figures = (over: Partial<DeliveryFigures>): DeliveryFigures => ({
  recipients: 0,
  done: 0,
  sent: 0,
  failed: {},
  skipped: {},
  ...over,
});

describe("the delivery progress an editor sees", () => {
  it("is queued before anything started, with the counted reach as the total", () => {
    const p = deliveryProgress(figures({}), at(0), 25, 12_408);
    expect(p).toMatchObject({ state: "queued", total: 12_408, remaining: 12_408 });
  });

  it("estimates the time left from the pace measured so far, and from the rate at first", () => {
    const started = figures({
      startedAt: iso(0),
      firstSentAt: iso(0),
      recipients: 1000,
      done: 100,
      sent: 100,
    });
    expect(deliveryProgress(started, at(1), 25).etaSeconds).toBe(36);
    const later = figures({
      startedAt: iso(0),
      firstSentAt: iso(0),
      recipients: 1000,
      done: 500,
      sent: 490,
      failed: { blocked: 10 },
    });
    expect(deliveryProgress(later, at(10), 25).etaSeconds).toBe(10);
  });

  it("uses the counted reach while fan-out is still finding recipients, and the real count after", () => {
    const running = figures({ startedAt: iso(0), recipients: 300, done: 100, sent: 100 });
    expect(deliveryProgress(running, at(1), 25, 1000).total).toBe(1000);
    const found = figures({ startedAt: iso(0), recipients: 990, done: 100, sent: 100, fanoutDoneAt: iso(1) });
    expect(deliveryProgress(found, at(1), 25, 1000).total).toBe(990);
  });

  it("lists failures by reason, most frequent first, and ends as finished with the elapsed time", () => {
    const done = figures({
      startedAt: iso(0),
      firstSentAt: iso(1),
      finishedAt: iso(14),
      fanoutDoneAt: iso(2),
      recipients: 12_408,
      done: 12_408,
      sent: 12_394,
      failed: { not_found: 2, blocked: 12 },
    });
    const p = deliveryProgress(done, at(100), 25);
    expect(p).toMatchObject({
      state: "finished",
      sent: 12_394,
      failed: 14,
      elapsedSeconds: 13,
      etaSeconds: undefined,
    });
    expect(p.failedBy).toEqual([
      ["blocked", 12],
      ["not_found", 2],
    ]);
  });

  it("says stopped once a cancelled delivery settled, and retracted over everything else", () => {
    const stopped = figures({
      startedAt: iso(0),
      cancelledAt: iso(3),
      fanoutDoneAt: iso(3),
      finishedAt: iso(4),
      recipients: 100,
      done: 100,
      sent: 40,
      skipped: { cancelled: 60 },
    });
    expect(deliveryProgress(stopped, at(5), 25)).toMatchObject({ state: "cancelled", cancelled: 60 });
    expect(deliveryProgress({ ...stopped, retractedAt: iso(6) }, at(7), 25).state).toBe("retracted");
  });

  it("counts chats held for a digest apart from those the readers' options left out", () => {
    const routed = figures({
      startedAt: iso(0),
      fanoutDoneAt: iso(1),
      finishedAt: iso(2),
      recipients: 10,
      done: 10,
      sent: 4,
      skipped: { held: 3, filtered: 1, "breaking-only": 1, muted: 1, inactive: 2 },
    });
    expect(deliveryProgress(routed, at(3), 25)).toMatchObject({ state: "finished", held: 3, optedOut: 3 });
  });
});
