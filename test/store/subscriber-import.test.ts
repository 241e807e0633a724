import { Readable } from "node:stream";
import { Redis } from "ioredis";
import { DateTime } from "luxon";
import { afterAll, describe, expect, it } from "vitest";
import { type ChatSettings, newChat } from "../../src/domain/chat.ts";
import { type KeywordFilter, parseFilter } from "../../src/domain/keyword-filter.ts";
import { defaultReaderOptions, type ReaderOptions } from "../../src/domain/reader-options.ts";
import { defaultCatalog } from "../../src/store/catalog-seed.ts";
import { CatalogStore } from "../../src/store/catalog-store.ts";
import { HeldStore } from "../../src/store/held-store.ts";
import { importSubscribers } from "../../src/store/subscriber-import.ts";
import { deletePrefix, SHARED_REDIS_URL } from "../support/redis.ts";
import { IMPORT_DEFAULTS, importTools } from "../support/subscriber-import-tools.ts";

const redis = new Redis(SHARED_REDIS_URL);
const { freshInstall, importText, exportText, cleanup } = importTools(redis);
const defaults = IMPORT_DEFAULTS;

afterAll(async () => {
  await cleanup();
  redis.disconnect();
});

/** A filter as a reader types it, stored as /filter stores it. */
function typed(text: string): KeywordFilter {
  const parsed = parseFilter(text);
  if (!parsed.ok) throw new Error(`the test's filter ${text} is refused: ${parsed.reason}`);
  return parsed.filter;
}

const options = (changes: Partial<ReaderOptions>): ReaderOptions => ({
  ...defaultReaderOptions(),
  ...changes,
});

/** Chats whose settings use every option, with the awkward values a backup must carry whole. */
const awkwardChats: ChatSettings[] = [
  {
    ...newChat(1001, "private", "ru", "Europe/Moscow"),
    options: options({
      mode: "digest",
      digestTimes: [8 * 60, 19 * 60 + 30],
      // Crosses midnight.
      quiet: { from: 23 * 60, to: 7 * 60 },
      filters: [
        typed("+Грозный"),
        typed("-права человека"),
        typed("+Ёлка"),
        typed("-кабардино-балкария"),
        typed("+O'Brien"),
      ],
    }),
  },
  {
    ...newChat(1002, "private", "en", "America/Argentina/Buenos_Aires"),
    editions: "both",
    options: options({
      mode: "breaking",
      breakingAtOnce: false,
      quiet: { from: 22 * 60, to: 6 * 60 + 30 },
      quietHoldsBreaking: true,
      // A pause that ended long ago, kept as it was.
      muteUntil: Date.UTC(2020, 0, 1, 3, 4, 5, 678),
      muteKeep: false,
      filters: [typed("-футбол")],
      filterBreaking: true,
    }),
  },
  {
    ...newChat(1003, "private", "ru", "Asia/Tbilisi"),
    options: options({ muteUntil: Date.UTC(2099, 11, 31, 23, 0), digestTimes: [0] }),
  },
  // A channel, inactive, with a digest every hour.
  {
    ...newChat(-1001234567890, "channel", "en", "UTC"),
    active: false,
    options: options({ mode: "digest" }),
  },
  // A forum group whose alerts go to a topic, otherwise all defaults.
  { ...newChat(-1009876543210, "group", "ru", "Europe/Moscow"), threadId: 77 },
  newChat(1004, "private", "ru", "Europe/Moscow"),
];

