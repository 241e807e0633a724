import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { revisionJobId } from "../../jobs/queues.ts";
import { type RunningWorkers, startWorkers } from "../../jobs/workers.ts";
import { defaultReaderOptions } from "../../src/domain/reader-options.ts";
import type { RevisionKind } from "../../src/domain/revision.ts";
import { createLogger } from "../../src/logger.ts";
import { type Harness, startHarness } from "../support/bot-harness.ts";
import { articleInput, deliveryTools } from "../support/delivery-harness.ts";
import { eventually } from "../support/eventually.ts";
import type { RecordedCall } from "../support/fake-telegram.ts";

const ZONE = "Europe/Moscow";

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
  const editor = { chatId: 7999, userId: 7999, lang: "ru" as const };

  beforeAll(async () => {
    h = await startHarness("send-digest", { role: "bot" });
    t = deliveryTools(h);
    t.queues.revisions.on("error", () => undefined);
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
    const revision = await t.articles.startRevision(seq, kind, DateTime.utc().toISO() ?? "");
    await t.queues.revisions.add(kind, { seq, revision, editor }, { jobId: revisionJobId(seq, revision) });
    await eventually(
      async () => (await t.articles.revisionFigures(seq, revision))?.finishedAt !== undefined,
      15_000,
      `${kind} of ${seq} finished`,
    );
    return (await t.articles.revisionFigures(seq, revision))?.counts;
  };
  const callsTo = (chatId: number, method: string): RecordedCall[] =>
    h.fake.calls.filter((c) => c.method === method && Number(c.payload.chat_id) === chatId);
  const waitDigest = (chatId: number, contains: string) =>
    h.fake.waitForMessage(
      chatId,
      (m) => (m.text ?? "").includes("Дайджест") && (m.text ?? "").includes(contains),
      15_000,
    );

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
});
