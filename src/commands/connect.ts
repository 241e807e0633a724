import type { Redis } from "ioredis";
import { createRedis, waitUntilReady } from "../store/redis.ts";

export class RedisUnavailableError extends Error {}

/**
 * A fail-fast connection for a one-shot command: it answers within `timeoutMs` or the command
 * stops with one line, instead of retrying in the background while the user waits.
 */
export async function connectProducer(url: string, timeoutMs = 5_000): Promise<Redis> {
  const redis = createRedis(url, "producer", { retryStrategy: () => null });
  try {
    await waitUntilReady(redis, timeoutMs, true);
  } catch (error) {
    redis.disconnect();
    throw new RedisUnavailableError(`cannot reach Redis at ${redactedUrl(url)}: ${(error as Error).message}`);
  }
  // Later connection errors surface as failed commands; this keeps ioredis from also printing them.
  redis.on("error", () => {});
  return redis;
}

function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    return parsed.toString();
  } catch {
    return "the configured URL";
  }
}