describe("subscriber export, a wipe and an import", () => {
  it("restores every chat's settings, options, topic, kind and subscriptions exactly", async () => {
    const before = await freshInstall("rt-options");
    await before.chats.saveMany(awkwardChats);
    const slugs = ["chechnya", "courts", "dagestan"];
    await before.subs.subscribeMany(
      awkwardChats.flatMap((chat, i) =>
        slugs.slice(0, 1 + (i % 3)).map((slug) => ({ chatId: chat.id, slug })),
      ),
    );
    const ids = awkwardChats.map((c) => c.id);
    const stored = await before.chats.getMany(ids);
    // What was saved is what a reader has: the test compares with it, not with its own literals.
    expect([...stored.values()].map((c) => c.options?.filters.map((f) => f.phrase))[0]).toEqual([
      "грозный",
      "права человека",
      "елка",
      "кабардино-балкария",
      "o'brien",
    ]);
    const subscriptions = new Map(
      await Promise.all(ids.map(async (id) => [id, await before.subs.slugsOf(id, slugs)] as const)),
    );
    const backup = await exportText(before.keys);

    await deletePrefix(redis, before.keys.prefix);
    expect(await before.chats.getMany(ids)).toEqual(new Map());
    await new CatalogStore(redis, before.keys).seedOnce(defaultCatalog());
    const { summary, bad } = await importText(before.keys, backup);

    expect(bad).toEqual([]);
    expect(summary).toMatchObject({ chats: awkwardChats.length, badLines: 0 });
    expect(await before.chats.getMany(ids)).toEqual(stored);
    for (const id of ids) expect(await before.subs.slugsOf(id, slugs)).toEqual(subscriptions.get(id));
    expect(await exportText(before.keys)).toBe(backup);
  });
});

