import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseHtml } from "../../src/bench/fake-bot-api/html-entities.ts";
import type { RecordedCall } from "../../src/bench/fake-bot-api/http-server.ts";
import { revisionJobId } from "../../src/delivery/queues.ts";
import { newChat } from "../../src/domain/chat.ts";
import { CAPTION_LIMIT, DEFAULT_FOREIGN_AGENT_LABEL } from "../../src/domain/label.ts";
import { LEDGER_SHARDS } from "../../src/store/keys.ts";
import { type Harness, startHarness } from "../support/bot-harness.ts";
import { articleInput, deliveryTools } from "../support/delivery-harness.ts";
import { eventually } from "../support/eventually.ts";

const LABEL_LINE = `<b>${DEFAULT_FOREIGN_AGENT_LABEL}</b>`;
const EDITOR = 7_990_001;

let h: Harness;
let t: ReturnType<typeof deliveryTools>;

beforeAll(async () => {
  h = await startHarness("photo-alerts", { role: "worker", env: { SEND_RATE: "1000" } });
  t = deliveryTools(h);
});

afterAll(async () => {
  await t.queues.close();
  await h.stop();
});

/** Subscribes `count` private chats from `firstId` to `slug`, in bulk. */
async function manySubscribers(tools: typeof t, firstId: number, count: number, slug: string) {
  const ids = Array.from({ length: count }, (_, i) => firstId + i);
  await tools.chats.saveMany(ids.map((id) => newChat(id, "private", "ru", "Europe/Moscow")));
  for (let i = 0; i < ids.length; i += 1000)
    await tools.subscriptions.subscribeMany(ids.slice(i, i + 1000).map((chatId) => ({ chatId, slug })));
  return ids;
}

const callsTo = (method: string, ids: readonly number[]): RecordedCall[] => {
  const wanted = new Set(ids);
  return h.fake.calls.filter((c) => c.method === method && wanted.has(c.payload.chat_id as number));
};

/** Corrects an article as the newsroom's dialog does: the new text stored, then a walk of its ledger. */
async function correct(tools: typeof t, seq: number, change: { headline: string }) {
  const stored = await tools.articles.get(seq);
  if (!stored) throw new Error(`article ${seq} is gone`);
  await tools.articles.replace(seq, { ...stored, ...change });
  const revision = await tools.revisions.startRevision(seq, "correct", DateTime.utc().toISO() ?? "");
  await tools.queues.revisions.add(
    "correct",
    { seq, revision, editor: { chatId: EDITOR, userId: EDITOR, lang: "ru" } },
    { jobId: revisionJobId(seq, revision) },
  );
}

