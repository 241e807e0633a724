import { GrammyError } from "grammy";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reviseCall } from "../../src/delivery/ledger-walk.ts";
import { SLOT_MISSED, sendUnderPolicy } from "../../src/delivery/send-under-policy.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { RateLimiter, SendingStopped } from "../../src/store/rate-limiter.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "../support/redis.ts";

let redis: Redis;
const prefixes: string[] = [];

beforeAll(() => {
  redis = new Redis(SHARED_REDIS_URL);
});

afterAll(async () => {
  for (const prefix of prefixes) await deletePrefix(redis, prefix);
  redis.disconnect();
});

function limiter() {
  const prefix = testPrefix("send-policy");
  prefixes.push(prefix);
  return new RateLimiter(redis, redisKeys(prefix), { perSecond: 1000 });
}

function apiError(code: number, description: string, parameters: Record<string, number> = {}) {
  return new GrammyError(
    `Call to 'editMessageText' failed! (${code}: ${description})`,
    { ok: false, error_code: code, description, parameters },
    "editMessageText",
    { chat_id: 1 },
  );
}

/** A Bot API call that fails with `failures` in turn, then succeeds; `calls` counts its tries. */
function failing(...failures: Error[]) {
  const state = { calls: 0 };
  const call = async () => {
    const failure = failures[state.calls++];
    if (failure) throw failure;
  };
  return { state, call };
}

describe("the send policy", () => {
  it("gives up after three tries when Telegram keeps failing with 5xx", async () => {
    const { state, call } = failing(
      apiError(502, "Bad Gateway"),
      apiError(502, "Bad Gateway"),
      apiError(502, "Bad Gateway"),
    );
    const result = await reviseCall({ limiter: limiter() }, 801_001, call, "edited");
    expect(result).toBe("unavailable");
    expect(state.calls).toBe(3);
  });

  it("waits out a 429 for every sender without using up a try", async () => {
    const l = limiter();
    const { state, call } = failing(
      apiError(429, "Too Many Requests: retry after 1", { retry_after: 1 }),
      apiError(502, "Bad Gateway"),
      apiError(502, "Bad Gateway"),
    );
    const started = performance.now();
    const result = await reviseCall({ limiter: l }, 801_002, call, "edited");
    expect(result).toBe("edited");
    expect(state.calls).toBe(4);
    // The pause held the try after the 429 back by its retry_after.
    expect(performance.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it("starts no try once the process is stopping", async () => {
    const { state, call } = failing();
    await expect(
      reviseCall({ limiter: limiter(), stopping: () => true }, 801_003, call, "edited"),
    ).rejects.toBeInstanceOf(SendingStopped);
    expect(state.calls).toBe(0);
  });

  it("asks for a new slot when the last one went by, without using up a try", async () => {
    const { state, call } = failing(apiError(502, "Bad Gateway"));
    let readies = 0;
    const result = await sendUnderPolicy(
      { limiter: limiter(), tries: 2 },
      {
        target: () => ({ id: 801_004, isGroup: false }),
        ready: async () => (readies++ === 0 ? SLOT_MISSED : { go: undefined }),
        call: async () => {
          await call();
          return "sent";
        },
        failed: async () => ({ next: "retry" }),
        exhausted: () => "gave up",
      },
    );
    expect(result).toBe("sent");
    expect(readies).toBe(3);
    expect(state.calls).toBe(2);
  });

  it("moves a migrated group to its new id and sends the same message there", async () => {
    let target = -801_005;
    const sentTo: number[] = [];
    const result = await sendUnderPolicy(
      { limiter: limiter(), tries: 2 },
      {
        target: () => ({ id: target, isGroup: true }),
        ready: async () => ({ go: undefined }),
        call: async () => {
          sentTo.push(target);
          if (target === -801_005) throw apiError(400, "Bad Request: group chat was upgraded");
          return "sent";
        },
        failed: async () => ({ next: "move", to: -100_801_005 }),
        moveTo: async (to) => {
          target = to;
        },
        exhausted: () => "gave up",
      },
    );
    expect(result).toBe("sent");
    expect(sentTo).toEqual([-801_005, -100_801_005]);
  });
});
