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
