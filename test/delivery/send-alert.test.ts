import { Api, GrammyError } from "grammy";
import type { PhotoSize } from "grammy/types";
import { Redis } from "ioredis";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBotApi } from "../../src/bench/fake-bot-api/fake-bot-api.ts";
import { type AlertForm, TEXT_ALERT } from "../../src/delivery/alert-picture.ts";
import { type AlertSenderDeps, alertSender } from "../../src/delivery/send-alert.ts";
import type { Article } from "../../src/domain/article.ts";
import { newChat } from "../../src/domain/chat.ts";
import { DEFAULT_FOREIGN_AGENT_LABEL } from "../../src/domain/label.ts";
import { createLogger } from "../../src/logger.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { PictureStore } from "../../src/store/picture-store.ts";
import { SendingStopped } from "../../src/store/rate-limiter.ts";
import { installLabel } from "../../src/telegram/label-transformer.ts";
import { TEST_TOKEN } from "../support/bot-harness.ts";
import { recordForAudit } from "../support/label-audit.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "../support/redis.ts";

let fake: FakeBotApi;
let redis: Redis;
let prefix: string;
let pictures: PictureStore;
let api: Api;
/** What Telegram answered to every sendPhoto, in order. */
const photoAnswers: { photo: PhotoSize[] }[] = [];
const logLines: string[] = [];
let nextSeq = 1;

beforeAll(async () => {
  fake = await FakeBotApi.start();
  redis = new Redis(SHARED_REDIS_URL);
  prefix = testPrefix("send-alert");
  pictures = new PictureStore(redis, redisKeys(prefix));
  api = new Api(TEST_TOKEN, { apiRoot: fake.apiRoot });
  api.config.use(async (prev, method, payload, signal) => {
    const answer = await prev(method, payload, signal);
    if (method === "sendPhoto" && answer.ok) photoAnswers.push(answer.result as { photo: PhotoSize[] });
    return answer;
  });
  installLabel(api, DEFAULT_FOREIGN_AGENT_LABEL);
});

