import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT_USER, type FakeChat, makeGroup, makeUser } from "../../src/bench/fake-bot-api/chat-state.ts";
import { parseHtml } from "../../src/bench/fake-bot-api/html-entities.ts";
import type { SentMessage } from "../../src/bench/fake-bot-api/message-store.ts";
import { DEFAULT_FOREIGN_AGENT_LABEL, TEXT_LIMIT } from "../../src/domain/label.ts";
import { scanKeys } from "../../src/store/redis.ts";
import { newsroomData } from "../../src/telegram/status-card.ts";
import { type Harness, startHarness } from "../support/bot-harness.ts";
import { articleInput, deliveryTools } from "../support/delivery-harness.ts";
import { eventually } from "../support/eventually.ts";
import { driver } from "../support/newsroom-driver.ts";

const LABEL_LINE = `<b>${DEFAULT_FOREIGN_AGENT_LABEL}</b>`;
const ADMIN = 8_690_001;

let h: Harness;
let t: ReturnType<typeof deliveryTools>;

beforeAll(async () => {
  h = await startHarness("reading", { role: "all", env: { SEND_RATE: "1000", ADMIN_IDS: String(ADMIN) } });
  t = deliveryTools(h);
});

afterAll(async () => {
  await t.queues.close();
  await h.stop();
});

/** A body of about `length` characters of HTML: paragraphs of sentences with bold and links. */
function body(length: number): string {
  let html = "";
  for (let n = 1; html.length < length; n++) {
    html +=
      `<p>Абзац ${n}. Жители <b>сообщили о задержаниях</b> в районе. ` +
      `Подробнее <a href="https://www.kavkaz-uzel.eu/articles/${n}/">в материале</a>. ` +
      "Правозащитники потребовали объяснений от властей. ".repeat(4) +
      "</p>";
  }
  return html;
}

const readButtonOf = (m: SentMessage) => m.reply_markup?.inline_keyboard?.[0]?.[0];

/** The parts of a reading that came to `chatId` after `from`, once its last part (with the link) came. */
async function readingParts(chatId: number, from: number): Promise<SentMessage[]> {
  return h.fake.waitFor(() => {
    const parts = h.fake
      .messagesTo(chatId)
      .slice(from)
      .filter((m) => m.method === "sendMessage" && m.text?.includes(LABEL_LINE));
    return parts.at(-1)?.text?.includes("Читать на сайте") ? parts : undefined;
  }, 30_000);
}

function expectValidParts(parts: readonly SentMessage[], headline: string) {
  for (const [i, part] of parts.entries()) {
    const text = part.text ?? "";
    expect(parseHtml(text).text.length).toBeLessThanOrEqual(TEXT_LIMIT);
    if (i === 0) expect(text.split("\n").slice(0, 2)).toEqual([`<b>${headline}</b>`, LABEL_LINE]);
    else expect(text.startsWith(`${LABEL_LINE}\n`)).toBe(true);
  }
}