describe("alerts with a picture", () => {
  it("reaches 1,000 chats with one upload by URL and 999 sends by its file id, the caption labelled under the headline and within 1024", async () => {
    const ids = await manySubscribers(t, 7_100_000, 1000, "chechnya");
    const imageUrl = "https://www.kavkaz-uzel.eu/media/photo-1000.jpg";
    const teaser = "Подробности происшествия 😀 с эмодзи и длинным текстом. ".repeat(100);
    const { seq, stats } = await t.publishAndWait(
      articleInput({ regions: ["chechnya"], imageUrl, teaser, breaking: true, headline: "Взрыв в Грозном" }),
      60_000,
    );
    expect(stats).toMatchObject({ recipients: 1000, sent: 1000, done: 1000 });

    const photos = callsTo("sendPhoto", ids);
    expect(photos).toHaveLength(1000);
    expect(callsTo("sendMessage", ids)).toHaveLength(0);
    const byUrl = photos.filter((c) => c.payload.photo === imageUrl);
    expect(byUrl).toHaveLength(1);
    const { fileId } = await t.pictures.picture(seq);
    expect(fileId).toMatch(/^fake-file-/);
    expect(photos.filter((c) => c.payload.photo === fileId)).toHaveLength(999);
    expect(new Set(photos.map((c) => c.status))).toEqual(new Set([200]));

    for (const call of photos) {
      const caption = String(call.payload.caption);
      expect(caption.split("\n").slice(0, 2)).toEqual(["🔴 <b>Взрыв в Грозном</b>", LABEL_LINE]);
      expect(parseHtml(caption).text.length).toBeLessThanOrEqual(CAPTION_LIMIT);
    }
    const caption = String(photos[0]?.payload.caption);
    expect(caption).toMatch(/…\n<a href="https:\/\/www\.kavkaz-uzel\.eu\/articles\/\d+\/">Читать<\/a> · /);
    expect(parseHtml(caption).text.length).toBeGreaterThan(CAPTION_LIMIT - 20);

    // The ledger knows these are photos, so a correction edits their captions.
    const delivered = await t.deliveries.deliveredInShards(seq, 0, LEDGER_SHARDS);
    expect(delivered).toHaveLength(1000);
    expect(delivered.every((m) => m.photo)).toBe(true);
  }, 90_000);

  it("falls back to the text alert for every chat when Telegram refuses the picture, trying the picture once", async () => {
    const ids = await manySubscribers(t, 7_200_000, 300, "dagestan");
    const imageUrl = "https://www.kavkaz-uzel.eu/media/not-a-picture.html";
    h.fake.refusePhotoUrl(imageUrl, "wrong type of the web page content");
    const input = articleInput({ regions: ["dagestan"], imageUrl });
    const { seq, stats } = await t.publishAndWait(input, 30_000);

    const photos = callsTo("sendPhoto", ids);
    expect(photos.map((c) => c.status)).toEqual([400]);
    expect(photos[0]?.payload.photo).toBe(imageUrl);
    const texts = callsTo("sendMessage", ids);
    expect(texts).toHaveLength(300);
    expect(new Set(texts.map((c) => c.payload.chat_id))).toEqual(new Set(ids));
    expect(stats).toMatchObject({ recipients: 300, sent: 300, failed: {} });
    expect(await t.pictures.picture(seq)).toMatchObject({ failed: true });
    // The chat whose photo was refused got the text alert like the others.
    expect(h.fake.messagesTo(photos[0]?.payload.chat_id as number).map((m) => m.method)).toEqual([
      "sendMessage",
    ]);
    expect(texts[0]?.payload.text).toContain(`\n${LABEL_LINE}\n`);
    expect(texts[0]?.payload.link_preview_options).toEqual({ url: input.url });
  }, 60_000);

  it("corrects a photo alert by editing its caption, the label in place under the new headline", async () => {
    const ids = await manySubscribers(t, 7_300_000, 3, "ingushetia");
    const { seq } = await t.publishAndWait(
      articleInput({ regions: ["ingushetia"], imageUrl: "https://www.kavkaz-uzel.eu/media/correct.jpg" }),
    );
    await correct(t, seq, { headline: "Исправленный заголовок" });
    await h.fake.waitFor(() => callsTo("editMessageCaption", ids).length === 3 || undefined, 15_000);

    expect(callsTo("editMessageText", ids)).toHaveLength(0);
    for (const id of ids) {
      const [alert] = h.fake.messagesTo(id);
      expect(alert).toMatchObject({ method: "sendPhoto", edits: 1 });
      expect(alert?.caption?.split("\n").slice(0, 2)).toEqual(["<b>Исправленный заголовок</b>", LABEL_LINE]);
      expect(parseHtml(alert?.caption ?? "").text.length).toBeLessThanOrEqual(CAPTION_LIMIT);
    }
    await eventually(
      async () => (await t.revisions.revisionFigures(seq, 1))?.finishedAt !== undefined,
      10_000,
      "correction finished",
    );
    expect((await t.revisions.revisionFigures(seq, 1))?.counts).toEqual({ edited: 3 });
  }, 30_000);
});

describe("link previews of text alerts", () => {
  it("shows the article's preview under the text, never above it", async () => {
    const [id] = await manySubscribers(t, 7_400_000, 1, "adygea");
    const input = articleInput({ regions: ["adygea"] });
    await t.publishAndWait(input);
    const [call] = callsTo("sendMessage", [id as number]);
    expect(call?.payload.link_preview_options).toEqual({ url: input.url });
  });

  it("sends none with LINK_PREVIEWS=false, also when a correction edits the text", async () => {
    const off = await startHarness("photo-alerts-no-preview", {
      role: "worker",
      env: { SEND_RATE: "1000", LINK_PREVIEWS: "false" },
    });
    const tools = deliveryTools(off);
    try {
      const [id] = await manySubscribers(tools, 7_500_000, 1, "adygea");
      const { seq } = await tools.publishAndWait(articleInput({ regions: ["adygea"] }));
      const sends = () => off.fake.calls.filter((c) => c.payload.chat_id === id);
      expect(sends().map((c) => [c.method, c.payload.link_preview_options])).toEqual([
        ["sendMessage", { is_disabled: true }],
      ]);
      await correct(tools, seq, { headline: "Corrected" });
      const edit = await off.fake.waitFor(() => sends().find((c) => c.method === "editMessageText"), 10_000);
      expect(edit.payload.link_preview_options).toEqual({ is_disabled: true });
    } finally {
      await tools.queues.close();
      await off.stop();
    }
  }, 30_000);
});
