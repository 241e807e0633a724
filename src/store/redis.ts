import { Redis, type RedisOptions } from "ioredis";

/** One sentinel's address. */
export interface HostPort {
  host: string;
  port: number;
}

/** What a Redis connection is made from: a URL, and sentinels when Redis runs under Sentinel. */
export interface RedisTarget {
  url: string;
  sentinels?: HostPort[];
  sentinelName?: string;
  sentinelPassword?: string;
}

/**
 * A write refused because this server is a replica: after a failover the old master's
 * connection may still be open (or a DNS name may still point at it). Reconnecting asks the
 * sentinels (or the DNS) again and reaches the master; the command was not run, so it may be sent again.
 */
const READONLY = /^READONLY\b/;

/**
 * The options of every connection the project opens, standalone or through Sentinel.
 *
 * Workers block on Redis and must wait through outages and failovers (BullMQ requires
 * maxRetriesPerRequest: null), sending a refused write again once they reach the master.
 * Producers answer people and HTTP clients, so they fail fast instead of hanging while
 * Redis is down, and only reconnect after a refused write (the caller answers 503 meanwhile).
 */
export function redisOptions(target: RedisTarget, use: "worker" | "producer"): RedisOptions {
  const byUse: RedisOptions =
    use === "worker"
      ? {
          maxRetriesPerRequest: null,
          enableReadyCheck: true,
          reconnectOnError: (err) => (READONLY.test(err.message) ? 2 : false),
        }
      : {
          maxRetriesPerRequest: 2,
          enableOfflineQueue: false,
          connectTimeout: 5_000,
          reconnectOnError: (err) => READONLY.test(err.message),
        };
  if (!target.sentinels) return { lazyConnect: false, ...byUse };
  // Under Sentinel the sentinels say where the master is; REDIS_URL still gives how to log in
  // to it (user, password), which database, and whether to use TLS.
  const url = new URL(target.url);
  const db = Number(url.pathname.replace(/^\//, "") || "0");
  return {
    lazyConnect: false,
    sentinels: target.sentinels,
    name: target.sentinelName,
    ...(target.sentinelPassword ? { sentinelPassword: target.sentinelPassword } : {}),
    ...(url.username ? { username: decodeURIComponent(url.username) } : {}),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
    ...(Number.isInteger(db) && db > 0 ? { db } : {}),
    ...(url.protocol === "rediss:" ? { tls: {} } : {}),
    // No failoverDetector (ioredis's listener for the sentinels' +switch-master): with it, the
    // failover test sometimes stalled with some connections never back on the new master (2 runs
    // in 9; 0 in 10 without). A dead master's connection closes, and the sentinels are then asked
    // again until they name the new master.
    ...byUse,
  };
}

/** The one way the project opens a Redis connection (see `redisOptions`). */
export function createRedis(
  target: RedisTarget,
  use: "worker" | "producer",
  extra: RedisOptions = {},
): Redis {
  const options = { ...redisOptions(target, use), ...extra };
  return target.sentinels ? new Redis(options) : new Redis(target.url, options);
}

/**
 * How many times `redis` has become ready: a change tells a long task that its connection was
 * made anew meanwhile, perhaps to another server after a failover.
 */
export function countConnections(redis: Redis): () => number {
  let ready = 0;
  redis.on("ready", () => {
    ready++;
  });
  return () => ready;
}

/** Where Redis is, for messages: host and port (or the sentinels), never a user name or password. */
export function redisAddress(target: RedisTarget): string {
  if (target.sentinels) {
    const nodes = target.sentinels.map((n) => `${n.host.includes(":") ? `[${n.host}]` : n.host}:${n.port}`);
    return `master "${target.sentinelName}" of the sentinels ${nodes.join(",")} (REDIS_SENTINELS)`;
  }
  try {
    const { hostname, port } = new URL(target.url);
    return `${hostname}:${port || "6379"} (REDIS_URL)`;
  } catch {
    return "REDIS_URL";
  }
}

/**
 * Redis Cluster refuses a script or transaction whose keys lie in different slots, and BullMQ
 * needs each queue's keys in one slot: every key must then share the prefix's hash tag. Called
 * at start, so a cluster with a plain prefix stops the start with one line instead of failing
 * at the first fan-out.
 */
export async function checkPrefixFitsServer(redis: Redis, prefix: string): Promise<string | undefined> {
  const info = await redis.info("cluster").catch(() => "");
  if (!/^cluster_enabled:1\s*$/m.test(info)) return undefined;
  if (/^\{[^{}]+\}$/.test(prefix)) return undefined;
  return `Redis runs as a cluster, so REDIS_PREFIX must be a hash tag such as {${prefix}} (it is "${prefix}")`;
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
