import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningWorkers, startWorkers } from "../../jobs/workers.ts";
import type { RecordedCall } from "../../src/bench/fake-bot-api/http-server.ts";
import { digestJobId, revisionJobId } from "../../src/delivery/queues.ts";
import type { Article } from "../../src/domain/article.ts";
import { escapeHtml } from "../../src/domain/html.ts";
import { DEFAULT_FOREIGN_AGENT_LABEL } from "../../src/domain/label.ts";
import { defaultReaderOptions } from "../../src/domain/reader-options.ts";
import type { RevisionKind } from "../../src/domain/revision.ts";
import { createLogger } from "../../src/logger.ts";
import { DigestLedger } from "../../src/store/digest-ledger.ts";
import { HeldStore } from "../../src/store/held-store.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { type Harness, startHarness } from "../support/bot-harness.ts";
import { articleInput, deliveryTools } from "../support/delivery-harness.ts";
import { eventually } from "../support/eventually.ts";

const ZONE = "Europe/Moscow";
const LABEL = process.env.FOREIGN_AGENT_LABEL || DEFAULT_FOREIGN_AGENT_LABEL;

/**
 * The workers run on a clock the tests move (as in test/e2e/digests.test.ts): articles are held
 * at 12:00 for the 09:00 digest, which goes out once the clock says so.
 */
let clock = DateTime.now().setZone(ZONE).plus({ days: 1 }).startOf("day");
const at = (day: number, hour: number, minute = 0) =>
  DateTime.now()
    .setZone(ZONE)
    .plus({ days: 1 + day })
    .startOf("day")
    .set({ hour, minute });

