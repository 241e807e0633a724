import { Redis } from "ioredis";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  backoffSeconds,
  type ItemOutcome,
  type PollFeedDeps,
  type PollOutcome,
  pollFeed,
  pollFeedProcessor,
} from "../../jobs/poll-feed.ts";
import { FakeBotApi } from "../../src/bench/fake-bot-api/fake-bot-api.ts";
import { publishArticle } from "../../src/delivery/publish-article.ts";
import { createQueues, type FeedJob, fanoutJobId, type Queues } from "../../src/delivery/queues.ts";
import type { FeedConfig } from "../../src/domain/feed-config.ts";
import { DEFAULT_FOREIGN_AGENT_LABEL } from "../../src/domain/label.ts";
import { createLogger } from "../../src/logger.ts";
import { createMetrics, type Metrics } from "../../src/metrics.ts";
import { ArticleStore } from "../../src/store/article-store.ts";
import { ArticleTexts } from "../../src/store/article-texts.ts";
import { defaultCatalog } from "../../src/store/catalog-seed.ts";
import { CatalogStore } from "../../src/store/catalog-store.ts";
import { FeedStore } from "../../src/store/feed-store.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { createApi } from "../../src/telegram/create-api.ts";
import { createI18n } from "../../src/telegram/i18n.ts";
import { TEST_TOKEN } from "../support/bot-harness.ts";
import {
  type FeedHandler,
  FeedServer,
  feedFixture,
  hang,
  hugeBody,
  status,
  xml,
} from "../support/feed-server.ts";
import { recordForAudit } from "../support/label-audit.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "../support/redis.ts";

const prefix = testPrefix("pollfeed");
const redis = new Redis(SHARED_REDIS_URL, { maxRetriesPerRequest: null });
const keys = redisKeys(prefix);
const store = new FeedStore(redis, keys);
const catalog = new CatalogStore(redis, keys);
const articles = new ArticleStore(redis, keys);
const texts = new ArticleTexts(redis, keys, 30);
const i18n = createI18n("en");
let server: FeedServer;
let fake: FakeBotApi;
let queues: Queues;
let metrics: Metrics;
let clock = DateTime.fromISO("2025-11-27T12:00:00Z", { zone: "utc" });

beforeAll(async () => {
  [server, fake] = await Promise.all([FeedServer.start(), FakeBotApi.start()]);
  await catalog.seedOnce(defaultCatalog());
  queues = createQueues(redis, keys.bullPrefix);
  metrics = createMetrics();
});

