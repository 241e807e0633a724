import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { visibleLength } from "../../src/domain/html.ts";
import { DEFAULT_FOREIGN_AGENT_LABEL, TEXT_LIMIT } from "../../src/domain/label.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { SubscriptionStore } from "../../src/store/subscription-store.ts";
import { type Harness, startHarness } from "../support/bot-harness.ts";
import { articleInput, deliveryTools } from "../support/delivery-harness.ts";
import { eventually } from "../support/eventually.ts";

let h: Harness;
let t: ReturnType<typeof deliveryTools>;

beforeAll(async () => {
  h = await startHarness("delivery", {
    role: "worker",
    env: { SEND_RATE: "200", SEND_TIMEOUT_SECONDS: "1", JOB_LOCK_SECONDS: "5" },
  });
  t = deliveryTools(h);
});

afterAll(async () => {
  await t.queues.close();
  await h.stop();
});

const alertsTo = (chatId: number) => h.fake.messagesTo(chatId).filter((m) => m.method === "sendMessage");
const sendsTo = (chatId: number) =>
  h.fake.calls.filter((c) => c.method === "sendMessage" && c.payload.chat_id === chatId);

describe("fan-out and delivery", () => {
  it("sends one alert to a chat however many of its topics and regions match", async () => {
    await t.subscriber(8101, ["chechnya", "courts", "human-rights"]);
    await t.subscriber(8102, ["courts"]);
    await t.subscriber(8103, ["dagestan"]);
    const { stats } = await t.publishAndWait(
      articleInput({ regions: ["chechnya"], topics: ["courts", "human-rights"] }),
    );
    expect(alertsTo(8101)).toHaveLength(1);
    expect(alertsTo(8102)).toHaveLength(1);
    expect(alertsTo(8103)).toHaveLength(0);
    expect(stats).toMatchObject({ recipients: 2, sent: 2, done: 2 });
    expect(stats.startedAt && stats.fanoutDoneAt && stats.finishedAt).toBeTruthy();
  });

  it("sends nothing for a region archived after the article was recorded, and keeps its subscribers", async () => {
    await t.subscriber(8151, ["karachay-cherkessia"]);
    await t.subscriber(8152, ["karachay-cherkessia", "karabakh"]);
    const { validateArticle } = await import("../../src/domain/article.ts");
    const { DateTime } = await import("luxon");
    const check = validateArticle(
      articleInput({ regions: ["karachay-cherkessia", "karabakh"] }),
      await t.catalog.all(),
      DateTime.utc(),
    );
    if (!check.ok) throw new Error(JSON.stringify(check.errors));
    const entry = await t.catalog.get("karachay-cherkessia");
    if (!entry) throw new Error("seed missing");
    // Recorded, then the region is archived before its fan-out runs.
    const { seq } = await t.articles.record(check.article, DateTime.utc().toISO() ?? "");
    await t.catalog.put({ ...entry, state: "archived" });
    try {
      await t.queues.fanout.add("fanout", { seq }, { jobId: `fanout-${seq}` });
      await eventually(
        async () => (await t.articles.stats(seq)).finishedAt !== undefined,
        10_000,
        "fan-out done",
      );
      expect(alertsTo(8151)).toHaveLength(0);
      expect(alertsTo(8152)).toHaveLength(1);
      expect(await t.subscriptions.slugsOf(8151, ["karachay-cherkessia"])).toEqual(["karachay-cherkessia"]);
    } finally {
      await t.catalog.put(entry);
    }
  });

  it("sends each chat the articles of its edition, or of both if it chose both", async () => {
    await t.subscriber(8201, ["ingushetia"], { lang: "ru", editions: "ru" });
    await t.subscriber(8202, ["ingushetia"], { lang: "en", editions: "en" });
    await t.subscriber(8203, ["ingushetia"], { lang: "en", editions: "both" });
    await t.publishAndWait(articleInput({ regions: ["ingushetia"], lang: "en" }));
    await t.publishAndWait(articleInput({ regions: ["ingushetia"], lang: "ru" }));
    expect(alertsTo(8201)).toHaveLength(1);
    expect(alertsTo(8202)).toHaveLength(1);
    expect(alertsTo(8203)).toHaveLength(2);
    expect(alertsTo(8202)[0]?.text).toContain(">Read</a>");
    expect(alertsTo(8201)[0]?.text).toContain(">Читать</a>");
  });

  it("never alerts twice for the same article id, and says it was a duplicate", async () => {
    await t.subscriber(8301, ["adygea"]);
    const input = articleInput({ regions: ["adygea"] });
    const first = await t.publishAndWait(input);
    const again = await t.publish({ ...input, headline: "Changed headline" });
    expect(again).toEqual({ status: "duplicate", id: input.id, seq: first.seq });
    // A later article reaches the chat: a second alert for the first would have come before it.
    await t.publishAndWait(articleInput({ regions: ["adygea"], headline: "Later article" }));
    expect(alertsTo(8301).map((m) => m.text?.includes("Later article"))).toEqual([false, true]);
  });

  it("never alerts again for an id published a month later, when its figures have expired", async () => {
    await t.subscriber(8311, ["adygea"]);
    const input = articleInput({ regions: ["adygea"] });
    const first = await t.publishAndWait(input);
    // What the 30-day TTL of the article and its figures leaves behind.
    const keys = redisKeys(h.config.redisPrefix);
    await h.redis.del(keys.article(first.seq), keys.articleStats(first.seq));
    expect(await t.publish(input)).toEqual({ status: "duplicate", id: input.id, seq: first.seq });
    await t.publishAndWait(articleInput({ regions: ["adygea"], headline: "Later article" }));
    expect(alertsTo(8311).map((m) => m.text?.includes("Later article"))).toEqual([false, true]);
    expect(await h.redis.exists(keys.articleStats(first.seq))).toBe(0);
  });

  it("rejects an invalid article whole, naming its fields, and queues nothing", async () => {
    const result = await t.publish(articleInput({ url: "ftp://x", regions: ["atlantis"] }));
    expect(result).toEqual({
      status: "invalid",
      errors: [
        { field: "url", message: "must be an http(s) URL" },
        { field: "regions", message: 'unknown region "atlantis"' },
      ],
    });
    const slugs = await t.publish(articleInput({ regions: ["atlantis"] }));
    expect(slugs.status === "invalid" && slugs.errors).toEqual([
      { field: "regions", message: 'unknown region "atlantis"' },
    ]);
  });

  it("skips inactive chats", async () => {
    await t.subscriber(8401, ["kalmykia"], { active: false });
    await t.subscriber(8402, ["kalmykia"]);
    const { stats } = await t.publishAndWait(articleInput({ regions: ["kalmykia"] }));
    expect(sendsTo(8401)).toHaveLength(0);
    expect(stats).toMatchObject({ recipients: 1, sent: 1 });
  });

  it("puts the label right under the headline and shortens a 20,000-character teaser to fit", async () => {
    await t.subscriber(8501, ["astrakhan"]);
    const teaser = "Длинный текст статьи с подробностями. ".repeat(530).slice(0, 20_000);
    await t.publishAndWait(
      articleInput({ regions: ["astrakhan"], teaser, headline: "Заголовок <важный>", breaking: true }),
    );
    const text = alertsTo(8501)[0]?.text ?? "";
    const lines = text.split("\n");
    expect(lines[0]).toBe("🔴 <b>Заголовок &lt;важный&gt;</b>");
    expect(lines[1]).toBe(`<b>${DEFAULT_FOREIGN_AGENT_LABEL}</b>`);
    expect(lines[2]?.endsWith("…")).toBe(true);
    expect(lines[3]).toMatch(
      /^<a href="https:\/\/www\.kavkaz-uzel\.eu\/articles\/\d+\/">Читать<\/a> · 27 нояб\. 2026 г\., 13:00$/,
    );
    expect(visibleLength(text)).toBeLessThanOrEqual(TEXT_LIMIT);
  });

  it("waits out a 429 for retry_after and then delivers", async () => {
    await t.subscriber(8601, ["stavropol"]);
    h.fake.inject({ method: "sendMessage", chatId: 8601, error: { code: 429, retryAfter: 1 } });
    const { stats } = await t.publishAndWait(articleInput({ regions: ["stavropol"] }));
    const attempts = sendsTo(8601);
    expect(attempts.map((c) => c.status)).toEqual([429, 200]);
    expect((attempts[1]?.at ?? 0) - (attempts[0]?.at ?? 0)).toBeGreaterThanOrEqual(900);
    expect(stats).toMatchObject({ sent: 1 });
  });

  it("marks a chat that blocked the bot inactive without retrying it", async () => {
    await t.subscriber(8701, ["rostov"]);
    h.fake.blockChat(8701);
    const { stats } = await t.publishAndWait(articleInput({ regions: ["rostov"] }));
    expect(sendsTo(8701).map((c) => c.status)).toEqual([403]);
    expect(stats.failed).toEqual({ blocked: 1 });
    expect((await t.chats.get(8701))?.active).toBe(false);
  });

  it("marks a vanished chat inactive", async () => {
    await t.subscriber(8702, ["rostov"]);
    h.fake.forgetChat(8702);
    await t.publishAndWait(articleInput({ regions: ["rostov"] }));
    expect((await t.chats.get(8702))?.active).toBe(false);
  });

  it("moves a group that became a supergroup and resends the alert there", async () => {
    await t.subscriber(-8801, ["krasnodar", "protests"]);
    h.fake.migrateChat(-8801, -1008801);
    const { stats } = await t.publishAndWait(articleInput({ regions: ["krasnodar"] }));
    expect(alertsTo(-1008801)).toHaveLength(1);
    expect(await t.subscriptions.slugsOf(-1008801, ["krasnodar", "protests"])).toEqual([
      "krasnodar",
      "protests",
    ]);
    expect(await t.subscriptions.slugsOf(-8801, ["krasnodar", "protests"])).toEqual([]);
    expect(await t.chats.get(-8801)).toBeUndefined();
    expect(stats).toMatchObject({ recipients: 1, sent: 1, done: 1 });
  });

  it("sends a second article queued for a group before it migrated to the group's new id, once", async () => {
    await t.subscriber(-8811, ["north-ossetia"]);
    h.fake.migrateChat(-8811, -1008811);
    const [a, b] = await Promise.all([
      t.publishAndWait(articleInput({ regions: ["north-ossetia"] })),
      t.publishAndWait(articleInput({ regions: ["north-ossetia"] })),
    ]);
    expect(alertsTo(-1008811)).toHaveLength(2);
    expect(a.stats).toMatchObject({ sent: 1, done: a.stats.recipients });
    expect(b.stats).toMatchObject({ sent: 1, done: b.stats.recipients });
  });

  it("retries server errors with backoff and delivers", async () => {
    await t.subscriber(8901, ["abkhazia"]);
    h.fake.inject({ method: "sendMessage", chatId: 8901, times: 2, error: { code: 502 } });
    await t.publishAndWait(articleInput({ regions: ["abkhazia"] }));
    expect(sendsTo(8901).map((c) => c.status)).toEqual([502, 502, 200]);
  });

  it("retries a send whose answer never came (at-least-once) and counts it as ambiguous", async () => {
    await t.subscriber(8902, ["south-ossetia"]);
    h.fake.inject({ method: "sendMessage", chatId: 8902, delayMs: 1500 });
    const { stats } = await t.publishAndWait(articleInput({ regions: ["south-ossetia"] }));
    // The first request reached the fake and was delivered, but its answer came too late.
    expect(alertsTo(8902)).toHaveLength(2);
    expect(stats.ambiguous).toBe(1);
    expect(stats).toMatchObject({ sent: 1, done: 1 });
  });

  it("keeps at least a second between two alerts to one chat and three between alerts to a group", async () => {
    await t.subscriber(9001, ["volgograd"]);
    await t.subscriber(-9002, ["volgograd"]);
    await Promise.all([
      t.publishAndWait(articleInput({ regions: ["volgograd"] })),
      t.publishAndWait(articleInput({ regions: ["volgograd"] })),
    ]);
    const [a, b] = sendsTo(9001);
    expect((b?.at ?? 0) - (a?.at ?? 0)).toBeGreaterThanOrEqual(950);
    const [g1, g2] = sendsTo(-9002);
    expect((g2?.at ?? 0) - (g1?.at ?? 0)).toBeGreaterThanOrEqual(2950);
  });

  it("drops a delivery batch that comes after the 48 h ledger, sending nothing", async () => {
    await t.subscriber(9111, ["georgia"]);
    await t.subscriber(9112, ["georgia"]);
    const { validateArticle } = await import("../../src/domain/article.ts");
    const { DateTime } = await import("luxon");
    const check = validateArticle(
      articleInput({ regions: ["georgia"] }),
      await t.catalog.all(),
      DateTime.utc(),
    );
    if (!check.ok) throw new Error(JSON.stringify(check.errors));
    // An article whose fan-out began 49 h ago. Recorded, not published: no worker has read its
    // figures yet, so none holds a view of them from before they were this old.
    const { seq } = await t.articles.record(check.article, DateTime.utc().toISO() ?? "");
    await t.fanout.markStarted(seq, new Date(Date.now() - 49 * 3600 * 1000).toISOString());
    // As a failed batch retried by hand, or by BullMQ, long after the alert went out.
    const job = await t.queues.deliver.add(
      "deliver",
      { seq, chatIds: [9111, 9112] },
      { jobId: `late-${seq}` },
    );
    await eventually(
      async () => ["completed", "unknown"].includes(await t.queues.deliver.getJobState(job.id ?? "")),
      10_000,
      "the late batch handled",
    );
    expect(sendsTo(9111)).toHaveLength(0);
    expect(sendsTo(9112)).toHaveLength(0);
  });

  it("sends the alert without a sound to the chats a batch names silent, and with one to the others", async () => {
    await t.subscriber(9121, ["georgia"]);
    const { seq } = await t.publishAndWait(articleInput({ regions: ["georgia"], breaking: true }));
    await t.subscriber(9122, ["abkhazia"]);
    await t.subscriber(9123, ["abkhazia"]);
    // A batch as the fan-out queues it for readers in their quiet hours.
    const job = await t.queues.deliver.add(
      "deliver",
      { seq, chatIds: [9122, 9123], silent: [9122] },
      { jobId: `silent-${seq}` },
    );
    await eventually(
      async () => ["completed", "unknown"].includes(await t.queues.deliver.getJobState(job.id ?? "")),
      10_000,
      "the batch delivered",
    );
    expect(sendsTo(9122).map((c) => c.payload.disable_notification)).toEqual([true]);
    expect(sendsTo(9123).map((c) => c.payload.disable_notification)).toEqual([undefined]);
    expect(sendsTo(9121).map((c) => c.payload.disable_notification)).toEqual([undefined]);
  });

  it("records where each alert landed and that it is text, for corrections and retractions", async () => {
    await t.subscriber(9101, ["georgia"]);
    const { seq } = await t.publishAndWait(articleInput({ regions: ["georgia"] }));
    const message = alertsTo(9101)[0];
    const delivered = await t.deliveries.deliveredInShards(seq, 9101 % 1024, (9101 % 1024) + 1);
    expect(delivered.find((m) => m.chatId === 9101)).toMatchObject({
      messageId: message?.message_id,
      targetId: 9101,
      photo: false,
    });
    const ttl = await h.redis.pttl(`${h.config.redisPrefix}:article:${seq}:sent:${9101 % 1024}`);
    expect(ttl).toBeGreaterThan(47 * 3600 * 1000);
  });
});

