import { Redis, type RedisOptions } from "ioredis";

/**
 * Workers block on Redis and must wait through outages (BullMQ requires
 * maxRetriesPerRequest: null); producers answer people and HTTP clients, so
 * they fail fast instead of hanging while Redis is down.
 */
export function createRedis(url: string, use: "worker" | "producer", extra: RedisOptions = {}): Redis {
  const options: RedisOptions =
    use === "worker"
      ? { maxRetriesPerRequest: null, enableReadyCheck: true }
      : { maxRetriesPerRequest: 2, enableOfflineQueue: false, connectTimeout: 5_000 };
  return new Redis(url, { lazyConnect: false, ...options, ...extra });
}

/** Every key matching `pattern`, a batch at a time, without blocking Redis as KEYS would. */
export async function* scanKeys(redis: Redis, pattern: string, count = 1000): AsyncGenerator<string[]> {
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", pattern, "COUNT", count);
    cursor = next;
    if (keys.length > 0) yield keys;
  } while (cursor !== "0");
}

/** Removes every key under `prefix` (throw-away tenants: tests, benchmarks). */
export async function deleteKeysUnder(redis: Redis, prefix: string): Promise<void> {
  for await (const keys of scanKeys(redis, `${prefix}:*`)) await redis.unlink(...keys);
}

/**
 * Waits until the connection is ready. `failOnError` gives up at the first connection error
 * (one-shot commands); otherwise ioredis keeps retrying until the timeout.
 */
export async function waitUntilReady(redis: Redis, timeoutMs: number, failOnError = false): Promise<void> {
  if (redis.status === "ready") return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs / 1000} s`)), timeoutMs);
    redis.once("ready", () => {
      clearTimeout(timer);
      resolve();
    });
    if (failOnError) {
      redis.once("error", (err: Error) => {
        clearTimeout(timer);
        reject(err);
      });
    }
  });
}
