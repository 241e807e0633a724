import { createReadStream, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultCatalog } from "../../src/store/catalog-seed.ts";
import { importSubscribers } from "../../src/store/subscriber-import.ts";
import { SubscriptionStore } from "../../src/store/subscription-store.ts";
import { SHARED_REDIS_URL } from "../support/redis.ts";
import { writeSyntheticSubscriberCsv } from "../support/subscriber-csv-fixture.ts";
import { IMPORT_DEFAULTS, importTools } from "../support/subscriber-import-tools.ts";

// A backup's size: `npm run test:chaos` runs this, `npm test` the line-by-line cases beside it.
const redis = new Redis(SHARED_REDIS_URL);
const { freshInstall, importText, exportText, cleanup } = importTools(redis);
const defaults = IMPORT_DEFAULTS;
const dir = mkdtempSync(join(tmpdir(), "newsbell-import-"));

afterAll(async () => {
  await cleanup();
  redis.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

describe("subscriber import and export, 100,000 chats", () => {
  const file = join(dir, "100k.csv");
  let first: Awaited<ReturnType<typeof freshInstall>>;
  let firstExport = "";

  beforeAll(async () => {
    await writeSyntheticSubscriberCsv(
      file,
      100_000,
      defaultCatalog().map((e) => e.slug),
    );
    first = await freshInstall("rt-a");
    const bad: number[] = [];
    const summary = await importSubscribers(redis, first.keys, createReadStream(file), {
      defaults,
      onBadLine: (line) => bad.push(line),
    });
    expect(bad).toEqual([]);
    expect(summary).toMatchObject({ chats: 100_000, newChats: 100_000, badLines: 0 });
    firstExport = await exportText(first.keys);
  }, 60_000);

  it("exports every chat once, with the header, and restores identical data from that export", async () => {
    const lines = firstExport.trimEnd().split("\n");
    expect(lines[0]).toBe("chat_id,slugs,lang,editions,time_zone,active,options");
    expect(lines).toHaveLength(100_001);
    expect(new Set(lines.map((l) => l.split(",")[0])).size).toBe(100_001);

    const second = await freshInstall("rt-b");
    const { summary, bad } = await importText(second.keys, firstExport);
    expect(bad).toEqual([]);
    expect(summary.chats).toBe(100_000);
    expect(await exportText(second.keys)).toBe(firstExport);
    expect(await second.subs.counts()).toEqual(await first.subs.counts());
  }, 60_000);

  it("changes nothing when the same file is imported again", async () => {
    const countsBefore = await first.subs.counts();
    const again = await importSubscribers(redis, first.keys, createReadStream(file), {
      defaults,
      onBadLine: () => {},
    });
    expect(again).toMatchObject({ chats: 100_000, newChats: 0, newSubscriptions: 0, badLines: 0 });
    expect(await first.subs.counts()).toEqual(countsBefore);
    expect(await exportText(first.keys)).toBe(firstExport);
  }, 60_000);

  it("exports every chat of a slug whose widening is half done, and re-imports into it counting nobody twice", async () => {
    const wide = await freshInstall("rt-w");
    expect((await importText(wide.keys, firstExport)).bad).toEqual([]);
    const countsBefore = await wide.subs.counts();
    const followers = (await wide.subs.recipientsInShards(["chechnya"], 0, 2)).flat();
    // Two widenings (1 → 2 → 4) whose sweeps never ran, as when the process stops right after
    // each: a chat leaves and comes back, so the data is as before and only the layout changed.
    const stopped = new (class extends SubscriptionStore {
      override async settle(): Promise<void> {}
    })(redis, wide.keys, { widenAt: 0.001 });
    for (const id of followers.slice(0, 2)) {
      await stopped.unsubscribe(id, "chechnya");
      expect(await stopped.subscribe(id, "chechnya")).toBe(true);
    }
    expect(await redis.hget(wide.keys.subscriptionWidths, "chechnya")).toBe("4");
    expect(await exportText(wide.keys)).toBe(firstExport);

    const again = await importText(wide.keys, firstExport);
    expect(again.summary).toMatchObject({ chats: 100_000, newChats: 0, newSubscriptions: 0 });
    expect(await wide.subs.counts()).toEqual(countsBefore);

    await wide.subs.settle();
    expect(await redis.exists(wide.keys.subscriptionShard("chechnya", 0))).toBe(0);
    const parts = [0, 1, 2, 3].map((part) => wide.keys.subscriptionPart("chechnya", 0, part));
    const encodings = await Promise.all(parts.map((key) => redis.object("ENCODING", key)));
    expect(encodings.filter((e) => e !== null).every((e) => e === "intset")).toBe(true);
    let inParts = 0;
    for (const key of parts) inParts += await redis.scard(key);
    expect(inParts).toBe(followers.filter((id) => id % 1024 === 0).length);
    expect(await exportText(wide.keys)).toBe(firstExport);
  }, 60_000);

  it("stores the settings a line gives, and the defaults for those it leaves empty", async () => {
    const source = readFileSync(file, "utf8").split("\n").slice(1, 1000);
    const given = source.find((l) => l.split(",")[2] !== "");
    const empty = source.find((l) => l.split(",")[2] === "");
    if (!given || !empty) throw new Error("the fixture should have lines of both kinds");
    const [givenId, , lang, editions, timeZone, active] = given.split(",");
    expect(await first.chats.get(Number(givenId))).toMatchObject({
      lang,
      editions,
      timeZone,
      active: active === "1",
    });
    expect(await first.chats.get(Number(empty.split(",")[0]))).toMatchObject({
      lang: "ru",
      editions: "ru",
      timeZone: "Europe/Moscow",
      active: true,
    });
  });
});
