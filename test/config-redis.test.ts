import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../src/config.ts";
import { redisAddress, redisOptions } from "../src/store/redis.ts";

const token = { BOT_TOKEN: "123:abc" };
const failure = (env: Record<string, string>) => {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected the configuration to be refused");
};

describe("Redis configuration", () => {
  it("connects to REDIS_URL alone when no sentinels are named", () => {
    expect(parseConfig({ ...token, REDIS_URL: "redis://cache:6380/2" }).redis).toEqual({
      url: "redis://cache:6380/2",
    });
    expect(parseConfig({ ...token, REDIS_SENTINELS: "" }).redis).toEqual({ url: "redis://127.0.0.1:6379" });
  });

  it("reads REDIS_SENTINELS as host:port pairs, IPv6 in brackets, and names the master mymaster by default", () => {
    const config = parseConfig({
      ...token,
      REDIS_SENTINELS: " sentinel-1:26379, 10.0.0.7:26380,[::1]:26381",
    });
    expect(config.redis).toEqual({
      url: "redis://127.0.0.1:6379",
      sentinels: [
        { host: "sentinel-1", port: 26379 },
        { host: "10.0.0.7", port: 26380 },
        { host: "::1", port: 26381 },
      ],
      sentinelName: "mymaster",
    });
    const named = parseConfig({
      ...token,
      REDIS_SENTINELS: "s:26379",
      REDIS_SENTINEL_NAME: "newsbell-main",
      REDIS_SENTINEL_PASSWORD: "sentinel-secret",
    });
    expect(named.redis).toMatchObject({ sentinelName: "newsbell-main", sentinelPassword: "sentinel-secret" });
  });

  it("names a malformed sentinel list and the entry that is wrong", () => {
    expect(failure({ ...token, REDIS_SENTINELS: "sentinel-1" })).toBe(
      'REDIS_SENTINELS must be comma-separated host:port pairs such as sentinel-1:26379,sentinel-2:26379 ("sentinel-1" is not one)',
    );
    expect(failure({ ...token, REDIS_SENTINELS: "a:26379,b:99999" })).toMatch(/\("b:99999" is not one\)$/);
    expect(failure({ ...token, REDIS_SENTINELS: "a:26379,,b:1" })).toMatch(/\(an empty entry is not one\)$/);
    expect(failure({ ...token, REDIS_SENTINELS: "redis://a:26379" })).toMatch(/^REDIS_SENTINELS must be/);
    expect(failure({ ...token, REDIS_SENTINELS: "a:1", REDIS_SENTINEL_NAME: "my master" })).toMatch(
      /^REDIS_SENTINEL_NAME must be the master's name/,
    );
  });

  it("refuses sentinel settings without sentinels, instead of ignoring them", () => {
    expect(failure({ ...token, REDIS_SENTINEL_NAME: "mymaster" })).toBe(
      "REDIS_SENTINEL_NAME is set but REDIS_SENTINELS is not",
    );
    expect(failure({ ...token, REDIS_SENTINEL_PASSWORD: "x" })).toBe(
      "REDIS_SENTINEL_PASSWORD is set but REDIS_SENTINELS is not",
    );
  });

  it("takes a prefix in braces, the hash tag Redis Cluster needs, and nothing half-braced", () => {
    expect(parseConfig({ ...token, REDIS_PREFIX: "{newsbell}" }).redisPrefix).toBe("{newsbell}");
    for (const prefix of ["{newsbell", "news}bell", "{}", "{a}{b}", "{a}b", "{a:b}"]) {
      expect(failure({ ...token, REDIS_PREFIX: prefix }), prefix).toBe(
        "REDIS_PREFIX must be 1-64 letters, digits, - or _, or such a name in braces for Redis Cluster, e.g. {newsbell}",
      );
    }
  });
});

describe("connection options", () => {
  it("under Sentinel, takes the user, password, database and TLS from REDIS_URL and the master from the sentinels", () => {
    const { redis } = parseConfig({
      ...token,
      REDIS_URL: "rediss://app:p%40ss@ignored-host:1/3",
      REDIS_SENTINELS: "s1:26379",
      REDIS_SENTINEL_NAME: "main",
    });
    const options = redisOptions(redis, "worker");
    expect(options).toMatchObject({
      sentinels: [{ host: "s1", port: 26379 }],
      name: "main",
      username: "app",
      password: "p@ss",
      db: 3,
      tls: {},
      maxRetriesPerRequest: null,
    });
    expect(options).not.toHaveProperty("host");
    expect(redisAddress(redis)).toBe('master "main" of the sentinels s1:26379 (REDIS_SENTINELS)');
  });

  it("has workers send a write refused by a replica again after reconnecting, and producers fail it", () => {
    const target = { url: "redis://127.0.0.1:6379" };
    const readonly = new Error("READONLY You can't write against a read only replica.");
    const other = new Error("ERR wrong number of arguments");
    expect(redisOptions(target, "worker").reconnectOnError?.(readonly)).toBe(2);
    expect(redisOptions(target, "worker").reconnectOnError?.(other)).toBe(false);
    expect(redisOptions(target, "producer").reconnectOnError?.(readonly)).toBe(true);
    expect(redisOptions(target, "producer")).toMatchObject({ enableOfflineQueue: false });
    expect(redisAddress(target)).toBe("127.0.0.1:6379 (REDIS_URL)");
  });
});
