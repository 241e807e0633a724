import type { Redis } from "ioredis";
import { createRedis, type RedisTarget, redisAddress, waitUntilReady } from "../store/redis.ts";

export class RedisUnavailableError extends Error {}

/**
 * A fail-fast connection for a one-shot command: it answers within `timeoutMs` or the command
 * stops with one line, instead of retrying in the background while the user waits.
 */
export async function connectProducer(target: RedisTarget, timeoutMs = 5_000): Promise<Redis> {
  const redis = createRedis(target, "producer", {
    retryStrategy: () => null,
    sentinelRetryStrategy: () => null,
  });
  try {
    await waitUntilReady(redis, timeoutMs, true);
  } catch (error) {
    redis.disconnect();
    throw new RedisUnavailableError(`cannot reach Redis at ${where(target)}: ${(error as Error).message}`);
  }
  // Later connection errors surface as failed commands; this keeps ioredis from also printing them.
  redis.on("error", () => {});
  return redis;
}

/** The URL as given, its password masked; or the sentinels and the master's name. */
function where(target: RedisTarget): string {
  if (target.sentinels) return redisAddress(target);
  try {
    const parsed = new URL(target.url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "the configured URL";
  }
}
