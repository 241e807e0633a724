import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser } from "../../src/bench/fake-bot-api/chat-state.ts";
import type { SentMessage } from "../../src/bench/fake-bot-api/message-store.ts";
import { newChat } from "../../src/domain/chat.ts";
import { DEFAULT_FOREIGN_AGENT_LABEL } from "../../src/domain/label.ts";
import { type Harness, startHarness } from "../support/bot-harness.ts";
import { deliveryTools } from "../support/delivery-harness.ts";
import { eventually } from "../support/eventually.ts";
import { buttonsOf, dataOf, driver } from "../support/newsroom-driver.ts";

const ADMIN = makeUser(9100, { language_code: "ru", first_name: "Admin" });
const EDITOR = makeUser(9101, { language_code: "ru", first_name: "Editor" });
const STRANGER = makeUser(9102, { language_code: "ru", first_name: "Stranger" });
const UNKNOWN_COMMAND = "Я не знаю такой команды";

let h: Harness;
let t: ReturnType<typeof deliveryTools>;

beforeAll(async () => {
  h = await startHarness("newsroom", {
    role: "all",
    env: { ADMIN_IDS: String(ADMIN.id), SEND_RATE: "1000", PAID_BROADCAST: "true" },
  });
  t = deliveryTools(h);
  const { StaffStore } = await import("../../src/store/staff-store.ts");
  const { redisKeys } = await import("../../src/store/keys.ts");
  await new StaffStore(h.redis, redisKeys(h.config.redisPrefix), []).addEditor({
    userId: EDITOR.id,
    name: "Editor",
  });
});

afterAll(async () => {
  await t.queues.close();
  await h.stop();
});

type Driver = ReturnType<typeof driver>;

/** Picks regions by name on the step-4 keyboard, turning pages as a person would. */
async function chooseRegions(d: Driver, names: string[]): Promise<SentMessage> {
  const picker = await d.expectMessage("Шаг 4 из 4");
  for (const name of names) {
    for (let turn = 0; ; turn++) {
      const now = d.current(picker);
      const button = buttonsOf(now).find((b) => b.text === name);
      if (button?.callback_data) {
        await d.tapData(now, button.callback_data);
        await h.fake.waitFor(() => buttonsOf(d.current(picker)).some((b) => b.text === `✅ ${name}`));
        break;
      }
      if (turn > 3) throw new Error(`no region ${name}`);
      const page = buttonsOf(now).find((b) => b.text.includes("/"))?.text;
      await d.tapData(now, dataOf(now, "▶"));
      await h.fake.waitFor(
        () => buttonsOf(d.current(picker)).find((b) => b.text.includes("/"))?.text !== page,
      );
    }
  }
  return picker;
}

/** Runs /breaking to the preview; returns the preview's two messages. */
async function draftToPreview(d: Driver, headline: string, regions: string[]) {
  const before = d.messages().length;
  await d.sayAndExpect("/breaking", "Шаг 1 из 4");
  await d.sayAndExpect(headline, "Шаг 2 из 4");
  await d.sayAndExpect("Лид срочной новости.", "Шаг 3 из 4");
  await d.sayAndExpect("https://www.kavkaz-uzel.eu/articles/1/", "Шаг 4 из 4");
  const picker = await chooseRegions(d, regions);
  await d.tapData(d.current(picker), "brk:done");
  const control = await d.expectMessage("Так увидят");
  const alert = d
    .messages()
    .slice(before)
    .find((m) => m.text?.startsWith(`🔴 <b>${headline}`));
  if (!alert) throw new Error("no preview of the alert");
  return { alert, control };
}

/** Sends a breaking alert to `regions` as `user`; returns the status message and the article id. */
async function pushBreaking(user: typeof EDITOR, headline: string, regions: string[]) {
  const d = driver(h, user);
  const { control } = await draftToPreview(d, headline, regions);
  await d.tapData(control, "brk:send");
  const card = await d.expectMessage(`«${headline}» — id`);
  const id = /id <code>([^<]+)<\/code>/.exec(card.text ?? "")?.[1];
  if (!id) throw new Error(`no id in ${card.text}`);
  const seq = await t.articles.seqOf(id);
  if (seq === undefined) throw new Error(`article ${id} not recorded`);
  return { d, card, id, seq };
}

