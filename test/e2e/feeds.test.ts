import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startWorkers } from "../../jobs/workers.ts";
import { ConfigError, parseConfig } from "../../src/config.ts";
import { createLogger } from "../../src/logger.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { type Harness, startHarness } from "../support/bot-harness.ts";
import { deliveryTools } from "../support/delivery-harness.ts";
import { eventually } from "../support/eventually.ts";
import { FeedServer, feedFixture, status, xml } from "../support/feed-server.ts";

const FEED = "e2e-ru";
const ADMINS = [7001, 7002];
const dir = mkdtempSync(join(tmpdir(), "newsbell-feeds-"));
let server: FeedServer;
let h: Harness;
let t: ReturnType<typeof deliveryTools>;

function feedsJson(url: string) {
  return [
    {
      id: FEED,
      url,
      edition: "ru",
      intervalSeconds: 30,
      categories: {
        Чечня: ["chechnya"],
        Ингушетия: ["ingushetia"],
        Дагестан: ["dagestan"],
        Chechnya: ["chechnya"],
      },
      keywords: { Kadyrov: ["chechnya"] },
    },
  ];
}

const alertsTo = (chatId: number) => h.fake.messagesTo(chatId).filter((m) => m.method === "sendMessage");
const everySentText = () => h.fake.calls.map((c) => JSON.stringify(c.payload)).join("\n");

/** Queues one poll as the scheduler would, and waits until the worker has done it. */
async function pollNow(): Promise<void> {
  const job = await t.queues.feeds.add("poll-feed", { feedId: FEED });
  await eventually(
    async () => ["completed", "failed", "unknown"].includes(await t.queues.feeds.getJobState(job.id ?? "")),
    15_000,
    "the feed poll",
  );
}

/** As if the backoff after a failure had run out. */
async function backoffPassed(): Promise<void> {
  await h.redis.hdel(redisKeys(h.config.redisPrefix).feedState(FEED), "nextAttemptAt");
}

beforeAll(async () => {
  server = await FeedServer.start();
  // The scheduler polls as soon as the worker starts; the answer waits until subscribers exist.
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  server.serve("/e2e.xml", (req, res) => {
    void gate.then(() => xml(feedFixture("rss-basic.xml"))(req, res));
  });
  const feedsFile = join(dir, "feeds.json");
  writeFileSync(feedsFile, JSON.stringify(feedsJson(server.url("/e2e.xml"))));
  h = await startHarness("feeds", {
    role: "worker",
    // The feed server runs on 127.0.0.1, which feeds reach only with FEEDS_ALLOW_PRIVATE=true.
    env: {
      FEEDS_FILE: feedsFile,
      ADMIN_IDS: ADMINS.join(","),
      SEND_RATE: "200",
      FEEDS_ALLOW_PRIVATE: "true",
    },
  });
  t = deliveryTools(h);
  t.queues.feeds.on("error", () => undefined);
  await t.subscriber(8801, ["chechnya"]);
  await t.subscriber(8802, ["ingushetia"]);
  await t.subscriber(8803, ["dagestan"]);
  release();
  await eventually(
    async () => (await h.redis.hget(redisKeys(h.config.redisPrefix).feedState(FEED), "primed")) === "1",
    15_000,
    "the first poll",
  );
});

