import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { redisKeys } from "../../src/store/keys.ts";
import { LockLost, RateLimiter, SendingStopped } from "../../src/store/rate-limiter.ts";
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

/** A limiter over a schedule of its own, as one worker process of a deployment has. */
function limiter(perSecond: number) {
  const prefix = testPrefix("rate-limiter");
  prefixes.push(prefix);
  const keys = redisKeys(prefix);
  return { keys, limiter: new RateLimiter(redis, keys, { perSecond }) };
}

/**
 * Bulk sends as a delivery worker makes them: `lanes` sends waiting at once, each followed by the
 * next one as soon as it has its slot, `total` in all. Each slot is noted in `order` as it comes.
 */
async function bulkSends(
  l: RateLimiter,
  firstChat: number,
  total: number,
  order: string[],
  lanes = 16,
): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: lanes }, async () => {
      while (next < total) {
        const chat = firstChat + next++;
        await l.acquire(chat, false, undefined, { priority: 1 });
        order.push("bulk");
      }
    }),
  );
}

describe("the sending rate limiter", () => {
  it("gives a send only a moment after its slot to go out, and a send that missed it a new slot without the chat's gap", async () => {
    const { limiter: l } = limiter(100);
    const until = await l.acquire(709_001, false);
    // A send held up past this (a stalled process, slow reads) would go out with later slots.
    // 25 ms after the slot's tick; a timer may fire a fraction of a millisecond before its tick.
    expect(until - performance.now()).toBeLessThanOrEqual(25 + 10);
    expect(until).toBeGreaterThan(0);
    // Its slot took the chat's second; asked again as missed, the chat does not wait it out.
    const asked = performance.now();
    await l.acquire(709_001, false, undefined, { missed: true });
    expect(performance.now() - asked).toBeLessThan(900);
    // Asked again as a new send, it does.
    const again = performance.now();
    await l.acquire(709_001, false);
    expect(performance.now() - again).toBeGreaterThanOrEqual(900);
  });

  it("reserves the slots of many waiting sends in a few calls and paces them at the rate", async () => {
    const { limiter: l } = limiter(200);
    const at: number[] = [];
    const granted: number[] = [];
    await Promise.all(
      Array.from({ length: 100 }, (_, i) =>
        l.acquire(700_000 + i, false).then((until) => {
          at.push(performance.now());
          granted.push(until);
        }),
      ),
    );
    at.sort((a, b) => a - b);
    granted.sort((a, b) => a - b);
    // 100 slots 5 ms apart: half a second, whoever asked first.
    expect((at[99] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(99 * 5 - 30);
    // In any 100 ms no more than the rate allows. Counted on the slots the limiter gave (each send
    // goes out at most a moment after its own, or asks anew), not on when this busy process woke.
    for (let i = 0; i + 25 < granted.length; i++)
      expect((granted[i + 25] ?? 0) - (granted[i] ?? 0)).toBeGreaterThan(100);
    // Polling would be one call per send and more; the batches take a handful.
    expect(l.calls).toBeLessThanOrEqual(12);
  });

  it("wakes the sends whose slots fall in one tick together, not one timer per send", async () => {
    const { limiter: l } = limiter(1000);
    const at: number[] = [];
    await Promise.all(
      Array.from({ length: 60 }, (_, i) =>
        l.acquire(705_000 + i, false).then(() => at.push(Math.round(performance.now()))),
      ),
    );
    // 60 slots 1 ms apart, paced in ticks of 10 ms: about 7 wake-ups, not 60.
    expect(new Set(at).size).toBeLessThanOrEqual(12);
    // Still at the rate: the last send goes no sooner than its slot allows.
    expect(Math.max(...at) - Math.min(...at)).toBeGreaterThanOrEqual(59 - 10);
  });

  it("sends at once without a global limit, still in few calls", async () => {
    const { limiter: l } = limiter(0);
    const started = performance.now();
    await Promise.all(Array.from({ length: 200 }, (_, i) => l.acquire(710_000 + i, false)));
    expect(performance.now() - started).toBeLessThan(1000);
    expect(l.calls).toBeLessThanOrEqual(5);
  });

  it("keeps a second between two sends to one chat and three for a group", async () => {
    const { limiter: l } = limiter(0);
    const chat = [performance.now()];
    await l.acquire(720_001, false);
    chat.push(performance.now());
    await l.acquire(720_001, false);
    chat.push(performance.now());
    expect((chat[2] ?? 0) - (chat[1] ?? 0)).toBeGreaterThanOrEqual(950);
    await l.acquire(-720_002, true);
    const group = performance.now();
    await l.acquire(-720_002, true);
    expect(performance.now() - group).toBeGreaterThanOrEqual(2950);
  }, 10_000);

  it("holds every send back while a 429 pause lasts", async () => {
    const { limiter: l } = limiter(100);
    await l.pauseAll(0.6);
    const started = performance.now();
    await Promise.all([l.acquire(730_001, false), l.acquire(730_002, false)]);
    expect(performance.now() - started).toBeGreaterThanOrEqual(550);
  });

  it("gives a job's sends slots while the job's lock is the worker's, and refuses them once it is not", async () => {
    const { keys, limiter: l } = limiter(100);
    const lockKey = `${keys.bullPrefix}:deliver:job-1:lock`;
    await redis.set(lockKey, "token-a", "PX", 2000);
    const validUntil = await l.acquire(740_001, false, undefined, { fence: { lockKey, token: "token-a" } });
    // The send may go out only while the lock surely holds.
    expect(validUntil).toBeGreaterThan(performance.now());
    expect(validUntil).toBeLessThanOrEqual(performance.now() + 2000);
    // The worker stalled and another took the job over.
    await redis.set(lockKey, "token-b", "PX", 2000);
    await expect(
      l.acquire(740_002, false, undefined, { fence: { lockKey, token: "token-a" } }),
    ).rejects.toBeInstanceOf(LockLost);
    await redis.del(lockKey);
    await expect(
      l.acquire(740_003, false, undefined, { fence: { lockKey, token: "token-a" } }),
    ).rejects.toBeInstanceOf(LockLost);
    // Sends of other jobs and unfenced sends in the same call are not refused with it.
    await redis.set(lockKey, "token-b", "PX", 2000);
    const results = await Promise.allSettled([
      l.acquire(740_004, false, undefined, { fence: { lockKey, token: "token-a" } }),
      l.acquire(740_005, false, undefined, { fence: { lockKey, token: "token-b" } }),
      l.acquire(740_006, false),
    ]);
    expect(results.map((r) => r.status)).toEqual(["rejected", "fulfilled", "fulfilled"]);
  });

  it("lets a waiting send stop when its process stops", async () => {
    const { limiter: l } = limiter(0);
    await l.acquire(750_001, false);
    let stopping = false;
    const waiting = l.acquire(750_001, false, () => stopping);
    stopping = true;
    await expect(waiting).rejects.toBeInstanceOf(SendingStopped);
  });

  it("serves breaking news first among the sends waiting in a process", async () => {
    const { limiter: l } = limiter(50);
    const order: string[] = [];
    // Regular sends fill the horizon first, so the later ones wait in the process together.
    const first = Array.from({ length: 16 }, (_, i) =>
      l.acquire(760_000 + i, false, undefined, { priority: 10 }).then(() => order.push("first")),
    );
    const regular = Array.from({ length: 10 }, (_, i) =>
      l.acquire(761_000 + i, false, undefined, { priority: 10 }).then(() => order.push("regular")),
    );
    const breaking = l.acquire(762_000, false, undefined, { priority: 1 }).then(() => order.push("breaking"));
    await Promise.all([...first, ...regular, breaking]);
    // Only sends that had their slots before it came may go first.
    expect(order.filter((o) => o !== "first").indexOf("breaking")).toBe(0);
  });

  it("gives an interactive send a slot ahead of the bulk sends waiting in its process, breaking news included", async () => {
    const { limiter: l } = limiter(50);
    const order: string[] = [];
    const bulk = bulkSends(l, 770_000, 200, order);
    while (order.length < 20) await new Promise((r) => setTimeout(r, 5));
    const asked = order.length;
    await l.acquire(771_000, false, undefined, { interactive: true });
    // Behind it only the slots reserved already (the 300 ms horizon, 15 at 50/s), plus those a busy
    // machine lets the bulk sends take before the call comes back; queued after the bulk, it
    // would wait for most of the 180 left.
    expect(order.length - asked).toBeLessThanOrEqual(60);
    await bulk;
  });

  it("gives an interactive send a slot right behind what other processes' bulk sends reserved, not after them", async () => {
    const prefix = testPrefix("rate-limiter");
    prefixes.push(prefix);
    const keys = redisKeys(prefix);
    // Two worker processes send bulk over one schedule; a third process (the bot) replies to a tap.
    const workers = Array.from({ length: 4 }, () => new RateLimiter(redis, keys, { perSecond: 50 }));
    const bot = new RateLimiter(redis, keys, { perSecond: 50 });
    const order: string[] = [];
    const bulk = Promise.all(workers.map((w, i) => bulkSends(w, 780_000 + i * 1000, 80, order)));
    while (order.length < 20) await new Promise((r) => setTimeout(r, 5));
    const replies: number[] = [];
    for (let i = 0; i < 5; i++) {
      const asked = order.length;
      await bot.acquire(789_500 + i, false, undefined, { interactive: true });
      replies.push(order.length - asked);
    }
    await bulk;
    // Each reply waits for the slots reserved when it asked (a 300 ms horizon, 15 at 50/s), plus
    // those a busy machine lets the bulk senders take before the reply's own call comes back; a
    // reply queued after the bulk would wait for most of the 320.
    for (const behind of replies) expect(behind).toBeLessThanOrEqual(60);
  });

  it("keeps interactive and bulk sends of many processes together within the rate", async () => {
    const prefix = testPrefix("rate-limiter");
    prefixes.push(prefix);
    const keys = redisKeys(prefix);
    const worker = new RateLimiter(redis, keys, { perSecond: 100 });
    const bot = new RateLimiter(redis, keys, { perSecond: 100 });
    const at: number[] = [];
    const granted: number[] = [];
    const stamp = (until: number) => {
      at.push(performance.now());
      granted.push(until);
    };
    await Promise.all([
      ...Array.from({ length: 100 }, (_, i) => worker.acquire(790_000 + i, false).then(stamp)),
      ...Array.from({ length: 30 }, (_, i) =>
        new Promise((r) => setTimeout(r, 10 * i))
          .then(() => bot.acquire(791_000 + i, false, undefined, { interactive: true }))
          .then(stamp),
      ),
    ]);
    at.sort((a, b) => a - b);
    granted.sort((a, b) => a - b);
    // 130 slots 10 ms apart, whichever lane they came by; in any 100 ms no more than 10 of the
    // slots the limiters gave.
    expect((at[129] ?? 0) - (at[0] ?? 0)).toBeGreaterThanOrEqual(129 * 10 - 30);
    for (let i = 0; i + 14 < granted.length; i++)
      expect((granted[i + 14] ?? 0) - (granted[i] ?? 0)).toBeGreaterThan(100);
  });

  it("leaves bulk sends at least half the rate however many interactive sends come", async () => {
    const prefix = testPrefix("rate-limiter");
    prefixes.push(prefix);
    const keys = redisKeys(prefix);
    const worker = new RateLimiter(redis, keys, { perSecond: 50 });
    const bot = new RateLimiter(redis, keys, { perSecond: 50 });
    const order: string[] = [];
    const bulk = bulkSends(worker, 800_000, 40, order);
    // Far more taps than the rate: 150 readers' replies waiting at once.
    const taps = Promise.all(
      Array.from({ length: 150 }, (_, i) =>
        bot.acquire(801_000 + i, false, undefined, { interactive: true }).then(() => order.push("tap")),
      ),
    );
    await Promise.all([bulk, taps]);
    // While both wait, the taps get a first burst (the horizon's 15 slots and the lane's 26, half
    // a second of the rate) and then every other slot at most. Before the lane had a share they
    // took all 150 before the alerts got one more.
    const whileBoth = order.slice(0, order.lastIndexOf("bulk") + 1);
    const tapped = whileBoth.filter((o) => o === "tap").length;
    expect(tapped).toBeLessThanOrEqual(40 + 15 + 26 + 5);
  });
});