describe("priority", () => {
  it("lets breaking news overtake regular alerts already queued", async () => {
    const ids = Array.from({ length: 600 }, (_, i) => 20_000 + i);
    for (const id of ids) await t.subscriber(id, ["azerbaijan"]);
    await t.subscriber(9600, ["armenia"]);
    const regular = await t.publish(articleInput({ regions: ["azerbaijan"] }));
    await eventually(() => ids.some((id) => sendsTo(id).length > 0), 5000, "regular delivery started");
    const breaking = await t.publishAndWait(articleInput({ regions: ["armenia"], breaking: true }));
    const breakingAt = sendsTo(9600)[0]?.at ?? Number.POSITIVE_INFINITY;
    const regularAfter = ids.filter((id) => (sendsTo(id)[0]?.at ?? Number.POSITIVE_INFINITY) > breakingAt);
    expect(breaking.stats.sent).toBe(1);
    // At 200/s the regular article takes 3 s; breaking must not wait for its end.
    expect(regularAfter.length).toBeGreaterThan(100);
    if (regular.status !== "queued") throw new Error("regular not queued");
    await eventually(async () => (await t.articles.stats(regular.seq)).finishedAt !== undefined, 20_000);
  });
  it("alerts every follower once while a slug's shards are widened, and again once they are laid out", async () => {
    const followers = Array.from({ length: 12 }, (_, i) => 9700 + i * 1024);
    for (const id of followers) await t.subscriber(id, ["kabardino-balkaria"]);
    // Two widenings whose sweeps never ran, as when the process stops right after each.
    const stopped = new (class extends SubscriptionStore {
      override async settle(): Promise<void> {}
    })(h.redis, redisKeys(h.config.redisPrefix), { widenAt: 0.005 });
    for (const id of [9690, 9691]) {
      await t.subscriber(id, []);
      await stopped.subscribe(id, "kabardino-balkaria");
      followers.push(id);
    }
    expect(await h.redis.hget(redisKeys(h.config.redisPrefix).subscriptionWidths, "kabardino-balkaria")).toBe(
      "4",
    );
    const during = await t.publishAndWait(articleInput({ regions: ["kabardino-balkaria"] }));
    expect(during.stats).toMatchObject({ recipients: 14, sent: 14 });
    for (const id of followers) expect(alertsTo(id)).toHaveLength(1);

    await t.subscriptions.settle();
    const after = await t.publishAndWait(articleInput({ regions: ["kabardino-balkaria"] }));
    expect(after.stats).toMatchObject({ recipients: 14, sent: 14 });
    for (const id of followers) expect(alertsTo(id)).toHaveLength(2);
  });
});
