import { describe, expect, it } from "vitest";
import { backlogPause } from "../../jobs/queue-workers.ts";

describe("how long a fan-out waits while delivery's backlog is full", () => {
  it("waits about the time a quarter of the backlog takes at the global rate", () => {
    // 32 batches of 100 chats at 1000/s: a quarter is 800 alerts, 0.8 s.
    expect(backlogPause(32, 1000)).toBe(800);
  });

  it("looks again after 1 s at most, however slow the rate", () => {
    expect(backlogPause(32, 30)).toBe(1000);
  });

  it("looks again after 100 ms at the least, and without a rate limit", () => {
    expect(backlogPause(8, 100_000)).toBe(100);
    expect(backlogPause(32, 0)).toBe(100);
  });
});
