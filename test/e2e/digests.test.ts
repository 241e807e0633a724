import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningWorkers, startWorkers } from "../../jobs/workers.ts";
import type { RecordedCall } from "../../src/bench/fake-bot-api/http-server.ts";
import type { SentMessage } from "../../src/bench/fake-bot-api/message-store.ts";
import { revisionJobId } from "../../src/delivery/queues.ts";
import type { Article } from "../../src/domain/article.ts";
import type { ChatSettings } from "../../src/domain/chat.ts";
import { htmlToPlain, visibleLength } from "../../src/domain/html.ts";
import { parseFilter } from "../../src/domain/keyword-filter.ts";
import { DEFAULT_FOREIGN_AGENT_LABEL } from "../../src/domain/label.ts";
import { defaultReaderOptions, type ReaderOptions } from "../../src/domain/reader-options.ts";
import { createLogger } from "../../src/logger.ts";
import { createMetrics } from "../../src/metrics.ts";
import { DigestLedger } from "../../src/store/digest-ledger.ts";
import { HeldStore } from "../../src/store/held-store.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { type Harness, startHarness } from "../support/bot-harness.ts";
import { articleInput, deliveryTools } from "../support/delivery-harness.ts";
import { eventually } from "../support/eventually.ts";

const ZONE = "Europe/Moscow";
const LABEL = process.env.FOREIGN_AGENT_LABEL || DEFAULT_FOREIGN_AGENT_LABEL;

/**
 * The workers run on a clock the tests move: an article held at 10:00 for the 19:00 digest goes
 * out as soon as the clock says 19:00 (the digest tick runs every 100 ms of real time). The clock
 * starts tomorrow, ahead of the real one, so the 48 h ledger rules never see it in the past.
 */
let clock = DateTime.now().setZone(ZONE).plus({ days: 1 }).startOf("day");
const at = (day: number, hour: number, minute = 0) =>
  DateTime.now()
    .setZone(ZONE)
    .plus({ days: 1 + day })
    .startOf("day")
    .set({ hour, minute });