describe("a correction or retraction reaches a digest at every stage: held, rendered, partly sent, sent", () => {
  let h: Harness;
  let t: ReturnType<typeof deliveryTools>;
  let workers: RunningWorkers;
  let held: HeldStore;
  const editor = { chatId: 7999, userId: 7999, lang: "ru" as const };

  beforeAll(async () => {
    h = await startHarness("send-digest", { role: "bot" });
    t = deliveryTools(h);
    t.queues.revisions.on("error", () => undefined);
    held = new HeldStore(h.redis, redisKeys(h.config.redisPrefix));
    workers = await startWorkers(h.config, createLogger("silent"), {
      now: () => clock,
      digestTickMs: 100,
    });
  });
  afterAll(async () => {
    await workers.close();
    await t.queues.close();
    await h.stop();
  });

  // Each test's reader follows a region of its own: a digest holds only that test's articles.
  const regions = new Map<number, string>([
    [7101, "chechnya"],
    [7201, "dagestan"],
    [7202, "ingushetia"],
    [7203, "adygea"],
    [7301, "kabardino-balkaria"],
    [7401, "karachay-cherkessia"],
    [7501, "north-ossetia"],
    [7601, "krasnodar"],
  ]);
  let region = "chechnya";
  const digestReader = (id: number) => {
    region = regions.get(id) ?? "chechnya";
    return t.subscriber(id, [region], {
      timeZone: ZONE,
      options: { ...defaultReaderOptions(), mode: "digest", digestTimes: [9 * 60] },
    });
  };
  const hold = async (headline: string) => {
    const input = articleInput({ regions: [region], headline });
    const { seq, stats } = await t.publishAndWait(input);
    expect(stats.skipped.held).toBeGreaterThan(0);
    return { seq, headline, url: String(input.url) };
  };
  const release = (day: number) => {
    clock = at(day, 9).plus({ seconds: 1 });
  };
  /** Queues a revision the way the bot does, after the article was changed; resolves with its figures. */
  const revise = async (seq: number, kind: RevisionKind) => {
    const revision = await t.revisions.startRevision(seq, kind, DateTime.utc().toISO() ?? "");
    await t.queues.revisions.add(kind, { seq, revision, editor }, { jobId: revisionJobId(seq, revision) });
    await eventually(
      async () => (await t.revisions.revisionFigures(seq, revision))?.finishedAt !== undefined,
      15_000,
      `${kind} of ${seq} finished`,
    );
    return (await t.revisions.revisionFigures(seq, revision))?.counts;
  };
  const retract = async (seq: number) => {
    await t.articles.markRetracted(seq, DateTime.utc().toISO() ?? "");
    return revise(seq, "retract");
  };
  const correct = async (seq: number, headline: string) => {
    const article = await t.articles.get(seq);
    if (!article) throw new Error(`article ${seq} is gone`);
    await t.articles.replace(seq, { ...article, headline });
    return revise(seq, "correct");
  };
  const callsTo = (chatId: number, method: string): RecordedCall[] =>
    h.fake.calls.filter((c) => c.method === method && Number(c.payload.chat_id) === chatId);
  /** Every digest text Telegram accepted for the chat, edits included. */
  const accepted = (chatId: number) =>
    h.fake.calls
      .filter(
        (c) =>
          (c.method === "sendMessage" || c.method === "editMessageText") &&
          Number(c.payload.chat_id) === chatId &&
          c.status === 200,
      )
      .map((c) => String(c.payload.text));
  const visible = (chatId: number) =>
    h.fake
      .messagesTo(chatId)
      .filter((m) => m.method === "sendMessage" && !m.deleted)
      .map((m) => m.text ?? "");
  const waitDigest = (chatId: number, contains: string) =>
    h.fake.waitForMessage(
      chatId,
      (m) => (m.text ?? "").includes("Дайджест") && (m.text ?? "").includes(contains),
      15_000,
    );

  it("an article retracted and another corrected while held: the digest goes out without the one and with the other's new text", async () => {
    const chatId = 7101;
    clock = at(0, 12);
    await digestReader(chatId);
    const a = await hold("Отозванная пока ждала");
    const b = await hold("Исправленная пока ждала");
    const c = await hold("Нетронутая пока ждала");
    await retract(a.seq);
    await correct(b.seq, "Исправленная пока ждала (исправлено)");
    release(1);
    const digest = await waitDigest(chatId, c.headline);
    expect(digest.text).toContain("(исправлено)");
    expect(digest.text).not.toContain(a.headline);
    expect(digest.text).not.toContain(a.url);
  }, 60_000);

  it("an article retracted while its digest is rendered and Telegram answers 500 to the first send: the retracted line never arrives", async () => {
    const chatId = 7201;
    clock = at(1, 12);
    await digestReader(chatId);
    const a = await hold("Отозванная после отрисовки");
    const b = await hold("Оставшаяся после отрисовки");
    // The first send hangs a while, then fails with 500: the retraction comes in between.
    h.fake.inject({ method: "sendMessage", chatId, times: 1, delayMs: 5000, error: { code: 500 } });
    release(2);
    await eventually(() => callsTo(chatId, "sendMessage").length > 0, 15_000, "the first digest send");
    expect((await held.inFlight(chatId))?.parts?.[0]?.html).toContain(a.headline);
    await retract(a.seq);
    await waitDigest(chatId, b.headline);
    const texts = accepted(chatId);
    expect(texts.filter((text) => text.includes(a.headline) || text.includes(a.url))).toEqual([]);
    expect(visible(chatId)).toEqual([expect.stringContaining(b.headline)]);
  }, 60_000);

  it("an article corrected while its digest is rendered and Telegram answers 500 to the first send: the digest arrives corrected", async () => {
    const chatId = 7202;
    clock = at(2, 12);
    await digestReader(chatId);
    const a = await hold("Ошибочная после отрисовки");
    const b = await hold("Вторая после отрисовки");
    h.fake.inject({ method: "sendMessage", chatId, times: 1, delayMs: 5000, error: { code: 500 } });
    release(3);
    await eventually(() => callsTo(chatId, "sendMessage").length > 0, 15_000, "the first digest send");
    expect((await held.inFlight(chatId))?.parts?.[0]?.html).toContain(a.headline);
    await correct(a.seq, "Верная после отрисовки");
    const digest = await waitDigest(chatId, b.headline);
    await eventually(
      () => (h.fake.lastMessageTo(chatId)?.text ?? "").includes("Верная после отрисовки"),
      10_000,
      "the digest reads corrected",
    );
    expect(h.fake.lastMessageTo(chatId)?.message_id).toBe(digest.message_id);
    expect(accepted(chatId).filter((text) => text.includes(a.headline))).toEqual([]);
  }, 60_000);

  it("an article retracted while its digest's send is on its way to Telegram: the message is edited as soon as it lands", async () => {
    const chatId = 7203;
    clock = at(3, 12);
    await digestReader(chatId);
    const a = await hold("Отозванная в пути");
    const b = await hold("Оставшаяся в пути");
    // The send is slow to land: rendered with the article, it arrives after the retraction's walk.
    h.fake.inject({ method: "sendMessage", chatId, times: 1, delayMs: 4000 });
    release(4);
    await eventually(() => callsTo(chatId, "sendMessage").length > 0, 15_000, "the digest send");
    expect(await retract(a.seq)).toEqual({});
    const digest = await waitDigest(chatId, b.headline);
    await eventually(
      () => !(h.fake.lastMessageTo(chatId)?.text ?? "").includes(a.headline),
      10_000,
      "the retracted line gone",
    );
    expect(h.fake.lastMessageTo(chatId)?.message_id).toBe(digest.message_id);
    expect(h.fake.lastMessageTo(chatId)?.text).toContain(b.headline);
  }, 60_000);

  it("articles retracted after part 1 of a 2-part digest was sent and while part 2 fails with 500: part 1 is edited, part 2 arrives without its line", async () => {
    const chatId = 7301;
    clock = at(4, 12);
    await digestReader(chatId);
    // 20 long lines make two messages; held as the fan-out holds them (its routing is proven elsewhere).
    const articles: { seq: number; tag: string }[] = [];
    for (let i = 1; i <= 20; i++) {
      const tag = `[п${i}]`;
      const input = articleInput({
        regions: [region],
        headline: `${tag} ${"длинный заголовок ".repeat(15)}`,
      });
      const { seq } = await t.articles.record(
        { ...(input as unknown as Article), breaking: false },
        clock.toISO() ?? "",
      );
      await held.advanceRouted(
        { seq, breaking: false },
        { from: 0, to: 1024, queued: 0, last: true, now: clock.toISO() ?? "", heldAt: clock.toMillis() },
        [{ chatId, route: "held", releaseMs: at(5, 9).toMillis() }],
      );
      articles.push({ seq, tag });
    }
    const newest = articles[19] as { seq: number; tag: string };
    const oldest = articles[0] as { seq: number; tag: string };
    // The first send goes through; the second hangs, then fails with 500.
    h.fake.inject({ method: "sendMessage", chatId, times: 1 });
    h.fake.inject({ method: "sendMessage", chatId, times: 1, delayMs: 6000, error: { code: 500 } });
    release(5);
    const first = await waitDigest(chatId, newest.tag);
    expect(first.text).not.toContain(oldest.tag);
    await eventually(() => callsTo(chatId, "sendMessage").length > 1, 15_000, "the second part's send");
    await retract(newest.seq);
    await retract(oldest.seq);
    await waitDigest(chatId, articles[1]?.tag ?? "");
    await eventually(() => visible(chatId).length === 2, 15_000, "both parts out");
    await eventually(() => !visible(chatId).join("\n").includes(newest.tag), 10_000, "part 1 edited");
    const [part1, part2] = visible(chatId);
    expect(part1).not.toContain(newest.tag);
    expect(part1).toContain(articles[18]?.tag);
    expect(part2).toContain(articles[1]?.tag);
    expect(accepted(chatId).filter((text) => text.includes(oldest.tag))).toEqual([]);
  }, 90_000);

  it("an article retracted after its digest was sent: its line leaves the digest message", async () => {
    const chatId = 7401;
    clock = at(5, 12);
    await digestReader(chatId);
    const a = await hold("Отозванная после отправки");
    const b = await hold("Оставшаяся после отправки");
    release(6);
    const digest = await waitDigest(chatId, a.headline);
    expect(await retract(a.seq)).toEqual({ deleted: 1 });
    const left = h.fake.lastMessageTo(chatId);
    expect(left?.message_id).toBe(digest.message_id);
    expect(left?.text).toContain(b.headline);
    expect(left?.text).not.toContain(a.headline);
  }, 60_000);

  it("two articles of one sent digest retracted at the same moment, the first edit landing last: both lines are gone", async () => {
    const chatId = 7501;
    clock = at(6, 12);
    await digestReader(chatId);
    const a = await hold("Первая отозванная разом");
    const b = await hold("Вторая отозванная разом");
    const c = await hold("Оставшаяся из трёх");
    release(7);
    const digest = await waitDigest(chatId, c.headline);
    expect(digest.text).toContain(a.headline);
    expect(digest.text).toContain(b.headline);
    // A's edit is slow to land: B's retraction renders and edits meanwhile.
    h.fake.inject({ method: "editMessageText", chatId, times: 1, delayMs: 2000 });
    await t.articles.markRetracted(a.seq, DateTime.utc().toISO() ?? "");
    const first = revise(a.seq, "retract");
    await eventually(() => callsTo(chatId, "editMessageText").length > 0, 15_000, "A's edit under way");
    await t.articles.markRetracted(b.seq, DateTime.utc().toISO() ?? "");
    await Promise.all([first, revise(b.seq, "retract")]);
    const left = h.fake.lastMessageTo(chatId);
    expect(left?.message_id).toBe(digest.message_id);
    expect(left?.text).toContain(c.headline);
    expect(left?.text).not.toContain(a.headline);
    expect(left?.text).not.toContain(b.headline);
  }, 60_000);
  it("a worker killed after a part was sent and recorded, before it checked for revisions: the job resuming the digest settles that part", async () => {
    const chatId = 7601;
    clock = at(7, 12);
    await digestReader(chatId);
    const a = await hold("Отозванная до падения");
    const b = await hold("Оставшаяся до падения");
    // What the killed run left: the digest claimed, its one part rendered with both articles,
    // sent and recorded; then an article retracted, whose walk found the ledger still empty.
    const dueMs = (await held.dueAt(chatId)) ?? 0;
    await held.take(chatId, "killed-run");
    const revisions = await t.articles.revisionCount();
    const line = (x: { headline: string; url: string }) =>
      `<a href="${escapeHtml(x.url)}">${escapeHtml(x.headline)}</a> · 12:00`;
    const html = `<b>${escapeHtml(LABEL)}</b>\n<b>Дайджест</b>\n${line(b)}\n${line(a)}`;
    await held.saveParts(chatId, [{ html, seqs: [b.seq, a.seq], revisions }]);
    const response = await fetch(`${h.fake.apiRoot}/bot${h.env.BOT_TOKEN}/sendMessage`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ chat_id: chatId, text: html, parse_mode: "HTML" }),
    });
    const { result } = (await response.json()) as { result: { message_id: number } };
    await new DigestLedger(h.redis, redisKeys(h.config.redisPrefix)).recordPart(
      {
        chatId,
        targetId: chatId,
        messageId: result.message_id,
        lang: "ru",
        zone: ZONE,
        lines: [
          { seq: b.seq, breaking: false },
          { seq: a.seq, breaking: false },
        ],
        fellOut: 0,
        revisions,
      },
      0,
    );
    await t.articles.markRetracted(a.seq, DateTime.utc().toISO() ?? "");
    // BullMQ retries the job.
    await t.queues.digests.add("send-digest", { chatId, dueMs }, { jobId: digestJobId(chatId, dueMs) });
    await eventually(async () => (await held.inFlight(chatId)) === undefined, 15_000, "the digest finished");
    const left = h.fake.lastMessageTo(chatId);
    expect(left?.message_id).toBe(result.message_id);
    expect(left?.text).toContain(b.headline);
    expect(left?.text).not.toContain(a.headline);
    expect(visible(chatId)).toHaveLength(1);
  }, 60_000);
});
