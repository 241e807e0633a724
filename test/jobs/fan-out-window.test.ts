import { describe, expect, it } from "vitest";
import { fanoutWindow } from "../../jobs/fan-out.ts";

describe("how many shards a fan-out step reads", () => {
  it("reads all 16 at once for a small audience", () => {
    expect(fanoutWindow(0)).toBe(16);
    expect(fanoutWindow(20_000)).toBe(16);
  });

  it("reads about 2,000 chats a step for a large one", () => {
    // 200,000 subscriptions over 1024 shards: about 195 a shard, so 10 shards a step.
    expect(fanoutWindow(200_000)).toBe(10);
  });

  it("reads one shard a step at a million readers and more, never none", () => {
    expect(fanoutWindow(2_000_000)).toBe(1);
    expect(fanoutWindow(50_000_000)).toBe(1);
  });
});