describe("readers' options: holding, digests, quiet hours, mute, filters", () => {
  let h: Harness;
  let t: ReturnType<typeof deliveryTools>;
  let workers: RunningWorkers;
  let held: HeldStore;
  let ledger: DigestLedger;
  const metrics = createMetrics();

  beforeAll(async () => {
    h = await startHarness("digests", { role: "bot" });
    t = deliveryTools(h);
    t.queues.revisions.on("error", () => undefined);
    const keys = redisKeys(h.config.redisPrefix);
    held = new HeldStore(h.redis, keys);
    ledger = new DigestLedger(h.redis, keys);
    workers = await startWorkers(h.config, createLogger("silent"), {
      now: () => clock,
      digestTickMs: 100,
      metrics,
    });
  });
  afterAll(async () => {
    await workers.close();
    await t.queues.close();
    await h.stop();
  });

  const reader = (
    id: number,
    region: string,
    options: Partial<ReaderOptions>,
    settings: Partial<ChatSettings> = {},
  ) =>
    t.subscriber(id, [region], {
      timeZone: ZONE,
      options: { ...defaultReaderOptions(), ...options },
      ...settings,
    });
  const instant = (id: number, region: string) => t.subscriber(id, [region], { timeZone: ZONE });
  const sent = (chatId: number): SentMessage[] =>
    h.fake.messagesTo(chatId).filter((m) => m.method === "sendMessage");
  const sendCalls = (chatId: number): RecordedCall[] =>
    h.fake.calls.filter(
      (c) => c.method === "sendMessage" && Number(c.payload.chat_id) === chatId && c.status === 200,
    );
  const digestsTo = (chatId: number) => sent(chatId).filter((m) => m.text?.includes("Дайджест"));
  const waitDigest = (chatId: number, contains: string, timeoutMs = 10_000) =>
    h.fake.waitForMessage(
      chatId,
      (m) => (m.text ?? "").includes("Дайджест") && (m.text ?? "").includes(contains),
      timeoutMs,
    );
  const minute = (hhmm: string) => {
    const [hh = 0, mm = 0] = hhmm.split(":").map(Number);
    return hh * 60 + mm;
  };

  it("digest mode with two times a day: regular news waits for 08:00 or 19:00 in one message, breaking news comes at once", async () => {
    const region = "chechnya";
    clock = at(0, 10);
    await reader(6101, region, { mode: "digest", digestTimes: [minute("08:00"), minute("19:00")] });
    await instant(6100, region);
    const a = await t.publishAndWait(articleInput({ regions: [region], headline: "Первая новость дня" }));
    const b = await t.publishAndWait(articleInput({ regions: [region], headline: "Вторая новость дня" }));
    expect(a.stats.skipped.held).toBe(1);
    expect(b.stats).toMatchObject({ recipients: 2, done: 2, sent: 1 });
    expect(sent(6100)).toHaveLength(2);
    expect(sent(6101)).toEqual([]);
    expect(await held.dueAt(6101)).toBe(at(0, 19).toMillis());

    const breaking = await t.publishAndWait(
      articleInput({ regions: [region], headline: "Срочно: взрыв", breaking: true }),
    );
    expect(breaking.stats.sent).toBe(2);
    expect(sent(6101).map((m) => m.text?.split("\n")[0])).toEqual([expect.stringContaining("Срочно: взрыв")]);

    clock = at(0, 19, 0).plus({ seconds: 1 });
    const digest = await waitDigest(6101, "Первая новость дня");
    const lines = htmlToPlain(digest.text ?? "").split("\n");
    expect(lines[0]).toBe(LABEL);
    expect(lines.findIndex((l) => l.includes("Вторая"))).toBeLessThan(
      lines.findIndex((l) => l.includes("Первая")),
    );
    expect(digestsTo(6101)).toHaveLength(1);

    // After 19:00 the next regular article waits for 08:00 tomorrow.
    await t.publishAndWait(articleInput({ regions: [region], headline: "Вечерняя новость" }));
    expect(await held.dueAt(6101)).toBe(at(1, 8).toMillis());
    clock = at(1, 8).plus({ seconds: 1 });
    await waitDigest(6101, "Вечерняя новость");
    expect(digestsTo(6101)).toHaveLength(2);
  }, 30_000);

  it("quiet hours 23:00–08:00, in a private chat and in a group: regular news waits until 08:00, breaking news comes silently", async () => {
    const region = "dagestan";
    clock = at(0, 23, 30);
    const quiet = { quiet: { from: minute("23:00"), to: minute("08:00") } };
    await reader(6201, region, quiet);
    await reader(-6202, region, quiet);
    await instant(6200, region);
    const regular = await t.publishAndWait(articleInput({ regions: [region], headline: "Ночная новость" }));
    expect(regular.stats.skipped.held).toBe(2);
    await t.publishAndWait(articleInput({ regions: [region], headline: "Ночью срочно", breaking: true }));
    for (const chatId of [6201, -6202]) {
      const calls = sendCalls(chatId);
      expect(calls).toHaveLength(1);
      expect(calls[0]?.payload.disable_notification).toBe(true);
      expect(String(calls[0]?.payload.text)).toContain("Ночью срочно");
    }
    // The reader without quiet hours hears both.
    expect(sendCalls(6200).map((c) => c.payload.disable_notification ?? false)).toEqual([false, false]);

    clock = at(1, 8).plus({ seconds: 1 });
    await waitDigest(6201, "Ночная новость");
    await waitDigest(-6202, "Ночная новость");
    // The digest at the end of quiet hours is heard.
    expect(sendCalls(6201).at(-1)?.payload.disable_notification).toBeUndefined();
  }, 30_000);

  it("mute for an hour keeping what comes: everything, breaking news too, arrives as a digest when it ends; mute dropping: nothing arrives", async () => {
    const region = "ingushetia";
    clock = at(0, 12);
    const until = at(0, 13).toMillis();
    await reader(6301, region, { muteUntil: until, muteKeep: true });
    await reader(6302, region, { muteUntil: until, muteKeep: false });
    const regular = await t.publishAndWait(articleInput({ regions: [region], headline: "Новость в тишине" }));
    const breaking = await t.publishAndWait(
      articleInput({ regions: [region], headline: "Срочная в тишине", breaking: true }),
    );
    expect(regular.stats.skipped).toMatchObject({ held: 1, muted: 1 });
    expect(breaking.stats.skipped).toMatchObject({ held: 1, muted: 1 });
    expect(sent(6301)).toEqual([]);

    clock = at(0, 13).plus({ seconds: 1 });
    const digest = await waitDigest(6301, "Новость в тишине");
    expect(digest.text).toContain("🔴");
    expect(digest.text).toContain("Срочная в тишине");
    expect(sent(6302)).toEqual([]);
    expect(await held.held(6302)).toEqual({ items: [], fellOut: 0 });
  }, 30_000);

  it("keyword filters: -word drops matching articles, +word keeps only matching ones; whole words, any case", async () => {
    const region = "kabardino-balkaria";
    clock = at(0, 12);
    const filter = (text: string) => {
      const parsed = parseFilter(text);
      if (!parsed.ok) throw new Error(parsed.reason);
      return parsed.filter;
    };
    await reader(6401, region, { filters: [filter("-футбол")] });
    await reader(6402, region, { filters: [filter("+выборы")] });
    const football = await t.publishAndWait(
      articleInput({ regions: [region], headline: "ФУТБОЛ в Нальчике" }),
    );
    const footballer = await t.publishAndWait(
      articleInput({ regions: [region], headline: "Футболист из Нальчика" }),
    );
    const elections = await t.publishAndWait(
      articleInput({ regions: [region], headline: "Выборы в Нальчике" }),
    );
    expect(football.stats.skipped.filtered).toBe(2);
    expect(footballer.stats).toMatchObject({ sent: 1, skipped: { filtered: 1 } });
    expect(elections.stats.sent).toBe(2);
    expect(sent(6401).map((m) => m.text?.split("\n")[0])).toEqual([
      expect.stringContaining("Футболист"),
      expect.stringContaining("Выборы"),
    ]);
    expect(sent(6402).map((m) => m.text?.split("\n")[0])).toEqual([expect.stringContaining("Выборы")]);
    const skipped = (await metrics.alertsSkipped.get()).values;
    expect(skipped.find((v) => v.labels.reason === "filtered")?.value).toBe(3);
  }, 30_000);

  it("keyword filters match word forms: -футбол drops «Матч по футболу», +Грозный keeps «В Грозном…», -права человека drops «прав человека»", async () => {
    const region = "kalmykia";
    clock = at(0, 12);
    const filter = (text: string) => {
      const parsed = parseFilter(text);
      if (!parsed.ok) throw new Error(parsed.reason);
      return parsed.filter;
    };
    await reader(6411, region, { filters: [filter("-футбол")] });
    await reader(6412, region, { filters: [filter("+Грозный")] });
    await reader(6413, region, { filters: [filter("-права человека")] });
    const match = await t.publishAndWait(
      articleInput({ regions: [region], headline: "Матч по футболу в Элисте" }),
    );
    const rally = await t.publishAndWait(
      articleInput({ regions: [region], headline: "В Грозном прошёл митинг" }),
    );
    const report = await t.publishAndWait(
      articleInput({ regions: [region], headline: "Доклад о защите прав человека" }),
    );
    expect(match.stats).toMatchObject({ sent: 1, skipped: { filtered: 2 } });
    expect(rally.stats.sent).toBe(3);
    expect(report.stats).toMatchObject({ sent: 1, skipped: { filtered: 2 } });
    const headlines = (chatId: number) => sent(chatId).map((m) => m.text?.split("\n")[0]);
    expect(headlines(6411)).toEqual([
      expect.stringContaining("Грозном"),
      expect.stringContaining("прав человека"),
    ]);
    expect(headlines(6412)).toEqual([expect.stringContaining("Грозном")]);
    expect(headlines(6413)).toEqual([expect.stringContaining("футболу"), expect.stringContaining("Грозном")]);
  }, 30_000);

  it("breaking news only: regular articles are dropped, breaking ones come", async () => {
    const region = "karachay-cherkessia";
    clock = at(0, 12);
    await reader(6501, region, { mode: "breaking" });
    const regular = await t.publishAndWait(articleInput({ regions: [region], headline: "Обычная" }));
    await t.publishAndWait(articleInput({ regions: [region], headline: "Срочная", breaking: true }));
    expect(regular.stats.skipped["breaking-only"]).toBe(1);
    expect(sent(6501).map((m) => m.text?.split("\n")[0])).toEqual([expect.stringContaining("Срочная")]);
  }, 30_000);

  it("a digest of 205 held long headlines: 50 lines split into messages of at most 4096 with the label on each, 150 more, 5 fell out of the 200 kept", async () => {
    const region = "north-ossetia";
    clock = at(0, 12);
    await reader(6601, region, { mode: "digest", digestTimes: [minute("09:00")] });
    // 205 fan-outs would take most of a minute on a busy machine: the articles are recorded and
    // held the way the fan-out holds them (its routing is proven above), one call each.
    const release = at(1, 9).toMillis();
    for (let i = 1; i <= 205; i++) {
      const input = articleInput({
        regions: [region],
        headline: `Статья ${i} ${"длинный заголовок ".repeat(15)}`,
      });
      const { seq } = await t.articles.record(
        { ...(input as unknown as Article), breaking: false },
        clock.toISO() ?? "",
      );
      await held.advanceRouted(
        { seq, breaking: false },
        { from: 0, to: 1024, queued: 0, last: true, now: clock.toISO() ?? "", heldAt: clock.toMillis() },
        [{ chatId: 6601, route: "held", releaseMs: release }],
      );
    }
    expect((await held.held(6601)).items).toHaveLength(200);
    clock = at(1, 9).plus({ seconds: 1 });
    await waitDigest(6601, "не поместились", 20_000);
    const parts = digestsTo(6601);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      expect(htmlToPlain(part.text ?? "").split("\n")[0]).toBe(LABEL);
      expect(visibleLength(part.text ?? "")).toBeLessThanOrEqual(4096);
    }
    const all = parts.map((p) => p.text ?? "").join("\n");
    expect(all.match(/Статья \d+/g)).toHaveLength(50);
    expect(all).toContain("ещё 150 материалов");
    expect(all).toContain("5 более ранних материалов не поместились");
    // Newest first: the last article published opens the first part.
    expect(parts[0]?.text).toMatch(/Статья 205 /);
    expect(all).not.toMatch(/Статья [1-5] /);
  }, 150_000);

  it("a correction edits the digest line, a retraction removes it (and deletes a digest that held only that article)", async () => {
    const region = "adygea";
    clock = at(0, 12);
    await reader(6801, region, { mode: "digest", digestTimes: [minute("09:00")] });
    const x = await t.publishAndWait(articleInput({ regions: [region], headline: "Статья икс" }));
    // 6802 follows the region only while y comes: its digest holds y alone.
    await reader(6802, region, { mode: "digest", digestTimes: [minute("09:00")] });
    const y = await t.publishAndWait(articleInput({ regions: [region], headline: "Статья игрек" }));
    await t.subscriptions.unsubscribe(6802, region);
    const z = await t.publishAndWait(articleInput({ regions: [region], headline: "Статья зет" }));
    clock = at(1, 9).plus({ seconds: 1 });
    const both = await waitDigest(6801, "Статья зет");
    expect(both.text).toContain("Статья икс");
    await waitDigest(6802, "Статья игрек");

    const editor = { chatId: 6899, userId: 6899, lang: "ru" as const };
    const revise = async (seq: number, kind: "correct" | "retract") => {
      const revision = await t.revisions.startRevision(seq, kind, DateTime.utc().toISO() ?? "");
      await t.queues.revisions.add(kind, { seq, revision, editor }, { jobId: revisionJobId(seq, revision) });
      await eventually(
        async () => (await t.revisions.revisionFigures(seq, revision))?.finishedAt !== undefined,
        10_000,
        `${kind} of ${seq} finished`,
      );
      return t.revisions.revisionFigures(seq, revision);
    };

    const article = await t.articles.get(x.seq);
    if (!article) throw new Error("article x is gone");
    await t.articles.replace(x.seq, { ...article, headline: "Статья икс (исправлено)" });
    expect((await revise(x.seq, "correct"))?.counts).toEqual({ edited: 1 });
    const corrected = await h.fake.waitForMessage(6801, (m) => (m.text ?? "").includes("(исправлено)"));
    expect(corrected.message_id).toBe(both.message_id);
    expect(htmlToPlain(corrected.text ?? "").split("\n")[0]).toBe(LABEL);
    expect(corrected.text).toContain("Статья зет");

    await t.articles.markRetracted(z.seq, DateTime.utc().toISO() ?? "");
    expect((await revise(z.seq, "retract"))?.counts).toEqual({ deleted: 1 });
    const left = h.fake.lastMessageTo(6801);
    expect(left?.message_id).toBe(both.message_id);
    expect(left?.text).toContain("(исправлено)");
    expect(left?.text).toContain("Статья игрек");
    expect(left?.text).not.toContain("Статья зет");

    // y was 6802's digest's only article: that message goes; 6801's loses the line.
    await t.articles.markRetracted(y.seq, DateTime.utc().toISO() ?? "");
    expect((await revise(y.seq, "retract"))?.counts).toEqual({ deleted: 2 });
    expect(digestsTo(6802).map((m) => m.deleted)).toEqual([true]);
    expect(h.fake.lastMessageTo(6801)?.text).not.toContain("Статья игрек");
    expect(h.fake.lastMessageTo(6801)?.text).toContain("(исправлено)");
    // A retried retraction finds the line gone and counts nothing twice.
    expect(await ledger.inShards(y.seq, 0, 1024)).toEqual([]);
  }, 60_000);
});
