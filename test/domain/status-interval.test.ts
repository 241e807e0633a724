import { describe, expect, it } from "vitest";
import { nextStatusInterval, STATUS_MIN_INTERVAL_MS } from "../../src/domain/status-interval.ts";

describe("how often a status message is edited", () => {
  it("is never more than once every 3 s, and slows down on long deliveries up to once a minute", () => {
    expect(nextStatusInterval(0)).toBe(STATUS_MIN_INTERVAL_MS);
    expect(nextStatusInterval(30)).toBe(3000);
    expect(nextStatusInterval(200)).toBe(10_000);
    expect(nextStatusInterval(36_000)).toBe(60_000);
  });
});