/** Subscribes `count` private chats from `firstId` to `slug`, in bulk. */
async function manySubscribers(firstId: number, count: number, slug: string): Promise<number[]> {
  const ids = Array.from({ length: count }, (_, i) => firstId + i);
  await t.chats.saveMany(ids.map((id) => newChat(id, "private", "ru", "Europe/Moscow")));
  for (let i = 0; i < ids.length; i += 1000)
    await t.subscriptions.subscribeMany(ids.slice(i, i + 1000).map((chatId) => ({ chatId, slug })));
  return ids;
}

const alertsOf = (seqHeadline: string, chatId: number) =>
  h.fake.messagesTo(chatId).filter((m) => m.text?.includes(seqHeadline));

describe("the newsroom: /breaking", () => {
  it("takes an editor from /breaking to subscribers of two regions, previewing the alert exactly as they get it", async () => {
    await t.subscriber(9201, ["chechnya"]);
    await t.subscriber(9202, ["dagestan"]);
    await t.subscriber(9203, ["chechnya", "dagestan"]);
    await t.subscriber(9204, ["chechnya"], { lang: "en", editions: "en" });
    await t.subscriber(9205, ["ingushetia"]);
    const d = driver(h, EDITOR);
    const { alert, control } = await draftToPreview(d, "Взрыв в Грозном", ["Чечня", "Дагестан"]);
    expect(control.text).toContain("Так увидят 3 чата (Чечня, Дагестан)");
    expect(buttonsOf(control).map((b) => b.text)).toEqual([
      "🔴 Отправить",
      "🕒 Запланировать",
      "✏️ Изменить",
      "Отмена",
    ]);
    await d.tapData(control, "brk:send");
    const card = await d.expectMessage("«Взрыв в Грозном» — id");
    expect(card.text?.startsWith(`<b>${DEFAULT_FOREIGN_AGENT_LABEL}</b>`)).toBe(true);
    expect(buttonsOf(card).map((b) => b.text)).toEqual(["⏹ Остановить", "✏️ Исправить", "🗑 Отозвать"]);
    for (const chatId of [9201, 9202, 9203]) {
      await h.fake.waitFor(() => alertsOf("Взрыв в Грозном", chatId).length > 0);
    }
    const got = alertsOf("Взрыв в Грозном", 9203);
    expect(got).toHaveLength(1);
    // The preview is the subscriber's alert: same headline, label, teaser and link (the minute may differ).
    const withoutTime = (text = "") => text.replace(/ · [^·]*$/, "");
    expect(withoutTime(got[0]?.text)).toBe(withoutTime(alert.text));
    const previewOptions = (chatId: number) =>
      h.fake.calls.find(
        (c) =>
          c.method === "sendMessage" &&
          c.payload.chat_id === chatId &&
          String(c.payload.text).startsWith("🔴 <b>Взрыв в Грозном"),
      )?.payload.link_preview_options;
    expect(previewOptions(EDITOR.id)).toEqual(previewOptions(9203));
    expect(previewOptions(9203)).toBeDefined();
    expect(alertsOf("Взрыв в Грозном", 9204)).toHaveLength(0);
    expect(alertsOf("Взрыв в Грозном", 9205)).toHaveLength(0);
    const final = await d.expectEdited(card, /Доставлено 3, не доставлено 0/);
    expect(buttonsOf(final).map((b) => b.text)).toEqual(["✏️ Исправить", "🗑 Отозвать"]);
    const audit = await h.redis.xrange(`${h.config.redisPrefix}:audit`, "-", "+");
    expect(JSON.stringify(audit)).toContain("Взрыв в Грозном");
  });

  it("refuses a bad answer at each step with the reason, asks again, and publishes nothing on Cancel", async () => {
    const d = driver(h, EDITOR);
    await d.sayAndExpect("/breaking", "Шаг 1 из 4");
    await d.sayAndExpect("З".repeat(301), "длиннее 300 знаков: в нём 301 знак");
    await d.sayAndExpect("   ", "Заголовок пуст");
    await d.sayAndExpect("Заголовок", "Шаг 2 из 4");
    await d.sayAndExpect("-", "Шаг 3 из 4");
    await d.sayAndExpect("javascript:alert(1)", "только ссылку http(s)");
    await d.sayAndExpect("ftp://example.org/x", "начинается с «ftp:»");
    await d.sayAndExpect("не ссылка", "Это не похоже на адрес статьи");
    await d.sayAndExpect("https://user:pw@example.org/", "имя пользователя или пароль");
    const picker = await d.sayAndExpect("www.kavkaz-uzel.eu/articles/2/", "Шаг 4 из 4");
    expect(picker.text).toContain("Пока ничего не выбрано");
    expect(picker.text).not.toContain("0 чатов");
    const refusal = await d.tapData(picker, "brk:done");
    expect(refusal.payload.text).toBe("Выберите хотя бы одну тему или регион");
    await chooseRegions(d, ["Абхазия"]);
    await d.tapData(d.current(picker), "brk:done");
    const control = await d.expectMessage("Так увидят 0 чатов (Абхазия)");
    await d.tapData(control, "brk:cancel");
    await d.expectMessage("Черновик удалён");
    const since = Date.now() - 60_000;
    const seqs = await t.articles.recent(since, 100);
    const headlines = await Promise.all(seqs.map(async (s) => (await t.articles.get(s))?.headline));
    expect(headlines).not.toContain("Заголовок");
  });

  it("says «about» a rounded count at step 4 and in the preview when the audience is too big to count at each tap", async () => {
    const { ChatStore } = await import("../../src/store/chat-store.ts");
    const { SubscriptionStore } = await import("../../src/store/subscription-store.ts");
    const { redisKeys } = await import("../../src/store/keys.ts");
    const keys = redisKeys(h.config.redisPrefix);
    const chats = new ChatStore(h.redis, keys);
    const subs = new SubscriptionStore(h.redis, keys);
    // 30,000 readers of Калмыкия in Russian: more than one count reads (about 20,000).
    const ids = Array.from({ length: 30_000 }, (_, i) => 60_000_000 + i);
    for (let i = 0; i < ids.length; i += 5000) {
      const batch = ids.slice(i, i + 5000);
      await chats.saveMany(batch.map((id) => newChat(id, "private", "ru", "Europe/Moscow")));
      await subs.subscribeMany(batch.map((chatId) => ({ chatId, slug: "kalmykia" })));
    }
    try {
      const d = driver(h, EDITOR);
      const about = (text: string | undefined) => {
        const match = /около ([\d\s\u00a0\u202f]+) чатов/.exec(text ?? "");
        return match ? Number((match[1] ?? "").replace(/\D/g, "")) : undefined;
      };
      const { control } = await draftToPreview(d, "Большая аудитория", ["Калмыкия"]);
      const step4 = [...d.messages()].reverse().find((m) => m.text?.includes("Шаг 4 из 4"));
      const shown = [about(step4?.text), about(control.text)];
      for (const n of shown) {
        expect(n).toBeDefined();
        expect(Math.abs((n ?? 0) - 30_000)).toBeLessThanOrEqual(1_500);
        expect((n ?? 0) % 1000).toBe(0);
      }
      expect(control.text).toMatch(/^.*Так увидят около [\d\s\u00a0\u202f]+ чатов \(Калмыкия\)/s);
      await d.tapData(control, "brk:cancel");
      await d.expectMessage("Черновик удалён");
    } finally {
      const pipeline = h.redis.pipeline();
      for (let shard = 0; shard < 1024; shard++) pipeline.del(keys.subscriptionShard("kalmykia", shard));
      pipeline.hdel(keys.subscriptionCounts, "kalmykia");
      await pipeline.exec();
    }
  });

  it("lets the editor change a field from the preview before sending", async () => {
    const d = driver(h, EDITOR);
    const { control } = await draftToPreview(d, "Черновой заголовок", ["Абхазия"]);
    await d.tapData(control, "brk:edit");
    const menu = await d.expectMessage("Что изменить?");
    await d.tapData(menu, "brk:edit-headline");
    await d.expectMessage("Пришлите новый заголовок");
    await d.sayAndExpect("Исправленный заголовок", "Так увидят");
    expect(d.messages().some((m) => m.text?.startsWith("🔴 <b>Исправленный заголовок</b>"))).toBe(true);
    await d.tapData(await d.expectMessage("Так увидят"), "brk:cancel");
    await d.expectMessage("Черновик удалён");
  });

  it("leaves the dialog on /cancel at any step, and the next message is not taken as an answer", async () => {
    const d = driver(h, EDITOR);
    await d.sayAndExpect("/breaking", "Шаг 1 из 4");
    await d.sayAndExpect("Заголовок", "Шаг 2 из 4");
    const closed = await d.say("/cancel");
    expect(closed.text).toContain("Черновик закрыт, срочная новость не отправлена.");
    const after = await d.say("просто текст");
    expect(after.text).toContain("Я понимаю только команды и кнопки");
  });

  it("keeps commands working mid-dialog and starts afresh on a second /breaking", async () => {
    const d = driver(h, EDITOR);
    await d.sayAndExpect("/breaking", "Шаг 1 из 4");
    const help = await d.say("/help");
    expect(help.text).toContain("/topics");
    await d.sayAndExpect("/breaking", "Шаг 1 из 4");
    await d.sayAndExpect("Заголовок после перезапуска", "Шаг 2 из 4");
    await d.say("/cancel");
  });

  it("answers a stranger's every editor command and replayed button as if it did not exist, and changes nothing", async () => {
    const d = driver(h, STRANGER);
    await t.subscriber(9301, ["chechnya"]);
    const { seq, card } = await pushBreaking(EDITOR, "Новость для проверки прав", ["Чечня"]);
    await h.fake.waitFor(() => alertsOf("Новость для проверки прав", 9301).length === 1);
    for (const command of [
      "/breaking",
      "/recent",
      "/cancel",
      `/cancel x`,
      "/correct x",
      "/retract x",
      "/catalog",
      "/stats",
    ]) {
      const reply = await d.say(command);
      expect(reply.text, command).toContain(UNKNOWN_COMMAND);
    }
    // The stranger replays the editor's callback data in their own chat, as a forwarded copy would carry it.
    const ownMessage = await d.say("/start");
    for (const action of ["retract-yes", "cancel", "correct", "retract", "card"]) {
      const answersBefore = h.fake.calls.filter((c) => c.method === "answerCallbackQuery").length;
      h.fake.queueUpdate({
        callback_query: {
          id: `replay-${action}`,
          from: { id: STRANGER.id, is_bot: false, first_name: STRANGER.first_name },
          message: { message_id: ownMessage.message_id, date: 0, chat: { id: STRANGER.id, type: "private" } },
          chat_instance: "replay",
          data: `nr:${action}:${seq}`,
        },
      });
      const answer = await h.fake.waitFor(() =>
        h.fake.calls
          .filter((c) => c.method === "answerCallbackQuery")
          .slice(answersBefore)
          .find((c) => c.payload.callback_query_id === `replay-${action}`),
      );
      expect(answer.payload.text).toBe(
        "Эта кнопка больше не работает. Отправьте /start, чтобы открыть меню заново.",
      );
    }
    const stats = await t.articles.stats(seq);
    expect(stats.retractedAt).toBeUndefined();
    expect(stats.cancelledAt).toBeUndefined();
    expect(alertsOf("Новость для проверки прав", 9301).filter((m) => !m.deleted)).toHaveLength(1);
    expect(buttonsOf(d.current(ownMessage)).length).toBeGreaterThan(0);
    void card;
  });

  it("lists the last 48 hours with /recent and opens an article's status from it", async () => {
    const d = driver(h, EDITOR);
    const list = await d.say("/recent");
    expect(list.text).toContain("Статьи за 48 часов");
    expect(list.text).toContain("Взрыв в Грозном");
    const first = buttonsOf(list)[0];
    if (!first?.callback_data) throw new Error("no buttons in /recent");
    await d.tapData(list, first.callback_data);
    await d.expectMessage(/— id <code>/);
  });
});