describe("Read here: the whole article inside Telegram", () => {
  it("gives an alert with a 30,000-character text the button, and a tap the text in order, each part labelled and within 4096, the last with the link", async () => {
    const reader = makeUser(8_600_001, { language_code: "ru" });
    await t.subscriber(reader.id, ["chechnya"]);
    const { seq } = await t.publishAndWait(
      articleInput({ headline: "Задержания в Грозном", regions: ["chechnya"], body: body(30_000) }),
    );
    const [alert] = h.fake.messagesTo(reader.id);
    if (!alert) throw new Error("no alert");
    expect(readButtonOf(alert)).toEqual({ text: "📖 Читать здесь", callback_data: `read:${seq}` });

    const before = h.fake.messagesTo(reader.id).length;
    h.fake.tapButton(reader, alert, `read:${seq}`);
    // A second tap while the parts go out starts nothing again.
    await h.fake.waitFor(() => h.fake.messagesTo(reader.id).length > before || undefined, 10_000);
    const busyAnswers = h.fake.calls.filter((c) => c.method === "answerCallbackQuery").length;
    h.fake.tapButton(reader, alert, `read:${seq}`);
    const parts = await readingParts(reader.id, before);
    expect(parts.length).toBeGreaterThanOrEqual(6);
    expectValidParts(parts, "Задержания в Грозном");
    expect(parts.at(-1)?.text).toMatch(
      /<a href="https:\/\/www\.kavkaz-uzel\.eu\/articles\/\d+\/">Читать на сайте<\/a> · 27 нояб\. 2026 г\., 13:00$/,
    );
    expect(parts.map((p) => p.text).join("\n")).toContain("Абзац 1.");
    const answers = h.fake.calls.filter((c) => c.method === "answerCallbackQuery").slice(busyAnswers);
    expect(answers.map((a) => a.payload.text)).toContain("Текст уже идёт.");
    await eventually(async () => (await t.articles.stats(seq)).reads === 1, 5000, "one reading counted");
    // Nothing more came: the second tap sent no part again.
    expect(h.fake.messagesTo(reader.id).slice(before)).toHaveLength(parts.length);
  }, 60_000);

  it("sends the lead picture first, by the file id the alerts uploaded, captioned with the headline and the label", async () => {
    const reader = makeUser(8_600_041, { language_code: "ru" });
    await t.subscriber(reader.id, ["north-ossetia"]);
    const imageUrl = "https://www.kavkaz-uzel.eu/media/reading-lead.jpg";
    const { seq } = await t.publishAndWait(
      articleInput({
        headline: "Паводок во Владикавказе",
        regions: ["north-ossetia"],
        imageUrl,
        body: `<p>Текст.</p><img src="${imageUrl}"><img src="/media/second.jpg" alt="Второе фото">`,
      }),
    );
    const [alert] = h.fake.messagesTo(reader.id);
    expect(alert?.method).toBe("sendPhoto");
    expect(readButtonOf(alert as SentMessage)).toEqual({
      text: "📖 Читать здесь",
      callback_data: `read:${seq}`,
    });
    const { fileId } = await t.pictures.picture(seq);
    const photosBefore = h.fake.calls.filter(
      (c) => c.method === "sendPhoto" && c.payload.chat_id === reader.id,
    );
    h.fake.tapButton(reader, alert as SentMessage, `read:${seq}`);
    const [photo, text] = await h.fake.waitFor(() => {
      const got = h.fake.messagesTo(reader.id).slice(1);
      return got.length >= 2 ? got : undefined;
    }, 10_000);
    expect(photo?.method).toBe("sendPhoto");
    expect(photo?.caption).toBe(`<b>Паводок во Владикавказе</b>\n${LABEL_LINE}`);
    const photos = h.fake.calls.filter((c) => c.method === "sendPhoto" && c.payload.chat_id === reader.id);
    expect(photos.slice(photosBefore.length).map((c) => c.payload.photo)).toEqual([fileId]);
    // The lead picture is not linked again in the text; the other one is.
    expect(text?.text).not.toContain("reading-lead.jpg");
    expect(text?.text).toContain('<a href="https://www.kavkaz-uzel.eu/media/second.jpg">🖼 Второе фото</a>');
  }, 30_000);

  it("gives the alerts of a group and a channel a read-<id> link to the private chat, where /start read-<id> gives the text to anyone", async () => {
    const group: FakeChat = makeGroup(-1_008_600_100, { title: "Новости Кавказа" });
    const channel: FakeChat = { id: -1_008_600_200, type: "channel", title: "Канал" };
    h.fake.addChat(group);
    h.fake.addChat(channel);
    await t.subscriber(group.id, ["dagestan"]);
    await t.subscriber(channel.id, ["dagestan"], { kind: "channel" });
    const { seq } = await t.publishAndWait(
      articleInput({ headline: "Суд в Махачкале", regions: ["dagestan"], body: body(3000) }),
    );
    for (const chat of [group, channel]) {
      const [alert] = h.fake.messagesTo(chat.id);
      expect(readButtonOf(alert as SentMessage)).toEqual({
        text: "📖 Читать здесь",
        url: `https://t.me/${BOT_USER.username}?start=read-${seq}`,
      });
    }
    // Someone who follows nothing opens the link.
    const stranger = makeUser(8_600_002, { language_code: "en" });
    const d = driver(h, stranger);
    await d.say(`/start read-${seq}`);
    const parts = await h.fake.waitFor(() => {
      const got = h.fake.messagesTo(stranger.id);
      return got.at(-1)?.text?.includes("Read on the site") ? got : undefined;
    }, 15_000);
    expectValidParts(parts, "Суд в Махачкале");
    expect(await t.chats.get(stranger.id)).toBeUndefined();
  }, 30_000);

  it("keeps a count of readings per article and nothing about who read", async () => {
    const readers = [8_600_011, 8_600_012, 8_600_013].map((id) => makeUser(id));
    const { seq } = await t.publishAndWait(articleInput({ regions: ["ingushetia"], body: body(500) }));
    for (const reader of readers) {
      const d = driver(h, reader);
      await d.say(`/start read-${seq}`);
    }
    await eventually(async () => (await t.articles.stats(seq)).reads === 3, 10_000, "three readings counted");
    const keys: string[] = [];
    // The rate limiter's pacing of a chat (its next free second) lapses within seconds of the last part.
    await eventually(
      async () => {
        keys.length = 0;
        for await (const batch of scanKeys(h.redis, `${h.config.redisPrefix}:*`)) keys.push(...batch);
        return readers.every((r) => !keys.some((k) => k.includes(String(r.id))));
      },
      15_000,
      "no key names a reader",
    );
    for (const reader of readers) {
      for (const key of keys.filter((k) => !k.includes(":bull:"))) {
        const type = await h.redis.type(key);
        const dump =
          type === "string"
            ? ((await h.redis.getBuffer(key))?.toString("latin1") ?? "")
            : type === "hash"
              ? JSON.stringify(await h.redis.hgetall(key))
              : type === "set"
                ? (await h.redis.smembers(key)).join(",")
                : type === "zset"
                  ? (await h.redis.zrange(key, "0", "-1")).join(",")
                  : "";
        expect(dump.includes(String(reader.id)), `${key} mentions a reader`).toBe(false);
      }
    }
  }, 30_000);

  it("answers /start read-<id> plainly: the link for a text past its days, withdrawn for a retracted article, unknown for no article", async () => {
    const reader = makeUser(8_600_021, { language_code: "ru" });
    const d = driver(h, reader);
    const { seq: expired } = await t.publishAndWait(articleInput({ regions: ["adygea"], body: body(500) }));
    await t.texts.remove(expired);
    const url = (await t.articles.get(expired))?.url;
    const plain = await d.say(`/start read-${expired}`);
    expect(plain.text).toContain(
      `Полный текст этого материала здесь больше не хранится. Он на сайте: ${url}`,
    );

    const { seq: retracted } = await t.publishAndWait(
      // Retraction is for the 48 h Telegram lets a bot delete messages.
      articleInput({
        id: `retract-${process.pid}`,
        regions: ["adygea"],
        body: body(500),
        publishedAt: new Date().toISOString(),
      }),
    );
    const admin = driver(h, makeUser(ADMIN, { language_code: "ru" }));
    const ask = await admin.sayAndExpect(`/retract retract-${process.pid}`, "Удалить");
    await admin.tapData(ask, newsroomData("retract-yes", retracted));
    await eventually(
      async () => (await t.articles.stats(retracted)).retractedAt !== undefined,
      5000,
      "retracted",
    );
    const withdrawn = await d.say(`/start read-${retracted}`);
    expect(withdrawn.text).toContain("Редакция отозвала этот материал");
    expect(await t.texts.get(retracted)).toBeUndefined();

    const unknown = await d.say("/start read-999999999");
    expect(unknown.text).toContain("Такого материала нет");
  }, 30_000);

  it("keeps an article whose hostile body is cleaned, and refuses a body of a megabyte naming body", async () => {
    const hostile =
      '<p onclick="steal()">Текст<script>alert(1)</script><style>p{}</style> <a href="javascript:alert(1)">js</a> <a href="data:text/html,x">data</a> <b>незакрытый' +
      "<iframe src='https://evil.example/'></iframe>";
    const { seq } = await t.publishAndWait(articleInput({ regions: ["adygea"], body: hostile }));
    const text = await t.texts.get(seq);
    expect(text).toBe("Текст js data <b>незакрытый</b>");
    const refused = await t.publish(articleInput({ regions: ["adygea"], body: "x".repeat(1_000_000) }));
    expect(refused).toEqual({
      status: "invalid",
      errors: [{ field: "body", message: "must be at most 200000 characters" }],
    });
    const notText = await t.publish(articleInput({ regions: ["adygea"], body: 42 as unknown as string }));
    expect(notText).toMatchObject({ status: "invalid", errors: [{ field: "body" }] });
    // A body that leaves nothing to read: the article goes out without the button.
    const reader = makeUser(8_600_031);
    await t.subscriber(reader.id, ["kabardino-balkaria"]);
    await t.publishAndWait(articleInput({ regions: ["kabardino-balkaria"], body: "<script>x</script>" }));
    const [alert] = h.fake.messagesTo(reader.id);
    expect(alert?.reply_markup).toBeUndefined();
  }, 30_000);
});
