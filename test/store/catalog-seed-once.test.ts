import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import type { CatalogEntry } from "../../src/domain/catalog.ts";
import { CatalogStore } from "../../src/store/catalog-store.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "../support/redis.ts";
import { RedisMonitor } from "../support/redis-monitor.ts";

const redis = new Redis(SHARED_REDIS_URL);
const prefixes: string[] = [];

afterAll(async () => {
  for (const prefix of prefixes) await deletePrefix(redis, prefix);
  redis.disconnect();
});

function fresh(name: string) {
  const prefix = testPrefix(name);
  prefixes.push(prefix);
  const keys = redisKeys(prefix);
  return { keys, store: new CatalogStore(redis, keys) };
}

const entries: CatalogEntry[] = [
  { slug: "chechnya", kind: "region", nameRu: "Чечня", nameEn: "Chechnya", state: "active" },
  { slug: "courts", kind: "topic", nameRu: "Суды", nameEn: "Courts", state: "active" },
];

describe("seeding the catalogue once", () => {
  it("writes the entries and then the seeded flag, in one MULTI transaction", async () => {
    const { keys, store } = fresh("seed-order");
    // Connected before MONITOR starts, so its own handshake is not among the commands.
    await redis.ping();
    // Only this client's commands: other test files use MULTI too (BullMQ).
    const me = `${redis.stream.localAddress}:${redis.stream.localPort}`;
    const monitor = await RedisMonitor.start();
    try {
      expect(await store.seedOnce(entries)).toBe(true);
    } finally {
      // Returns once MONITOR has reported every command sent before it, the EXEC included.
      await monitor.stop(redis);
    }
    const commands = monitor.commands
      .filter((c) => c.source === me && c.name !== "echo")
      .map((c) => [c.name, c.args[0]].filter(Boolean).join(" "));
    expect(commands).toEqual([
      `exists ${keys.catalogSeeded}`,
      "multi",
      `hsetnx ${keys.catalog}`,
      `hsetnx ${keys.catalog}`,
      `set ${keys.catalogSeeded}`,
      "exec",
    ]);
  });

  it("seeds a fresh installation and never again, keeping what admins changed since", async () => {
    const { store } = fresh("seed-twice");
    expect(await store.seedOnce(entries)).toBe(true);
    const renamed = { ...entries[1], nameEn: "Trials" } as CatalogEntry;
    await store.put(renamed);
    expect(await store.seedOnce(entries)).toBe(false);
    expect(await store.get("courts")).toEqual(renamed);
    expect((await store.all()).length).toBe(2);
  });

  it("reports seeding once when two first starts race, with every entry written", async () => {
    const { store } = fresh("seed-race");
    const results = await Promise.all([store.seedOnce(entries), store.seedOnce(entries)]);
    expect(results.filter(Boolean)).toEqual([true]);
    expect((await store.all()).map((e) => e.slug).sort()).toEqual(["chechnya", "courts"]);
  });
});