describe("subscriber import, line by line", () => {
  it("reports bad lines by number and reason, and still imports the good ones", async () => {
    const { keys, subs } = await freshInstall("bad");
    const csv = [
      "chat_id,slugs",
      "101,chechnya;courts",
      "abc,courts",
      "102,atlantis",
      "",
      "103,courts,de",
      "104",
      "105,courts,ru,ru,Nowhere/Land",
      "106,dagestan",
    ].join("\n");
    const { summary, bad } = await importText(keys, csv);
    expect(bad).toEqual([
      'line 3: bad chat id "abc"',
      'line 4: unknown slug "atlantis"',
      'line 6: bad language "de" (ru or en)',
      "line 7: expected 2 to 7 columns, got 1",
      'line 8: bad time zone "Nowhere/Land"',
    ]);
    expect(summary).toMatchObject({ chats: 2, subscriptions: 3, badLines: 5 });
    expect(await subs.slugsOf(101, ["chechnya", "courts"])).toEqual(["chechnya", "courts"]);
    expect(await subs.slugsOf(106, ["dagestan"])).toEqual(["dagestan"]);
    expect(await subs.slugsOf(102, ["courts"])).toEqual([]);
    expect(Object.fromEntries(await subs.counts())).toEqual({ chechnya: 1, courts: 1, dagestan: 1 });
  });

  it("restores subscriptions to a slug the admins archived, so a backup comes back whole", async () => {
    const { keys, subs } = await freshInstall("archived");
    await new CatalogStore(redis, keys).put({
      slug: "courts",
      kind: "topic",
      nameRu: "Суды",
      nameEn: "Courts",
      state: "archived",
    });
    const { bad } = await importText(keys, "7,chechnya;courts\n");
    expect(bad).toEqual([]);
    expect(await subs.slugsOf(7, ["chechnya", "courts"])).toEqual(["chechnya", "courts"]);
  });

  it("skips a header on the first line and reports a non-numeric id anywhere else", async () => {
    const { keys, subs } = await freshInstall("header");
    const { summary, bad } = await importText(
      keys,
      "\ufeffchat_id,slugs,lang,editions,time_zone,active\r\n1,courts\r\nchat_id,slugs\r\n",
    );
    expect(bad).toEqual(['line 3: bad chat id "chat_id"']);
    expect(summary.chats).toBe(1);
    expect(await subs.slugsOf(1, ["courts"])).toEqual(["courts"]);
  });

  it("imports a first line that is a chat, not a header", async () => {
    const { keys, subs } = await freshInstall("noheader");
    const { summary } = await importText(keys, "1,courts\n2,courts");
    expect(summary.chats).toBe(2);
    expect(await subs.slugsOf(1, ["courts"])).toEqual(["courts"]);
  });

  it("imports groups and supergroups by their negative ids and round-trips them", async () => {
    const { keys, chats, subs } = await freshInstall("groups");
    await importText(keys, "-1001234567890,chechnya,en,both,Asia/Tbilisi,1\n-4005,courts\n");
    expect(await chats.get(-1001234567890)).toEqual({
      id: -1001234567890,
      kind: "group",
      lang: "en",
      editions: "both",
      timeZone: "Asia/Tbilisi",
      active: true,
    });
    expect(await subs.slugsOf(-4005, ["courts"])).toEqual(["courts"]);
    expect((await exportText(keys)).split("\n").sort()).toEqual(
      [
        "",
        "-1001234567890,chechnya,en,both,Asia/Tbilisi,1,{}",
        "-4005,courts,ru,ru,Europe/Moscow,1,{}",
        "chat_id,slugs,lang,editions,time_zone,active,options",
      ].sort(),
    );
  });

  it("leaves an existing chat's settings alone unless its line gives them", async () => {
    const { keys, chats } = await freshInstall("existing");
    const blocked = {
      ...newChat(55, "private", "en", "Asia/Baku"),
      editions: "both" as const,
      active: false,
    };
    await chats.save(blocked);
    await chats.save(newChat(56, "channel", "ru", "Europe/Moscow"));
    await importText(keys, "55,courts\n56,courts,en,,UTC\n");
    expect(await chats.get(55)).toEqual(blocked);
    expect(await chats.get(56)).toEqual({ ...newChat(56, "channel", "en", "UTC"), editions: "ru" });
  });

  it("leaves a chat's options, topic and kind alone when its line comes from a file without the options column", async () => {
    const { keys, chats } = await freshInstall("old-file");
    const channel: ChatSettings = {
      ...newChat(-1005, "channel", "ru", "Europe/Moscow"),
      threadId: 4,
      options: options({ mode: "digest", filters: [typed("-футбол")] }),
    };
    await chats.save(channel);
    const { bad } = await importText(
      keys,
      "chat_id,slugs,lang,editions,time_zone,active\n-1005,courts,en,,UTC,1\n",
    );
    expect(bad).toEqual([]);
    expect(await chats.get(-1005)).toEqual({ ...channel, lang: "en", timeZone: "UTC" });
  });

  it("reports a bad options cell by line number and refuses that line whole, importing the others", async () => {
    const { keys, chats, subs } = await freshInstall("bad-options");
    const csv = [
      "chat_id,slugs,lang,editions,time_zone,active,options",
      '201,courts,en,both,UTC,1,"{""muteUntil"":""2020-01-01T00:00:00Z"",""muteKeep"":false}"',
      '202,courts,en,both,UTC,1,"{""quiet"":{""from"":""23:00"",""to"":""23:00""}}"',
      "203,courts,en,both,UTC,1,{mode:digest}",
      '204,courts,en,both,UTC,1,"{""filters"":[""-say \\""hi\\""""]}"',
      "205,courts,en,both,UTC,1,{}",
    ].join("\n");
    const { summary, bad } = await importText(keys, csv);
    expect(bad).toEqual([
      'line 3: bad options: quiet {"from":"23:00","to":"23:00"} starts when it ends',
      "line 4: bad options: not a JSON object: {mode:digest}",
      `line 5: bad options: filter "-say \\"hi\\"" holds a sign other than letters, digits, spaces, - and '`,
    ]);
    expect(summary).toMatchObject({ chats: 2, badLines: 3 });
    expect((await chats.get(201))?.options).toEqual(
      options({ muteUntil: Date.UTC(2020, 0, 1), muteKeep: false }),
    );
    for (const id of [202, 203, 204]) {
      expect(await chats.get(id)).toBeUndefined();
      expect(await subs.slugsOf(id, ["courts"])).toEqual([]);
    }
    expect(await chats.get(205)).toMatchObject({ lang: "en", editions: "both" });
  });

  it("sets anew when an existing chat's held news comes, when a line changes its pause, mode or zone", async () => {
    const { keys, chats } = await freshInstall("held");
    const held = new HeldStore(redis, keys);
    const paused = Date.now() + 6 * 3600_000;
    for (const id of [301, 302]) {
      await chats.save({ ...newChat(id, "private", "ru", "UTC"), options: options({ muteUntil: paused }) });
      await redis.zadd(keys.heldItems(id), Date.now(), "000000000000001");
      await redis.zadd(keys.heldDue, paused, String(id));
    }
    // 303 has a digest at 08:00 in UTC, held for then.
    const utcEight = DateTime.utc().plus({ days: 1 }).startOf("day").plus({ hours: 8 });
    await chats.save({
      ...newChat(303, "private", "ru", "UTC"),
      options: options({ mode: "digest", digestTimes: [480] }),
    });
    await redis.zadd(keys.heldItems(303), Date.now(), "000000000000001");
    await redis.zadd(keys.heldDue, utcEight.toMillis(), "303");
    // 301: the pause is lifted ({} is every default); 302: its old line changes only the language;
    // 303: its old line moves it to Tbilisi, where 08:00 comes four hours sooner.
    const { bad } = await importText(keys, "301,courts,,,,,{}\n302,courts,en\n303,courts,,,Asia/Tbilisi\n");
    expect(bad).toEqual([]);
    expect(await held.dueAt(301)).toBeLessThanOrEqual(Date.now());
    expect(await held.dueAt(302)).toBe(paused);
    const tbilisi = DateTime.now().setZone("Asia/Tbilisi");
    const eight = tbilisi.startOf("day").plus({ hours: 8 });
    expect(await held.dueAt(303)).toBe((eight > tbilisi ? eight : eight.plus({ days: 1 })).toMillis());
  });

  it("builds a chat's later line on its earlier one, across batch boundaries too", async () => {
    const { keys, chats, subs } = await freshInstall("twice");
    const csv = [
      "9,courts,en,both,UTC",
      "1,courts",
      "2,courts",
      "3,courts",
      "9,chechnya,ru",
      "4,courts",
    ].join("\n");
    const { summary } = await importText(keys, csv, { batchSize: 2 });
    expect(summary).toMatchObject({ chats: 6, newChats: 5 });
    // Only the language changes: the editions and zone of the earlier line stay.
    expect(await chats.get(9)).toMatchObject({ lang: "ru", editions: "both", timeZone: "UTC" });
    expect(await subs.slugsOf(9, ["chechnya", "courts"])).toEqual(["chechnya", "courts"]);
  });

  it("counts each new subscription once, like subscribing one by one", async () => {
    const { keys, subs } = await freshInstall("counts");
    await subs.subscribe(1, "courts");
    const { summary } = await importText(keys, "1,courts;chechnya\n2,courts;courts\n3,courts\n");
    expect(summary).toMatchObject({ subscriptions: 4, newSubscriptions: 3 });
    expect(Object.fromEntries(await subs.counts())).toEqual({ courts: 3, chechnya: 1 });
  });

  it("reads quoted fields, as a spreadsheet writes them, and true/false active flags", async () => {
    const { keys, chats, subs } = await freshInstall("quoted");
    const csv = [
      '"chat_id","slugs","lang","editions","time_zone","active"',
      '"3110","chechnya;courts","en","both","UTC","FALSE"',
      '3111,"dagestan",,,,true',
    ].join("\r\n");
    const { summary, bad } = await importText(keys, csv);
    expect(bad).toEqual([]);
    expect(summary).toMatchObject({ chats: 2, subscriptions: 3 });
    expect(await chats.get(3110)).toMatchObject({ lang: "en", editions: "both", active: false });
    expect(await chats.get(3111)).toMatchObject({ active: true });
    expect(await subs.slugsOf(3110, ["chechnya", "courts"])).toEqual(["chechnya", "courts"]);
  });

  it("reports a line with a stray quote as one bad line and reads the lines after it", async () => {
    const { keys, subs } = await freshInstall("stray-quote");
    const { summary, bad } = await importText(keys, '1,courts\n"2,courts\n3,courts\n4,"cour"ts\n5,courts\n');
    expect(bad).toEqual(["line 2: bad quoting", "line 4: bad quoting"]);
    expect(summary).toMatchObject({ chats: 3, badLines: 2 });
    expect(await subs.slugsOf(5, ["courts"])).toEqual(["courts"]);
  });

  it("reads lines split across chunks, even inside a multi-byte character", async () => {
    const { keys, chats } = await freshInstall("chunks");
    const bytes = Buffer.from("\ufeff1,courts,ru,ru,Asia/Tbilisi\r\n2,courts,en\n");
    const chunks = [...bytes].map((b) => Buffer.from([b]));
    const summary = await importSubscribers(redis, keys, Readable.from(chunks), {
      defaults,
      onBadLine: (line, reason) => {
        throw new Error(`line ${line}: ${reason}`);
      },
    });
    expect(summary.chats).toBe(2);
    expect(await chats.get(1)).toMatchObject({ timeZone: "Asia/Tbilisi" });
    expect(await chats.get(2)).toMatchObject({ lang: "en" });
  });

  it("refuses a file with a line too long to be a subscriber line, before reading it all", async () => {
    const { keys } = await freshInstall("long-line");
    const endless = Readable.from(
      (function* () {
        for (let i = 0; i < 100; i++) yield Buffer.alloc(64 * 1024, "1");
      })(),
    );
    await expect(importSubscribers(redis, keys, endless, { defaults, onBadLine: () => {} })).rejects.toThrow(
      /line 1 is over \d+ characters: not a subscriber file/,
    );
  });

  it("skips the chats that said /stop, counting each once, so an older backup does not bring them back", async () => {
    const { keys, chats, subs, stopList } = await freshInstall("stopped");
    await stopList.add(21, new Date("2024-05-01T10:00:00Z"));
    await stopList.add(-1001, new Date("2024-05-02T10:00:00Z"));
    const csv = "20,courts\n21,courts\n-1001,chechnya\n21,chechnya\n22,courts\n";
    const { summary, bad } = await importText(keys, csv, { batchSize: 2 });
    expect(bad).toEqual([]);
    expect(summary).toMatchObject({ chats: 2, subscriptions: 2, stoppedChats: 2, newChats: 2 });
    expect(await chats.get(21)).toBeUndefined();
    expect(await subs.slugsOf(21, ["courts", "chechnya"])).toEqual([]);
    expect(await subs.slugsOf(-1001, ["chechnya"])).toEqual([]);
    expect(Object.fromEntries(await subs.counts())).toEqual({ courts: 2 });
  });

  it("imports the chats that said /stop too when asked, and leaves the stop list as it was", async () => {
    const { keys, subs, stopList } = await freshInstall("include-stopped");
    const at = new Date("2024-05-01T10:00:00Z");
    await stopList.add(21, at);
    const { summary } = await importText(keys, "21,courts\n", { includeStopped: true });
    expect(summary).toMatchObject({ chats: 1, stoppedChats: 0 });
    expect(await subs.slugsOf(21, ["courts"])).toEqual(["courts"]);
    expect(await stopList.stoppedAmong([21])).toEqual(new Set([21]));
  });

  it("reports how far it has read, in bytes", async () => {
    const { keys } = await freshInstall("bytes");
    const csv = "1,courts\n2,courts\n";
    let bytes = 0;
    await importText(keys, csv, { onBytes: (n) => (bytes += n) });
    expect(bytes).toBe(Buffer.byteLength(csv));
  });
});