describe("the newsroom at scale: cancel, correct and retract over 5,000 chats", () => {
  const FIRST = 2_000_000;
  const COUNT = 5000;

  it("corrects every delivered alert with the label in place, then retracts them and reports why some could not be", async () => {
    const ids = await manySubscribers(FIRST, COUNT, "kabardino-balkaria");
    const { d, card, seq } = await pushBreaking(ADMIN, "Первая версия заголовка", ["Кабардино-Балкария"]);
    await d.expectEdited(card, /Доставлено 5[\s\u00a0\u202f]?000, не доставлено 0/, 60_000);
    expect((await t.articles.stats(seq)).sent).toBe(COUNT);

    await d.tapData(d.current(card), dataOf(d.current(card), "Исправить"));
    await d.expectMessage("Исправление «Первая версия заголовка»");
    await d.sayAndExpect("Исправленная версия заголовка", "Пришлите новый лид");
    const confirm = await d.sayAndExpect("-", "Так будет выглядеть исправленное уведомление");
    await d.tapData(confirm, "cor:apply");
    await d.expectMessage(/Исправлено: изменено 5[\s\u00a0\u202f]?000, не удалось 0/, 60_000);
    for (const chatId of [ids[0], ids[2500], ids[COUNT - 1]] as number[]) {
      const [alert] = h.fake.messagesTo(chatId);
      expect(alert?.edits).toBe(1);
      expect(alert?.text?.split("\n").slice(0, 2)).toEqual([
        "🔴 <b>Исправленная версия заголовка</b>",
        `<b>${DEFAULT_FOREIGN_AGENT_LABEL}</b>`,
      ]);
    }

    // Three readers blocked the bot since: their alerts cannot be deleted, and the report says why.
    for (const chatId of ids.slice(0, 3)) h.fake.blockChat(chatId);
    await d.tapData(d.current(card), dataOf(d.current(card), "Отозвать"));
    const ask = await d.expectMessage("Отменить это нельзя");
    expect(ask.text).toContain("у 5");
    await d.tapData(ask, dataOf(ask, "Да, отозвать"));
    await d.expectMessage(
      /Отозвано: удалено 4[\s\u00a0\u202f]?997, не удалось 3 \(чат недоступен: 3\)/,
      60_000,
    );
    const deleted = ids.filter((id) => h.fake.messagesTo(id)[0]?.deleted).length;
    expect(deleted).toBe(COUNT - 3);
    await d.expectEdited(card, /Отозвано\. До отзыва получили/);
  }, 120_000);

  it("stops a fan-out in the middle on Cancel: nothing more is sent, nothing sent is touched", async () => {
    const ids = await manySubscribers(FIRST + COUNT, COUNT, "north-ossetia");
    const { d, card, seq } = await pushBreaking(ADMIN, "Рассылка, которую остановят", ["Северная Осетия"]);
    await eventually(async () => (await t.articles.stats(seq)).sent >= 200, 30_000, "first alerts sent");
    const answer = await d.tapData(d.current(card), dataOf(d.current(card), "Остановить"));
    expect(answer.payload.text).toContain("Остановлено");
    await eventually(
      async () => (await t.articles.stats(seq)).finishedAt !== undefined,
      30_000,
      "delivery settled",
    );
    const stats = await t.articles.stats(seq);
    expect(stats.sent).toBeLessThan(COUNT);
    expect(stats.sent + (stats.skipped.cancelled ?? 0)).toBe(stats.recipients);
    const received = ids.filter((id) => h.fake.messagesTo(id).length > 0).length;
    expect(received).toBe(stats.sent);
    // Every recipient has its outcome (finishedAt), so no batch is left to send; nothing sent was touched.
    expect(
      ids.some((id) => h.fake.messagesTo(id)[0]?.deleted || (h.fake.messagesTo(id)[0]?.edits ?? 0) > 0),
    ).toBe(false);
    await d.expectEdited(card, /Остановлено: доставлено/);
  }, 120_000);
});