afterAll(async () => {
  recordForAudit("send-alert", fake.calls);
  await fake.stop();
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

/** One worker process's sender; several of them share Redis as workers on several machines do. */
function worker(overrides: Partial<AlertSenderDeps> = {}) {
  return alertSender({
    api,
    pictures,
    paidBroadcast: false,
    linkPreviews: true,
    uploadClaimMs: 5000,
    logger: createLogger("warn", [], { write: (line: string) => void logLines.push(line) }),
    now: () => DateTime.utc(),
    ...overrides,
  });
}

function photoArticle(imageUrl: string): { seq: number; article: Article } {
  const seq = 1_000_000 + nextSeq++;
  return {
    seq,
    article: {
      id: `send-alert-${seq}`,
      url: `https://www.kavkaz-uzel.eu/articles/${seq}/`,
      headline: "Заголовок",
      teaser: "Анонс.",
      topics: [],
      regions: ["chechnya"],
      lang: "ru",
      publishedAt: "2026-11-27T10:00:00Z",
      breaking: false,
      imageUrl,
    },
  };
}

const texts = {
  text: () => `<b>Заголовок</b>\n<b>${DEFAULT_FOREIGN_AGENT_LABEL}</b>\nАнонс.`,
  caption: () => `<b>Заголовок</b>\n<b>${DEFAULT_FOREIGN_AGENT_LABEL}</b>\nАнонс.`,
};

/** Runs one send the way delivery does: the form, the send, and what follows a failure. */
async function sendOne(sender: ReturnType<typeof worker>, seq: number, article: Article, chatId: number) {
  let textOnly = false;
  for (;;) {
    const form: AlertForm = textOnly ? TEXT_ALERT : await sender.form(seq, article);
    try {
      return await sender.send(seq, newChat(chatId, "private", "ru", "Europe/Moscow"), article, form, texts);
    } catch (error) {
      const asText = await sender.afterFailure(seq, form, error);
      if (!asText) throw error;
      textOnly ||= asText === "chat";
    } finally {
      await sender.release(seq, form);
    }
  }
}

const photoSends = (chatIds: readonly number[]) =>
  fake.calls.filter((c) => c.method === "sendPhoto" && chatIds.includes(c.payload.chat_id as number));

describe("sending an article's picture from several workers", () => {
  it("uploads once by URL while the others wait, then every send reuses the largest size's file id", async () => {
    const { seq, article } = photoArticle("https://www.kavkaz-uzel.eu/media/two-workers.jpg");
    const [a, b] = [worker(), worker()];
    const chats = Array.from({ length: 40 }, (_, i) => 610_000 + i);
    const answered = photoAnswers.length;
    const sent = await Promise.all(chats.map((id, i) => sendOne(i % 2 ? a : b, seq, article, id)));

    expect(sent.every((s) => s.photo)).toBe(true);
    const calls = photoSends(chats);
    expect(calls.filter((c) => c.payload.photo === article.imageUrl)).toHaveLength(1);
    const first = photoAnswers[answered]?.photo ?? [];
    const largest = [...first].sort((x, y) => y.width * y.height - x.width * x.height)[0];
    expect(largest?.width).toBe(1280);
    expect(calls.filter((c) => c.payload.photo === largest?.file_id)).toHaveLength(chats.length - 1);
    expect(await pictures.picture(seq)).toEqual({
      fileId: largest?.file_id,
      failed: false,
      uploading: false,
    });
  });

  it("lets another worker upload once a crashed uploader's claim lapses", async () => {
    const { seq, article } = photoArticle("https://www.kavkaz-uzel.eu/media/crashed.jpg");
    // This worker claims the upload and dies before sending.
    const crashed = await worker({ uploadClaimMs: 300 }).form(seq, article);
    expect(crashed).toMatchObject({ kind: "photo", photo: article.imageUrl });
    const started = performance.now();
    const sent = await sendOne(worker(), seq, article, 620_001);
    expect(sent.photo).toBe(true);
    expect(performance.now() - started).toBeGreaterThanOrEqual(250);
    expect(photoSends([620_001]).map((c) => c.payload.photo)).toEqual([article.imageUrl]);
  });

  it("stops waiting for another worker's upload when the process stops", async () => {
    const { seq, article } = photoArticle("https://www.kavkaz-uzel.eu/media/stopping.jpg");
    await worker().form(seq, article);
    let stopping = false;
    const waiting = worker({ stopping: () => stopping }).form(seq, article);
    stopping = true;
    await expect(waiting).rejects.toBeInstanceOf(SendingStopped);
  });
});

describe("a picture Telegram refuses", () => {
  it("sends every chat the text alert instead, and logs the refusal once with Telegram's description", async () => {
    const { seq, article } = photoArticle("https://www.kavkaz-uzel.eu/media/too-big.jpg");
    fake.refusePhotoUrl(article.imageUrl ?? "", "file is too big");
    const [a, b] = [worker(), worker()];
    const chats = Array.from({ length: 20 }, (_, i) => 630_000 + i);
    const logged = logLines.length;
    const sent = await Promise.all(chats.map((id, i) => sendOne(i % 2 ? a : b, seq, article, id)));

    expect(sent.every((s) => !s.photo)).toBe(true);
    expect(photoSends(chats).map((c) => c.status)).toEqual([400]);
    expect(chats.every((id) => fake.messagesTo(id).length === 1)).toBe(true);
    // A second worker that saw a refusal of its own (as when two uploads raced) logs nothing more.
    const refusal = new GrammyError(
      "Call to 'sendPhoto' failed!",
      { ok: false, error_code: 400, description: "Bad Request: file is too big" },
      "sendPhoto",
      {},
    );
    expect(await b.afterFailure(seq, { kind: "photo", photo: "x", imageUrl: "x" }, refusal)).toBe("text");
    const refusals = logLines.slice(logged).map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(refusals).toHaveLength(1);
    expect(refusals[0]).toMatchObject({
      seq,
      imageUrl: article.imageUrl,
      description: "Bad Request: file is too big",
      msg: "Telegram refused the article's picture: its alerts go out as text",
    });
  });

  it("sends a chat that takes no pictures the text alert, and keeps the picture for the others", async () => {
    const { seq, article } = photoArticle("https://www.kavkaz-uzel.eu/media/no-media-group.jpg");
    const sender = worker();
    fake.inject({
      method: "sendPhoto",
      chatId: -640_001,
      error: { code: 400, description: "Bad Request: not enough rights to send photos to the chat" },
    });
    const group = await sendOne(sender, seq, article, -640_001);
    const reader = await sendOne(sender, seq, article, 640_002);
    expect([group.photo, reader.photo]).toEqual([false, true]);
    expect(fake.messagesTo(-640_001).map((m) => m.method)).toEqual(["sendMessage"]);
    expect((await pictures.picture(seq)).failed).toBe(false);
  });
});

describe("an alert in a reader's quiet hours", () => {
  it("goes without a sound as a photo and as text, and with one otherwise", async () => {
    const { seq, article } = photoArticle("https://www.kavkaz-uzel.eu/media/quiet-hours.jpg");
    const sender = worker();
    const chat = (id: number) => newChat(id, "private", "ru", "Europe/Moscow");
    const photo = await sender.form(seq, article);
    await sender.send(seq, chat(650_001), article, photo, texts, { silent: true });
    await sender.release(seq, photo);
    await sender.send(seq, chat(650_002), { ...article, imageUrl: undefined }, TEXT_ALERT, texts, {
      silent: true,
    });
    await sender.send(seq, chat(650_003), { ...article, imageUrl: undefined }, TEXT_ALERT, texts);
    const sent = (id: number) => fake.calls.filter((c) => c.payload.chat_id === id);
    expect(sent(650_001).map((c) => [c.method, c.payload.disable_notification])).toEqual([
      ["sendPhoto", true],
    ]);
    expect(sent(650_002).map((c) => [c.method, c.payload.disable_notification])).toEqual([
      ["sendMessage", true],
    ]);
    expect(sent(650_003).map((c) => [c.method, c.payload.disable_notification])).toEqual([
      ["sendMessage", undefined],
    ]);
  });
});