afterAll(async () => {
  await t?.queues.close();
  await h?.stop();
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe("feeds, end to end", () => {
  it("publishes nothing on the first poll, then sends a new item once to its subscribers only", async () => {
    expect(await t.articles.seqOf(`${FEED}:ku-1001`)).toBeUndefined();
    expect(await t.articles.seqOf(`${FEED}:ku-1002`)).toBeUndefined();
    for (const chat of [8801, 8802, 8803]) expect(alertsTo(chat)).toEqual([]);

    server.serve("/e2e.xml", xml(feedFixture("rss-new-item.xml")));
    await pollNow();
    await eventually(() => alertsTo(8802).length === 1, 15_000, "the alert to 8802");
    // Published under the feed's id and its guid, so no other feed or API article can take its place.
    expect(await t.articles.seqOf(`${FEED}:ku-1003`)).toBeDefined();
    const [alert] = alertsTo(8802);
    expect(alert?.text).toContain("Новость из Магаса");
    expect(alert?.text).toContain('href="https://www.kavkaz-uzel.eu/articles/1003/"');

    // The second poll has finished: it recorded no article, so nothing more can go out for it.
    const recorded = await h.redis.get(redisKeys(h.config.redisPrefix).articleSeq);
    await pollNow();
    expect(await h.redis.get(redisKeys(h.config.redisPrefix).articleSeq)).toBe(recorded);
    expect(alertsTo(8802)).toHaveLength(1);
    expect(alertsTo(8801)).toEqual([]);
    expect(alertsTo(8803)).toEqual([]);
  });

  it("sends the items with good links to their subscribers, and never an unmapped or bad-link item", async () => {
    server.serve("/e2e.xml", xml(feedFixture("rss-messy.xml")));
    await pollNow();
    await eventually(() => alertsTo(8801).length === 3, 15_000, "three alerts to 8801");
    const texts = alertsTo(8801).map((m) => m.text ?? "");
    expect(texts.some((t) => t.includes(`href="${server.url("/articles/2001/")}"`))).toBe(true);
    expect(texts.some((t) => t.includes("Kadyrov's decree, by keyword"))).toBe(true);
    const sent = everySentText();
    for (const never of [
      "Football results",
      "Script link",
      "Data link",
      "Mail link",
      "javascript:",
      "data:text",
    ]) {
      expect(sent).not.toContain(never);
    }
  });

  it("tells each admin once that the feed is down after three failed polls, and once that it is back", async () => {
    server.serve("/e2e.xml", status(500));
    for (let i = 0; i < 4; i++) {
      await backoffPassed();
      await pollNow();
    }
    await eventually(() => ADMINS.every((a) => h.fake.messagesTo(a).length >= 1), 10_000, "the down reports");
    for (const admin of ADMINS) {
      const [report, ...more] = h.fake.messagesTo(admin);
      expect(more).toEqual([]);
      expect(report?.text).toContain(`Лента ${FEED} не работает`);
      expect(report?.text).toContain("Последняя ошибка: HTTP 500");
    }

    server.serve("/e2e.xml", xml(feedFixture("rss-messy.xml")));
    await backoffPassed();
    await pollNow();
    await pollNow();
    await eventually(
      () => ADMINS.every((a) => h.fake.messagesTo(a).length >= 2),
      10_000,
      "the recovery reports",
    );
    for (const admin of ADMINS) {
      const texts = h.fake.messagesTo(admin).map((m) => m.text ?? "");
      expect(texts).toHaveLength(2);
      expect(texts[1]).toContain(`Лента ${FEED} снова работает`);
    }
  });

  it("keeps one scheduler per feed when a second worker starts with the same file", async () => {
    const second = await startWorkers(h.config, createLogger("silent"));
    await second.close();
    const schedulers = await t.queues.feeds.getJobSchedulers(0, -1);
    expect(schedulers.map((s) => s.key)).toEqual([`feed-${FEED}`]);
  });

  it("stops the start on a bad FEEDS_FILE with one line naming the feed and field", async () => {
    const bad = join(dir, "bad.json");
    writeFileSync(
      bad,
      JSON.stringify([...feedsJson("https://x/a"), { ...feedsJson("ftp://x/b")[0], id: "b" }]),
    );
    const start = startWorkers(parseConfig({ ...h.env, FEEDS_FILE: bad }), createLogger("silent"));
    await expect(start).rejects.toThrow(ConfigError);
    await expect(start).rejects.toThrow(/^FEEDS_FILE: feeds\[1\] \(b\)\.url must be an http\(s\) URL$/);
    const missing = startWorkers(
      parseConfig({ ...h.env, FEEDS_FILE: join(dir, "nope.json") }),
      createLogger("silent"),
    );
    await expect(missing).rejects.toThrow(`FEEDS_FILE: cannot read ${join(dir, "nope.json")} (ENOENT)`);
  });
});