afterAll(async () => {
  recordForAudit("poll-feed", fake.calls);
  await Promise.all([fake.stop(), server.stop(), queues.close()]);
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

function feedConfig(id: string, overrides: Partial<FeedConfig> = {}): FeedConfig {
  return {
    id,
    url: server.url(`/${id}.xml`),
    edition: "ru",
    intervalSeconds: 60,
    categories: new Map([
      ["чечня", ["chechnya"]],
      ["дагестан", ["dagestan"]],
      ["ингушетия", ["ingushetia"]],
      ["суды", ["courts"]],
      ["chechnya", ["chechnya"]],
      ["courts", ["courts"]],
    ]),
    keywords: new Map([["kadyrov", ["chechnya"]]]),
    ...overrides,
  };
}

function deps(feed: FeedConfig, overrides: Partial<PollFeedDeps> = {}): PollFeedDeps {
  return {
    feeds: new Map([[feed.id, feed]]),
    store,
    catalog,
    articles,
    texts,
    queues,
    api: createApi({
      botToken: TEST_TOKEN,
      telegramApiRoot: fake.apiRoot,
      label: DEFAULT_FOREIGN_AGENT_LABEL,
    }),
    adminIds: [],
    translate: (key, vars) => i18n.t("en", key, vars),
    logger: createLogger("silent"),
    now: () => clock,
    metrics,
    // The feed server runs on 127.0.0.1: as with FEEDS_ALLOW_PRIVATE=true.
    fetch: { timeoutMs: 300, allowPrivate: true },
    ...overrides,
  };
}

function serve(feed: FeedConfig, handler: FeedHandler): void {
  server.serve(new URL(feed.url).pathname, handler);
}

function items(counts: Partial<Record<ItemOutcome, number>>): PollOutcome {
  return {
    status: "polled",
    items: { published: 0, duplicate: 0, unmapped: 0, invalid: 0, seen_on_first_poll: 0, ...counts },
  };
}

/** The article id a feed's item is published under. */
function idOf(feed: FeedConfig, guidOrLink: string): string {
  return `${feed.id}:${guidOrLink}`;
}

/** An RSS document listing these items, newest first as feeds do. */
function rss(items: readonly { guid: string; category: string }[]): string {
  const entries = items.map(
    ({ guid, category }) =>
      `<item><title>Item ${guid}</title><link>https://www.kavkaz-uzel.eu/articles/${guid}/</link>` +
      `<guid isPermaLink="false">${guid}</guid><category>${category}</category></item>`,
  );
  return `<?xml version="1.0"?><rss version="2.0"><channel><title>t</title><link>https://www.kavkaz-uzel.eu/</link><description>d</description>${entries.join("")}</channel></rss>`;
}

/** A logger whose lines the test reads back. */
function capturedLogger() {
  const lines: string[] = [];
  const logger = createLogger("info", [], { write: (line: string) => lines.push(line) });
  return { logger, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

async function primed(feed: FeedConfig, document = "rss-empty.xml"): Promise<void> {
  serve(feed, xml(feedFixture(document)));
  const outcome = await pollFeed(feed.id, deps(feed));
  expect(outcome.status).toBe("polled");
}

async function counted(
  metric: "feedItems" | "feedPolls" | "feedFieldsLeftOut",
  labels: Record<string, string>,
): Promise<number> {
  const { values } = await metrics[metric].get();
  const found = values.find((v) =>
    Object.entries(labels).every(([k, want]) => (v.labels as Record<string, unknown>)[k] === want),
  );
  return found?.value ?? 0;
}

/** What the admins were told about this feed: reports name the feed, and admins are shared across tests. */
function reportsTo(chatId: number, feedId: string) {
  return fake.messagesTo(chatId).filter((m) => m.text?.includes(`Feed ${feedId} `));
}

function later(minutes: number): void {
  clock = clock.plus({ minutes });
}

describe("polling a feed", () => {
  it("marks every item of the first good poll seen and publishes none of them", async () => {
    const feed = feedConfig("first");
    serve(feed, xml(feedFixture("rss-basic.xml")));
    expect(await pollFeed(feed.id, deps(feed))).toEqual(items({ seen_on_first_poll: 2 }));
    expect(await articles.seqOf(idOf(feed, "ku-1001"))).toBeUndefined();
    expect(await articles.seqOf(idOf(feed, "ku-1002"))).toBeUndefined();
    expect(await counted("feedItems", { feed: "first", outcome: "seen_on_first_poll" })).toBe(2);
    expect(await counted("feedPolls", { feed: "first", result: "new" })).toBe(1);
  });

  it("publishes an item that appears later exactly once, and nothing when the same document comes again", async () => {
    const feed = feedConfig("later");
    await primed(feed, "rss-basic.xml");
    serve(feed, xml(feedFixture("rss-new-item.xml")));
    expect(await pollFeed(feed.id, deps(feed))).toEqual(items({ published: 1 }));
    expect(await pollFeed(feed.id, deps(feed))).toEqual(items({}));
    const seq = await articles.seqOf(idOf(feed, "ku-1003"));
    expect(seq).toBeDefined();
    expect(await articles.get(seq ?? 0)).toMatchObject({
      headline: "Новость из Магаса",
      teaser: "Короткий анонс.",
      url: "https://www.kavkaz-uzel.eu/articles/1003/",
      regions: ["ingushetia"],
      lang: "ru",
      breaking: false,
    });
    expect(await queues.fanout.getJob(fanoutJobId(seq ?? 0))).toBeDefined();
    expect(await articles.seqOf(idOf(feed, "ku-1002"))).toBeUndefined();
    expect(await counted("feedItems", { feed: "later", outcome: "published" })).toBe(1);
    expect(await counted("feedPolls", { feed: "later", result: "unchanged" })).toBe(1);
  });

  it("sends If-None-Match and If-Modified-Since from the last answer; a 304 changes nothing and keeps them", async () => {
    const feed = feedConfig("conditional");
    const lastModified = "Thu, 27 Nov 2025 10:00:00 GMT";
    serve(feed, xml(feedFixture("rss-basic.xml"), { etag: '"e1"', lastModified }));
    await pollFeed(feed.id, deps(feed));
    expect(await pollFeed(feed.id, deps(feed))).toEqual({ status: "unchanged" });
    expect(await pollFeed(feed.id, deps(feed))).toEqual({ status: "unchanged" });
    const sent = server.requestsTo("/conditional.xml").map((r) => r.headers["if-none-match"]);
    expect(sent).toEqual([undefined, '"e1"', '"e1"']);
    expect(server.requestsTo("/conditional.xml")[1]?.headers["if-modified-since"]).toBe(lastModified);
    expect(await counted("feedPolls", { feed: "conditional", result: "unchanged" })).toBe(2);

    serve(feed, xml(feedFixture("rss-new-item.xml"), { etag: '"e2"' }));
    expect(await pollFeed(feed.id, deps(feed))).toEqual(items({ published: 1 }));
    expect(server.requestsTo("/conditional.xml").at(-1)?.headers["if-none-match"]).toBe('"e1"');
    const state = await store.state(feed.id);
    expect(state.etag).toBe('"e2"');
    expect(state.lastModified).toBeUndefined();
  });

  it("publishes link-only and permalink items under their absolute links, rejects bad links and id-less items, pushes no unmapped item, and an item listed twice once", async () => {
    const feed = feedConfig("messy");
    await primed(feed);
    serve(feed, xml(feedFixture("rss-messy.xml")));
    expect(await pollFeed(feed.id, deps(feed))).toEqual(
      items({ published: 4, invalid: 4, unmapped: 1, duplicate: 1 }),
    );
    for (const id of [
      server.url("/articles/2001/"),
      "https://www.kavkaz-uzel.eu/articles/2002/",
      "messy-keyword",
      "messy-twice",
    ]) {
      expect(await articles.seqOf(idOf(feed, id)), id).toBeDefined();
    }
    for (const id of [
      "messy-js",
      "messy-data",
      "messy-mail",
      "messy-sport",
      "https://www.kavkaz-uzel.eu/articles/2001/",
    ]) {
      expect(await articles.seqOf(idOf(feed, id)), id).toBeUndefined();
    }
    // Invalid and unmapped items are remembered too, so they are counted once, not at every poll.
    expect(await pollFeed(feed.id, deps(feed))).toEqual(items({}));
    expect(await counted("feedItems", { feed: "messy", outcome: "invalid" })).toBe(4);
    expect(await counted("feedItems", { feed: "messy", outcome: "unmapped" })).toBe(1);
  });

  it("reads an Atom feed of the English edition the same way", async () => {
    const feed = feedConfig("atom", {
      edition: "en",
      categories: new Map([
        ["courts", ["courts"]],
        ["protests", ["protests"]],
      ]),
    });
    await primed(feed);
    serve(feed, xml(feedFixture("atom.xml"), { contentType: "application/atom+xml" }));
    expect(await pollFeed(feed.id, deps(feed))).toEqual(items({ published: 2 }));
    const seq = (await articles.seqOf(idOf(feed, "urn:kavkaz-uzel:en:3001"))) ?? 0;
    expect(await articles.get(seq)).toMatchObject({
      url: server.url("/articles/3001/"),
      headline: "Court rules in Nalchik",
      teaser: "The court ruled on Thursday.",
      topics: ["courts"],
      lang: "en",
      publishedAt: "2025-11-27T09:15:00.000+03:00",
    });
  });

  it("keeps the full text of an item for Read here, cleaned, from content:encoded, Atom content or yandex:full-text", async () => {
    const yandex = feedConfig("full-texts");
    await primed(yandex);
    serve(yandex, xml(feedFixture("rss-yandex.xml")));
    await pollFeed(yandex.id, deps(yandex));
    const textOf = async (feed: FeedConfig, guid: string) => {
      const seq = (await articles.seqOf(idOf(feed, guid))) ?? 0;
      return { text: await texts.get(seq), hasText: (await articles.get(seq))?.hasText };
    };
    expect(await textOf(yandex, "ku-5001")).toEqual({
      text: "Суд <b>вынес</b> приговор.\n\nЗащита «обжалует» его.",
      hasText: true,
    });
    // content:encoded wins over yandex:full-text when an item has both.
    expect(await textOf(yandex, "ku-5003")).toEqual({
      text: 'Итоги подведены, <a href="https://www.kavkaz-uzel.eu/">подробности</a>.',
      hasText: true,
    });
    // A blank full text gives no text and no button.
    expect(await textOf(yandex, "ku-5004")).toEqual({ text: undefined, hasText: undefined });

    const atom = feedConfig("full-texts-atom", {
      edition: "en",
      categories: new Map([
        ["courts", ["courts"]],
        ["protests", ["protests"]],
      ]),
    });
    await primed(atom);
    serve(atom, xml(feedFixture("atom.xml"), { contentType: "application/atom+xml" }));
    await pollFeed(atom.id, deps(atom));
    expect(await textOf(atom, "urn:kavkaz-uzel:en:3001")).toEqual({ text: "Full text.", hasText: true });
  });

  it("publishes a Yandex item whose full text is over 200,000 characters without it, logging and counting the body left out", async () => {
    const feed = feedConfig("too-long");
    await primed(feed);
    const { logger, records } = capturedLogger();
    const huge = `<![CDATA[<p>${"слово ".repeat(40_000)}</p>]]>`;
    const document = feedFixture("rss-yandex.xml").replace(
      /(<guid isPermaLink="false">ku-5001<\/guid>[\s\S]*?<yandex:full-text>)[\s\S]*?(<\/yandex:full-text>)/,
      `$1${huge}$2`,
    );
    serve(feed, xml(document));
    expect(await pollFeed(feed.id, deps(feed, { logger }))).toEqual(items({ published: 4 }));
    const seq = (await articles.seqOf(idOf(feed, "ku-5001"))) ?? 0;
    expect(await articles.get(seq)).toMatchObject({
      headline: "Суд в Нальчике",
      teaser: "Суд вынес приговор.",
      url: "https://www.kavkaz-uzel.eu/articles/5001/",
      topics: ["courts"],
    });
    const leftOut = records().filter((r) => r.msg === "feed item published without part of it");
    expect(leftOut).toEqual([
      expect.objectContaining({
        level: 40,
        feed: "too-long",
        guid: "ku-5001",
        id: idOf(feed, "ku-5001"),
        field: "body",
        why: expect.stringMatching(/^body is 2400\d\d characters, more than the 200000 an article may have$/),
      }),
    ]);
    expect(await counted("feedFieldsLeftOut", { feed: "too-long", field: "body" })).toBe(1);
  });

  it("starts afresh when the feed's URL changes: what the new URL lists is marked seen, not published", async () => {
    const feed = feedConfig("moved");
    await primed(feed, "rss-basic.xml");
    const moved = { ...feed, url: server.url("/moved-elsewhere.xml") };
    server.serve("/moved-elsewhere.xml", xml(feedFixture("rss-new-item.xml")));
    expect(await pollFeed(moved.id, deps(moved))).toEqual(items({ seen_on_first_poll: 3 }));
    expect(await articles.seqOf(idOf(feed, "ku-1003"))).toBeUndefined();
  });

  it("lets only one of two simultaneous polls of a feed run", async () => {
    const feed = feedConfig("simultaneous");
    serve(feed, (req, res) => {
      setTimeout(() => xml(feedFixture("rss-empty.xml"))(req, res), 150);
    });
    const outcomes = await Promise.all([pollFeed(feed.id, deps(feed)), pollFeed(feed.id, deps(feed))]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(["busy", "polled"]);
    expect(server.requestsTo("/simultaneous.xml")).toHaveLength(1);
  });

  it("publishes the same numeric guid from two feeds as two articles: neither feed silences the other", async () => {
    const [a, b] = [feedConfig("numeric-a"), feedConfig("numeric-b")];
    for (const feed of [a, b]) await primed(feed);
    for (const feed of [a, b]) serve(feed, xml(rss([{ guid: "1", category: "Чечня" }])));
    expect(await pollFeed(a.id, deps(a))).toEqual(items({ published: 1 }));
    expect(await pollFeed(b.id, deps(b))).toEqual(items({ published: 1 }));
    const seqs = [await articles.seqOf("numeric-a:1"), await articles.seqOf("numeric-b:1")];
    expect(seqs.every((seq) => seq !== undefined)).toBe(true);
    expect(seqs[0]).not.toBe(seqs[1]);
    expect(await articles.seqOf("1")).toBeUndefined();
  });

  it("leaves an API article with the id a feed item's guid had free to be queued", async () => {
    const feed = feedConfig("api-clash");
    await primed(feed);
    serve(feed, xml(rss([{ guid: "new-1", category: "Чечня" }])));
    expect(await pollFeed(feed.id, deps(feed))).toEqual(items({ published: 1 }));
    const fromApi = {
      id: "new-1",
      url: "https://www.kavkaz-uzel.eu/articles/api-new-1/",
      headline: "An unrelated article from the CMS",
      regions: ["chechnya"],
      lang: "ru",
    };
    expect(await publishArticle(fromApi, { catalog, articles, texts, queues }, clock)).toMatchObject({
      status: "queued",
      id: "new-1",
    });
  });

  it.each(["constructor", "__proto__"])(
    "counts an item in a category named %s as unmapped and goes on publishing the feed's other and later items",
    async (category) => {
      const feed = feedConfig(`category-${category.replaceAll("_", "")}`);
      await primed(feed);
      serve(
        feed,
        xml(
          rss([
            { guid: "fine-1", category: "Чечня" },
            { guid: "odd-1", category },
          ]),
        ),
      );
      expect(await pollFeed(feed.id, deps(feed))).toEqual(items({ published: 1, unmapped: 1 }));
      serve(
        feed,
        xml(
          rss([
            { guid: "fine-2", category: "Чечня" },
            { guid: "odd-1", category },
          ]),
        ),
      );
      expect(await pollFeed(feed.id, deps(feed))).toEqual(items({ published: 1 }));
      expect(await articles.seqOf(idOf(feed, "fine-2"))).toBeDefined();
    },
  );

  it("counts an item whose handling throws as invalid, logs its error, remembers it, and publishes the others", async () => {
    const feed = feedConfig("throws");
    await primed(feed);
    const failing = Object.create(articles, {
      record: {
        value: (article: { id: string }, now: string) =>
          article.id === idOf(feed, "boom")
            ? Promise.reject(new Error("cannot record this one"))
            : articles.record(article as Parameters<ArticleStore["record"]>[0], now),
      },
    }) as ArticleStore;
    const { logger, records } = capturedLogger();
    serve(
      feed,
      xml(
        rss([
          { guid: "after", category: "Чечня" },
          { guid: "boom", category: "Чечня" },
        ]),
      ),
    );
    const withFailure = deps(feed, { articles: failing, logger });
    expect(await pollFeed(feed.id, withFailure)).toEqual(items({ published: 1, invalid: 1 }));
    expect(await articles.seqOf(idOf(feed, "after"))).toBeDefined();
    const logged = records().find((r) => r.msg === "feed item skipped: handling it failed");
    expect(logged).toMatchObject({
      level: 50,
      feed: "throws",
      guid: "boom",
      why: "cannot record this one",
      err: { type: "Error", message: "cannot record this one" },
    });
    expect(await pollFeed(feed.id, withFailure)).toEqual(items({}));
    expect(await counted("feedItems", { feed: "throws", outcome: "invalid" })).toBe(1);
  });

  it("ignores a queued poll of a feed that is no longer in the file", async () => {
    const feed = feedConfig("kept");
    const job = { data: { feedId: "gone" } } as Parameters<ReturnType<typeof pollFeedProcessor>>[0] & {
      data: FeedJob;
    };
    expect(await pollFeedProcessor(deps(feed))(job)).toEqual({ status: "unknown-feed" });
  });
});

describe("a failing feed", () => {
  const mb50 = 50 * 1024 * 1024;
  it.each([
    ["a server that never answers", () => hang(), /^no complete answer within 0\.3 s$/],
    ["a 50 MB body", () => hugeBody(mb50).handler, /^body is over the 5242880-byte limit$/],
    ["malformed XML", () => xml(feedFixture("malformed.xml")), /^malformed XML: /],
    ["a billion-laughs document", () => xml(feedFixture("billion-laughs.xml")), /^refused: /],
    ["an external-entity document", () => xml(feedFixture("xxe.xml")), /^refused: /],
    ["HTTP 500", () => status(500), /^HTTP 500$/],
    ["an HTML page", () => xml("<html><body>Maintenance</body></html>"), /^not an RSS or Atom document$/],
  ])(
    "fails safely on %s: counted, backed off, nothing published, nobody told yet",
    async (what, handler, error) => {
      const feed = feedConfig(`fails-${what.replace(/[^a-z0-9]+/gi, "-").toLowerCase()}`.slice(0, 32));
      await primed(feed);
      serve(feed, handler());
      const outcome = await pollFeed(feed.id, deps(feed, { adminIds: [9000] }));
      expect(outcome).toEqual({ status: "failed", error: expect.stringMatching(error), failures: 1 });
      expect(await store.state(feed.id)).toMatchObject({
        failures: 1,
        nextAttemptAt: clock.toMillis() + 120_000,
        down: false,
      });
      for (const id of ["lol-5001", "xxe-6001"]) expect(await articles.seqOf(idOf(feed, id))).toBeUndefined();
      expect(reportsTo(9000, feed.id)).toEqual([]);
      expect(await counted("feedPolls", { feed: feed.id, result: "failed" })).toBe(1);
    },
  );

  it("backs off interval × 2^failures, at most an hour; polls before then return at once without fetching", async () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffSeconds(300, n))).toEqual([600, 1200, 2400, 3600, 3600]);
    const feed = feedConfig("backoff");
    serve(feed, status(503));
    const started = clock;
    await pollFeed(feed.id, deps(feed));
    later(1);
    expect(await pollFeed(feed.id, deps(feed))).toEqual({
      status: "backing-off",
      until: started.toMillis() + 120_000,
    });
    expect(server.requestsTo("/backoff.xml")).toHaveLength(1);
    later(1);
    expect(await pollFeed(feed.id, deps(feed))).toMatchObject({ status: "failed", failures: 2 });
    expect((await store.state(feed.id)).nextAttemptAt).toBe(clock.toMillis() + 240_000);
  });

  async function failTimes(feed: FeedConfig, adminIds: number[], times: number): Promise<void> {
    for (let i = 0; i < times; i++) {
      later(60);
      expect(await pollFeed(feed.id, deps(feed, { adminIds }))).toMatchObject({ status: "failed" });
    }
  }

  it("tells every admin once, after the third failure in a row, and never again while it stays down", async () => {
    const feed = feedConfig("down");
    serve(feed, status(500));
    await failTimes(feed, [9001, 9002], 2);
    expect(reportsTo(9001, "down")).toEqual([]);
    await failTimes(feed, [9001, 9002], 1);
    for (const admin of [9001, 9002]) {
      const reports = reportsTo(admin, "down");
      expect(reports).toHaveLength(1);
      expect(reports[0]?.text).toContain(DEFAULT_FOREIGN_AGENT_LABEL);
      expect(reports[0]?.text).toContain("Feed down is down: 3 polls in a row have failed.");
      expect(reports[0]?.text).toContain(feed.url);
      expect(reports[0]?.text).toContain("Last error: HTTP 500");
    }
    await failTimes(feed, [9001, 9002], 3);
    expect(reportsTo(9001, "down")).toHaveLength(1);
    expect(reportsTo(9002, "down")).toHaveLength(1);
  });

  it("tells every admin once that a reported feed works again, on its first good poll", async () => {
    const feed = feedConfig("recovers");
    await primed(feed);
    serve(feed, hang());
    await failTimes(feed, [9011, 9012], 4);
    serve(feed, xml(feedFixture("rss-empty.xml")));
    later(60);
    expect(await pollFeed(feed.id, deps(feed, { adminIds: [9011, 9012] }))).toEqual(items({}));
    later(60);
    await pollFeed(feed.id, deps(feed, { adminIds: [9011, 9012] }));
    for (const admin of [9011, 9012]) {
      const texts = reportsTo(admin, "recovers").map((m) => m.text ?? "");
      expect(texts).toHaveLength(2);
      expect(texts[1]).toContain("Feed recovers works again, after 4 failed polls in a row.");
    }
    expect(await store.state(feed.id)).toMatchObject({ failures: 0, down: false });
  });

  it("recovers silently after fewer than three failures", async () => {
    const feed = feedConfig("blip");
    serve(feed, status(502));
    await failTimes(feed, [9021], 2);
    serve(feed, xml(feedFixture("rss-empty.xml")));
    later(60);
    await pollFeed(feed.id, deps(feed, { adminIds: [9021] }));
    expect(reportsTo(9021, "blip")).toEqual([]);
  });

  it("refuses a feed on a loopback address without FEEDS_ALLOW_PRIVATE, and tells the admins why", async () => {
    const feed = feedConfig("loopback");
    serve(feed, xml(feedFixture("rss-basic.xml")));
    const closed = (adminIds: number[]) => deps(feed, { adminIds, fetch: { timeoutMs: 300 } });
    for (let i = 0; i < 3; i++) {
      later(60);
      expect(await pollFeed(feed.id, closed([9041]))).toMatchObject({
        status: "failed",
        error: "refused: 127.0.0.1 (loopback address); FEEDS_ALLOW_PRIVATE=true allows internal feeds",
      });
    }
    expect(server.requestsTo("/loopback.xml")).toEqual([]);
    const [report, ...more] = reportsTo(9041, "loopback");
    expect(more).toEqual([]);
    expect(report?.text).toContain(
      "Last error: refused: 127.0.0.1 (loopback address); FEEDS_ALLOW_PRIVATE=true allows internal feeds",
    );
  });

  it("still tells the other admins when one of them has blocked the bot", async () => {
    fake.blockChat(9031);
    const feed = feedConfig("blocked");
    serve(feed, status(500));
    await failTimes(feed, [9031, 9032], 3);
    expect(reportsTo(9032, "blocked")).toHaveLength(1);
  });
});
