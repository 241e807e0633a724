import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  BOT_USER,
  type FakeChat,
  type FakeUser,
  makeGroup,
  makeUser,
} from "../../src/bench/fake-bot-api/chat-state.ts";
import type { Article } from "../../src/domain/article.ts";
import { clockTime } from "../../src/domain/clock.ts";
import { DEFAULT_FOREIGN_AGENT_LABEL } from "../../src/domain/label.ts";
import { ArticleStore } from "../../src/store/article-store.ts";
import { ChatStore } from "../../src/store/chat-store.ts";
import { HeldStore } from "../../src/store/held-store.ts";
import { type RedisKeys, redisKeys } from "../../src/store/keys.ts";
import { SubscriptionStore } from "../../src/store/subscription-store.ts";
import { buttonData, buttonTexts, type Harness, startHarness } from "../support/bot-harness.ts";
import { eventually } from "../support/eventually.ts";
import { RedisMonitor } from "../support/redis-monitor.ts";

const LABEL_HTML = `<b>${DEFAULT_FOREIGN_AGENT_LABEL.replaceAll("&", "&amp;")}</b>`;

let h: Harness;
let chats: ChatStore;
let subs: SubscriptionStore;
let articles: ArticleStore;
let keys: RedisKeys;
let held: HeldStore;
/** Every update the reader sent (commands, texts, taps), per user: the steps a setting took. */
const steps = new Map<number, number>();

beforeAll(async () => {
  h = await startHarness("reader-options");
  keys = redisKeys(h.config.redisPrefix);
  chats = new ChatStore(h.redis, keys);
  subs = new SubscriptionStore(h.redis, keys);
  articles = new ArticleStore(h.redis, keys);
  held = new HeldStore(h.redis, keys);
});

afterAll(async () => {
  await h.stop();
});

const countStep = (user: FakeUser) => steps.set(user.id, (steps.get(user.id) ?? 0) + 1);

/** Sends a text and waits for the bot's next message in that chat. */
async function say(user: FakeUser, text: string, chat?: FakeChat) {
  const chatId = chat?.id ?? user.id;
  const before = h.fake.messagesTo(chatId).length;
  countStep(user);
  h.fake.sendText(user, text, chat);
  return h.fake.waitFor(() => h.fake.messagesTo(chatId)[before]);
}

const current = (chatId: number, messageId: number) => {
  const m = h.fake.messagesTo(chatId).find((x) => x.message_id === messageId);
  if (!m) throw new Error("message vanished");
  return m;
};

/** Taps a button of a message as `user` and waits for the bot's answer to that tap. */
async function tap(user: FakeUser, chatId: number, messageId: number, label: string | RegExp) {
  const message = current(chatId, messageId);
  const answersBefore = h.fake.calls.filter((c) => c.method === "answerCallbackQuery").length;
  countStep(user);
  const update = h.fake.tapButton(user, message, buttonData(message, label));
  const query = (update as { callback_query: { id: string } }).callback_query.id;
  return h.fake.waitFor(() =>
    h.fake.calls
      .filter((c) => c.method === "answerCallbackQuery")
      .slice(answersBefore)
      .find((c) => c.payload.callback_query_id === query),
  );
}

/** /latest again as after its 3 s: the chat's count of calls is forgotten first. */
async function latestAgain(user: FakeUser, text: string, chat?: FakeChat) {
  await h.redis.del(keys.latestCalls(chat?.id ?? user.id));
  return say(user, text, chat);
}

const optionsOf = async (chatId: number) => (await chats.get(chatId))?.options;

const waitForButton = (chatId: number, messageId: number, text: string) =>
  h.fake.waitFor(() => buttonTexts(current(chatId, messageId)).includes(text));

describe("a reader's options", () => {
  it("takes a new reader 6 taps and 2 commands to get a digest at 8:00 and 19:00, quiet 23–7 and no football", async () => {
    const reader = makeUser(8101, { language_code: "ru" });
    await say(reader, "/start chechnya");
    steps.set(reader.id, 0);

    const menu = await say(reader, "/settings");
    expect(menu.text?.startsWith(LABEL_HTML)).toBe(true);
    expect(menu.text).toContain("Режим: сразу");
    await tap(reader, reader.id, menu.message_id, "Режим");
    await waitForButton(reader.id, menu.message_id, "08:00");
    await tap(reader, reader.id, menu.message_id, /^08:00$/);
    await waitForButton(reader.id, menu.message_id, "✅ 08:00");
    const second = await tap(reader, reader.id, menu.message_id, /^19:00$/);
    expect(second.payload.text).toBe("Теперь: дайджест в 08:00 и 19:00");
    await waitForButton(reader.id, menu.message_id, "✅ 19:00");
    await tap(reader, reader.id, menu.message_id, "Назад");
    await waitForButton(reader.id, menu.message_id, "🌙 Тихие часы");
    await tap(reader, reader.id, menu.message_id, "Тихие часы");
    await waitForButton(reader.id, menu.message_id, "23:00–07:00");
    const quiet = await tap(reader, reader.id, menu.message_id, "23:00–07:00");
    expect(quiet.payload.text).toBe("Тихие часы: 23:00–07:00");
    const filter = await say(reader, "/filter -футбол");
    expect(filter.text).toContain("Статьи со словом «футбол» присылать не буду");

    expect(steps.get(reader.id)).toBe(8);
    expect(await optionsOf(reader.id)).toMatchObject({
      mode: "digest",
      digestTimes: [8 * 60, 19 * 60],
      quiet: { from: 23 * 60, to: 7 * 60 },
      filters: [{ keep: false, phrase: "футбол" }],
      breakingAtOnce: true,
    });
    const summary = await say(reader, "/settings");
    expect(summary.text).toContain("Режим: дайджест в 08:00 и 19:00");
    expect(summary.text).toContain("Тихие часы: 23:00–07:00; срочные в это время приходят без звука");
    expect(summary.text).toContain("Фильтры: -футбол");
  });

  it("switches the delivery mode, hourly digests, breaking at once and the quiet-hours choices", async () => {
    const reader = makeUser(8102, { language_code: "en" });
    const menu = await say(reader, "/settings");
    const id = menu.message_id;
    const breaking = await tap(reader, reader.id, id, "Breaking at once");
    expect(breaking.payload.text).toBe("Breaking news will come with the rest");
    expect(await optionsOf(reader.id)).toMatchObject({ breakingAtOnce: false });
    await h.fake.waitFor(() => current(reader.id, id).text?.includes("Breaking news: with the rest"));

    await tap(reader, reader.id, id, "Mode");
    await waitForButton(reader.id, id, "Breaking only");
    expect((await tap(reader, reader.id, id, "Breaking only")).payload.text).toBe("Mode: breaking news only");
    expect(await optionsOf(reader.id)).toMatchObject({ mode: "breaking" });
    await waitForButton(reader.id, id, "● Breaking only");
    await tap(reader, reader.id, id, "Every hour");
    expect(await optionsOf(reader.id)).toMatchObject({ mode: "digest", digestTimes: [] });
    await waitForButton(reader.id, id, "● Every hour");
    await tap(reader, reader.id, id, /^7:00 AM$/);
    await waitForButton(reader.id, id, "✅ 7:00 AM");
    await tap(reader, reader.id, id, /^9:00 PM$/);
    await waitForButton(reader.id, id, "✅ 9:00 PM");
    const third = await tap(reader, reader.id, id, /^12:00 PM$/);
    expect(third.payload.text).toBe("Twice a day at most: untick one of the times first");
    expect(await optionsOf(reader.id)).toMatchObject({ digestTimes: [7 * 60, 21 * 60] });
    await tap(reader, reader.id, id, "✅ 7:00 AM");
    expect(await optionsOf(reader.id)).toMatchObject({ mode: "digest", digestTimes: [21 * 60] });
    await waitForButton(reader.id, id, "7:00 AM");
    await tap(reader, reader.id, id, /^At once$/);
    expect(await optionsOf(reader.id)).toMatchObject({ mode: "instant" });
    await waitForButton(reader.id, id, "● At once");

    await tap(reader, reader.id, id, "Back");
    await waitForButton(reader.id, id, "🌙 Quiet hours");
    await tap(reader, reader.id, id, "Quiet hours");
    await waitForButton(reader.id, id, "12:00 AM–8:00 AM");
    await tap(reader, reader.id, id, "12:00 AM–8:00 AM");
    expect(await optionsOf(reader.id)).toMatchObject({ quiet: { from: 0, to: 8 * 60 } });
    await waitForButton(reader.id, id, "● 12:00 AM–8:00 AM");
    const hold = await tap(reader, reader.id, id, "Breaking at night");
    expect(hold.payload.text).toBe("Breaking news will wait through quiet hours");
    expect(await optionsOf(reader.id)).toMatchObject({ quietHoldsBreaking: true });
    await waitForButton(reader.id, id, "🔴 Breaking at night: waits");
    await tap(reader, reader.id, id, /Off$/);
    expect((await optionsOf(reader.id))?.quiet).toBeUndefined();
  });

  it("reads typed digest times and quiet hours, and says what is wrong with a bad one", async () => {
    const reader = makeUser(8103, { language_code: "en" });
    const menu = await say(reader, "/settings");
    await tap(reader, reader.id, menu.message_id, "Mode");
    await waitForButton(reader.id, menu.message_id, "✏️ Other time");
    const before = h.fake.messagesTo(reader.id).length;
    await tap(reader, reader.id, menu.message_id, "Other time");
    const ask = await h.fake.waitFor(() => h.fake.messagesTo(reader.id)[before]);
    expect(ask.text).toContain("Send the digest time, like 8:30");
    expect((await say(reader, "25:00")).text).toContain("I can't read that time");
    expect((await say(reader, "7:00 12:00 18:00")).text).toContain("twice a day at most");
    expect((await say(reader, "8:30 19:15")).text).toContain(
      "Done: a digest at 8:30 AM and 7:15 PM, Europe/Moscow time",
    );
    expect(await optionsOf(reader.id)).toMatchObject({ mode: "digest", digestTimes: [510, 1155] });
    // The dialog is over: text is the bot's usual business again.
    expect((await say(reader, "hello")).text).toContain("I only understand commands and buttons");

    const quietMenu = await say(reader, "/settings");
    await tap(reader, reader.id, quietMenu.message_id, "Quiet hours");
    await waitForButton(reader.id, quietMenu.message_id, "✏️ Your own hours");
    const count = h.fake.messagesTo(reader.id).length;
    await tap(reader, reader.id, quietMenu.message_id, "Your own hours");
    await h.fake.waitFor(() => h.fake.messagesTo(reader.id)[count]);
    expect((await say(reader, "7-7")).text).toContain("The start and the end are the same");
    expect((await say(reader, "soon")).text).toContain("Write the start and the end like 23:00-07:00");
    // A command mid-question goes to the bot; /cancel leaves the question.
    const left = await say(reader, "/cancel");
    expect(left.text).toContain("OK, your settings stay as they were.");
    expect(left.text).not.toContain("Nothing was sent");
    expect((await say(reader, "23:30-6:45")).text).toContain("I only understand commands and buttons");
    await tap(reader, reader.id, quietMenu.message_id, "Your own hours");
    await h.fake.waitFor(() => h.fake.messagesTo(reader.id).at(-1)?.text?.includes("Send the quiet hours"));
    expect((await say(reader, "23:30 – 6:45")).text).toContain("Done: quiet hours 11:30 PM–6:45 AM");
    expect(await optionsOf(reader.id)).toMatchObject({ quiet: { from: 23 * 60 + 30, to: 6 * 60 + 45 } });
  });

  it("closes a typed-time question after 5 wrong answers, its stored state the size of one answer meanwhile", async () => {
    const reader = makeUser(8112, { language_code: "en" });
    const stateKey = `${h.config.redisPrefix}:dialog:${reader.id}`;
    const menu = await say(reader, "/settings");
    await tap(reader, reader.id, menu.message_id, "Mode");
    await waitForButton(reader.id, menu.message_id, "✏️ Other time");
    const before = h.fake.messagesTo(reader.id).length;
    await tap(reader, reader.id, menu.message_id, "Other time");
    await h.fake.waitFor(() => h.fake.messagesTo(reader.id)[before]);
    const replies: string[] = [];
    const sizes: number[] = [];
    for (let i = 1; i <= 20; i++) {
      // Long enough to weigh what a real attempt weighs.
      replies.push((await say(reader, `25:${String(i).padStart(2, "0")} ${"x".repeat(200)}`)).text ?? "");
      // The state is saved (or, at the end, deleted) just after the reply.
      if (i === 5) await eventually(async () => (await h.redis.strlen(stateKey)) === 0);
      else await new Promise((r) => setTimeout(r, 50));
      sizes.push(await h.redis.strlen(stateKey));
    }
    for (const reply of replies.slice(0, 5)) expect(reply).toContain("I can't read that time");
    expect(replies[4]).toContain("Too many tries: the question is closed");
    // After the cap the dialog is gone: the same text is the bot's usual business again.
    for (const reply of replies.slice(5)) {
      expect(reply).not.toContain("I can't read that time");
      expect(reply).toContain("I only understand commands and buttons");
    }
    // Each wrong answer is rewound out of the stored dialog (it was 1.3 KB more per answer).
    const open = sizes.slice(0, 4);
    expect(Math.max(...open) - Math.min(...open)).toBeLessThan(64);
    expect(Math.max(...open)).toBeLessThan(4 * 1024);
    // The 5th wrong answer ends the dialog, and its state is deleted.
    expect(sizes.slice(4)).toEqual(sizes.slice(4).map(() => 0));
    expect((await optionsOf(reader.id))?.digestTimes).toBeUndefined();
  });

  it("sets the due time of held news anew at each change of pause, digest time, zone, mode and quiet hours", async () => {
    const reader = makeUser(8113, { language_code: "en" });
    const dueAt = () => held.dueAt(reader.id);
    const wall = (zone: string) => DateTime.now().setZone(zone).startOf("minute");
    /** The next instant after now when the wall clock in `zone` shows `local`'s hour and minute. */
    const next = (local: DateTime, zone: string) => {
      const there = wall(zone).set({ hour: local.hour, minute: local.minute });
      return there > DateTime.now() ? there : there.plus({ days: 1 });
    };
    /** Opens the ✏️ question of a settings submenu and answers it. */
    const typed = async (submenu: string, button: string, answer: string) => {
      const menu = await say(reader, "/settings");
      await tap(reader, reader.id, menu.message_id, submenu);
      await waitForButton(reader.id, menu.message_id, button);
      const count = h.fake.messagesTo(reader.id).length;
      await tap(reader, reader.id, menu.message_id, button.replace("✏️ ", ""));
      await h.fake.waitFor(() => h.fake.messagesTo(reader.id)[count]);
      expect((await say(reader, answer)).text).toContain("Done:");
    };

    await say(reader, "/mute 8h");
    const muteUntil = (await optionsOf(reader.id))?.muteUntil ?? 0;
    // An article held in the pause, due at its end (what the fan-out does).
    await held.advanceRouted(
      { seq: 8113, breaking: false },
      { from: 0, to: 16, queued: 0, last: false, now: new Date().toISOString(), heldAt: Date.now() },
      [{ chatId: reader.id, route: "held", releaseMs: muteUntil }],
    );
    expect(await dueAt()).toBe(muteUntil);

    // A digest time two hours from now, typed during the pause: the first one after the pause.
    const digestAt = wall("Europe/Moscow").plus({ hours: 2 });
    await typed("Mode", "✏️ Other time", digestAt.toFormat("H:mm"));
    expect(await dueAt()).toBe(digestAt.plus({ days: 1 }).toMillis());
    // The pause ends early: the digest time today, no longer the pause's end.
    expect((await say(reader, "/mute off")).text).toContain("Pause ended");
    expect(await dueAt()).toBe(digestAt.toMillis());
    // The same digest time on another zone's clock.
    await say(reader, "/timezone Yerevan");
    expect(await dueAt()).toBe(next(digestAt, "Asia/Yerevan").toMillis());
    // Back to news at once: what is held comes now.
    const menu = await say(reader, "/settings");
    await tap(reader, reader.id, menu.message_id, "Mode");
    await waitForButton(reader.id, menu.message_id, "At once");
    const switched = Date.now();
    await tap(reader, reader.id, menu.message_id, /^(● )?At once$/);
    expect(await dueAt()).toBeGreaterThanOrEqual(switched - 60_000);
    expect(await dueAt()).toBeLessThanOrEqual(Date.now());
    // Quiet hours from an hour ago to three hours ahead: it comes when they end.
    const here = wall("Asia/Yerevan");
    const quietEnd = here.plus({ hours: 3 });
    await typed(
      "Quiet hours",
      "✏️ Your own hours",
      `${here.minus({ hours: 1 }).toFormat("H:mm")}-${quietEnd.toFormat("H:mm")}`,
    );
    expect(await dueAt()).toBe(quietEnd.toMillis());
  });

  it("pauses with /mute, keeps or drops what comes meanwhile, and ends the pause", async () => {
    const reader = makeUser(8104, { language_code: "en" });
    const ask = await say(reader, "/mute");
    expect(ask.text).toContain("Pause the news for how long?");
    const start = Date.now();
    await tap(reader, reader.id, ask.message_id, "8 hours");
    const muted = await optionsOf(reader.id);
    expect(muted?.muteUntil).toBeGreaterThanOrEqual(start + 8 * 3600_000 - 1000);
    expect(muted?.muteUntil).toBeLessThanOrEqual(Date.now() + 8 * 3600_000 + 1000);
    expect(muted?.muteKeep).toBe(true);
    // In the reader's language's own format ("1:06 PM"), whatever the time of day the test runs.
    const until = clockTime(DateTime.fromMillis(muted?.muteUntil ?? 0).setZone("Europe/Moscow"), "en");
    await h.fake.waitFor(() => current(reader.id, ask.message_id).text?.includes(`News paused until`));
    expect(current(reader.id, ask.message_id).text).toContain(until);
    expect(current(reader.id, ask.message_id).text).toContain("(Europe/Moscow)");
    expect(current(reader.id, ask.message_id).text).toContain("arrives as one digest");
    await tap(reader, reader.id, ask.message_id, "Drop it");
    expect(await optionsOf(reader.id)).toMatchObject({ muteKeep: false });
    await h.fake.waitFor(() => current(reader.id, ask.message_id).text?.includes("will not be sent"));
    await tap(reader, reader.id, ask.message_id, "End the pause");
    expect((await optionsOf(reader.id))?.muteUntil).toBeUndefined();

    const dropped = await say(reader, "/mute 24h drop");
    expect(dropped.text).toContain("will not be sent");
    expect(await optionsOf(reader.id)).toMatchObject({ muteKeep: false });
    expect((await optionsOf(reader.id))?.muteUntil).toBeGreaterThan(Date.now() + 23 * 3600_000);
    const kept = await say(reader, "/mute 1h");
    expect(kept.text).toContain("arrives as one digest");
    expect(await optionsOf(reader.id)).toMatchObject({ muteKeep: true });
    expect((await say(reader, "/mute off")).text).toContain("Pause ended");
    expect((await say(reader, "/mute off")).text).toContain("No pause");
    expect((await say(reader, "/mute forever")).text).toContain("Like this: /mute 1h");
    expect((await say(reader, "/mute 8h maybe")).text).toContain("Like this: /mute 1h");
    expect((await say(reader, "/mute 0h")).text).toContain("Like this: /mute 1h");
    expect((await optionsOf(reader.id))?.muteUntil).toBeUndefined();
  });

  it("sets the time zone from the regions' buttons and by a city or UTC offset, showing the new local time", async () => {
    const reader = makeUser(8105, { language_code: "ru" });
    const zones = await say(reader, "/timezone");
    expect(zones.text).toContain("Часовой пояс: Europe/Moscow");
    expect(buttonTexts(zones)).toEqual(expect.arrayContaining(["● UTC+3 · Северный Кавказ, Юг России…"]));
    expect(buttonTexts(zones).some((b) => b.includes("Грузия"))).toBe(true);
    const georgia = await tap(reader, reader.id, zones.message_id, "Грузия");
    expect(georgia.payload.text).toBe("Часовой пояс: Asia/Tbilisi");
    expect((await chats.get(reader.id))?.timeZone).toBe("Asia/Tbilisi");
    await h.fake.waitFor(() => current(reader.id, zones.message_id).text?.includes("Asia/Tbilisi"));

    const yerevan = await say(reader, "/timezone Yerevan");
    const there = DateTime.now().setZone("Asia/Yerevan").toFormat("H:mm");
    expect(yerevan.text).toContain("Часовой пояс: Asia/Yerevan. Сейчас там");
    expect(yerevan.text).toMatch(
      new RegExp(`${there}|${DateTime.now().plus({ minutes: 1 }).setZone("Asia/Yerevan").toFormat("H:mm")}`),
    );
    expect((await chats.get(reader.id))?.timeZone).toBe("Asia/Yerevan");

    const offset = await say(reader, "/timezone +4");
    expect(offset.text).toContain("подходит несколько часовых поясов");
    expect(buttonTexts(offset).every((b) => b.includes("UTC+4"))).toBe(true);
    await tap(reader, reader.id, offset.message_id, "Asia/Baku");
    expect((await chats.get(reader.id))?.timeZone).toBe("Asia/Baku");
    await h.fake.waitFor(() =>
      current(reader.id, offset.message_id).text?.includes("Часовой пояс: Asia/Baku"),
    );

    expect((await say(reader, "/timezone Махачкала")).text).toContain("Часовой пояс: Europe/Moscow");
    expect((await say(reader, "/timezone Грузия")).text).toContain("Часовой пояс: Asia/Tbilisi");
    await say(reader, "/timezone Baku");
    expect((await say(reader, "/timezone Zzyzxqq")).text).toContain("Не нашёл часового пояса для «Zzyzxqq»");
    expect((await say(reader, "/timezone <b>&</b>")).text).toContain("&lt;b&gt;");
    expect((await chats.get(reader.id))?.timeZone).toBe("Asia/Baku");
    // Other settings survive the zone change, and the options the zone's change.
    await say(reader, "/filter +Грозный");
    await tap(reader, reader.id, zones.message_id, "Северный Кавказ");
    expect(await chats.get(reader.id)).toMatchObject({
      timeZone: "Europe/Moscow",
      lang: "ru",
      options: { filters: [{ keep: true, phrase: "грозный" }] },
    });
  });

  it("adds, lists, refuses and removes word filters with a clear answer for each", async () => {
    const reader = makeUser(8106, { language_code: "en" });
    expect((await say(reader, "/filter")).text).toContain("No filters yet");
    expect((await say(reader, "/filter +Grozny")).text).toContain("Only articles with “grozny”");
    expect((await say(reader, "/filter + grozny")).text).toContain("That filter is there already: +grozny");
    expect((await say(reader, "/filter football")).text).toContain("Put + or - before the word");
    expect((await say(reader, "/filter -")).text).toContain("Put a word after + or -");
    expect((await say(reader, "/filter -foot.*ball")).text).toContain("letters, digits, spaces");
    expect((await say(reader, `/filter -${"a".repeat(41)}`)).text).toContain(
      "too long: 41 characters, 40 at most",
    );
    // 25 signs as typed, 50 letters as stored: refused with the reason, not confirmed and then lost.
    expect((await say(reader, `/filter -${"ﬁ".repeat(25)}`)).text).toContain(
      "written out in plain letters it has 50 characters",
    );
    expect(await optionsOf(reader.id)).toMatchObject({ filters: [{ keep: true, phrase: "grozny" }] });
    expect((await say(reader, "/filter -human rights")).text).toContain(
      "Articles with “human rights” will not come",
    );
    const list = await say(reader, "/filter");
    expect(list.text).toContain("1. +grozny\n2. -human rights");
    expect(buttonTexts(list)).toEqual(expect.arrayContaining(["✖ +grozny", "✖ -human rights"]));
    const removed = await tap(reader, reader.id, list.message_id, "✖ +grozny");
    expect(removed.payload.text).toBe("Filter removed: +grozny");
    expect(await optionsOf(reader.id)).toMatchObject({ filters: [{ keep: false, phrase: "human rights" }] });
    await h.fake.waitFor(() => !buttonTexts(current(reader.id, list.message_id)).includes("✖ +grozny"));
    const breaking = await tap(reader, reader.id, list.message_id, "Filter breaking news too");
    expect(breaking.payload.text).toBe("Filters apply to breaking news too");
    expect(await optionsOf(reader.id)).toMatchObject({ filterBreaking: true });

    expect((await say(reader, "/filter remove 7")).text).toContain("There is no filter number “7”");
    expect((await say(reader, "/filter remove x")).text).toContain("There is no filter number “x”");
    expect((await say(reader, "/filter remove 1")).text).toContain("Filter removed: -human rights");
    for (let i = 1; i <= 20; i++) await say(reader, `/filter -word${i}`);
    expect((await optionsOf(reader.id))?.filters).toHaveLength(20);
    expect((await say(reader, "/filter -one more")).text).toContain("There are 20 filters already");
    expect((await say(reader, "/filter clear")).text).toContain("All filters removed");
    expect((await optionsOf(reader.id))?.filters ?? []).toEqual([]);
    expect((await say(reader, "/filter clear")).text).toContain("There are no filters");
  });

  it("lets only a group's admins change the group's options, by command or by tap", async () => {
    const group = makeGroup(-100_8107, { title: "Kavkaz Readers" });
    const member = makeUser(8107, { language_code: "en" });
    const admin = makeUser(8108, { language_code: "en" });
    h.fake.setChatMemberStatus(group.id, admin.id, "administrator");
    await say(admin, "/start", group);

    // A member's commands get no answer in the group: updates of one chat are handled in order,
    // so the admin's /settings is answered next.
    for (const command of [
      "/filter -football",
      "/mute 8h",
      "/timezone Tbilisi",
      "/filter clear",
      "/settings",
    ])
      h.fake.sendText(member, command, group);
    const menu = await say(admin, "/settings", group);
    expect(menu.text).toContain("How the news reaches you");
    expect((await chats.get(group.id))?.options).toBeUndefined();
    // Their taps get a toast, and the group's menu stays on its screen.
    const turned = await tap(member, group.id, menu.message_id, "Mode");
    expect(turned.payload.text).toBe("Only the group's admins can use these buttons");
    await tap(admin, group.id, menu.message_id, "Mode");
    await waitForButton(group.id, menu.message_id, "Digest");
    const refused = await tap(member, group.id, menu.message_id, "Digest");
    expect(refused.payload.text).toBe("Only the group's admins can use these buttons");
    expect((await chats.get(group.id))?.options).toBeUndefined();

    const accepted = await tap(admin, group.id, menu.message_id, "Digest");
    expect(accepted.payload.text).toBe("Mode: a digest every hour");
    expect((await say(admin, "/filter -football", group)).text).toContain("will not come");
    expect((await say(admin, "/mute 8h drop", group)).text).toContain("will not be sent");
    expect((await say(admin, "/timezone Tbilisi", group)).text).toContain("Time zone: Asia/Tbilisi");
    expect(await chats.get(group.id)).toMatchObject({
      kind: "group",
      timeZone: "Asia/Tbilisi",
      options: { mode: "digest", muteKeep: false, filters: [{ keep: false, phrase: "football" }] },
    });

    // The admin's reply to the question is taken; a member's reply to it is not.
    await tap(admin, group.id, menu.message_id, "Other time");
    const ask = await h.fake.waitFor(() => {
      const last = h.fake.messagesTo(group.id).at(-1);
      return last?.text?.includes("Send the digest time") ? last : undefined;
    });
    h.fake.replyTo(member, ask, "9:00");
    const before = h.fake.messagesTo(group.id).length;
    h.fake.replyTo(admin, ask, "18:00");
    const done = await h.fake.waitFor(() => h.fake.messagesTo(group.id)[before]);
    expect(done.text).toContain("Done: a digest at 6:00 PM");
    expect(await optionsOf(group.id)).toMatchObject({ digestTimes: [18 * 60] });
  });

  it("shows the 5 newest articles the chat follows with /latest, label first, and one topic's with /latest <slug>", async () => {
    const reader = makeUser(8109, { language_code: "ru" });
    expect((await say(reader, "/latest")).text).toContain("Подписок пока нет");
    await say(reader, "/start dagestan");
    await say(reader, "/filter -футбол");
    const base = Date.parse("2026-11-30T09:00:00Z");
    const article = (n: number, extra: Partial<Article>): Article => ({
      id: `latest-${n}`,
      url: `https://www.kavkaz-uzel.eu/articles/${n}`,
      headline: `Новость ${n}`,
      teaser: "",
      topics: [],
      regions: ["dagestan"],
      lang: "ru",
      publishedAt: new Date(base + n * 60_000).toISOString(),
      breaking: false,
      ...extra,
    });
    const published = [
      article(1, {}),
      article(2, {}),
      article(3, { headline: "Новость 3 & <всё>", breaking: true }),
      article(4, { regions: ["chechnya"] }),
      article(5, {}),
      article(6, { lang: "en", headline: "News 6" }),
      article(7, { headline: "Футбол в Махачкале" }),
      article(8, {}),
      article(9, { regions: [], topics: ["courts"] }),
      article(10, {}),
    ];
    for (const [i, a] of published.entries())
      await articles.record(a, new Date(Date.now() - (published.length - i) * 1000).toISOString());

    const latest = await latestAgain(reader, "/latest");
    expect(latest.text?.startsWith(`${LABEL_HTML}\n<b>Последние новости</b>`)).toBe(true);
    expect(latest.parse_mode).toBe("HTML");
    const shown = [...(latest.text ?? "").matchAll(/articles\/(\d+)"/g)].map((m) => Number(m[1]));
    expect(shown).toEqual([10, 8, 5, 3, 2]);
    expect(latest.text).toContain(
      '🔴 <a href="https://www.kavkaz-uzel.eu/articles/3">Новость 3 &amp; &lt;всё&gt;</a>',
    );
    expect(latest.text).toContain("12:10");

    const courts = await latestAgain(reader, "/latest Courts");
    expect(courts.text).toContain("Последние новости: Суды и преследования");
    expect([...(courts.text ?? "").matchAll(/articles\/(\d+)"/g)].map((m) => Number(m[1]))).toEqual([9]);
    const unknown = await latestAgain(reader, "/latest football");
    expect(unknown.text).toContain("Я не знаю «football»");
    expect(unknown.text).toContain("chechnya (Чечня)");
    expect(unknown.text).toContain("courts (Суды и преследования)");
    expect((await latestAgain(reader, "/latest elections")).text).toContain("Свежих новостей в «Выборы» нет");
    expect(await subs.slugsOf(reader.id, ["dagestan"])).toEqual(["dagestan"]);
  });

  it("takes /latest with a region's or topic's Russian or English name, in any case and with ё as е", async () => {
    const reader = makeUser(8122, { language_code: "ru" });
    await say(reader, "/start");
    const base = Date.now() - 60_000;
    const extras: [number, Partial<Article>][] = [
      [1, { regions: ["chechnya"] }],
      [2, { topics: ["armed-conflicts"] }],
    ];
    for (const [n, extra] of extras)
      await articles.record(
        {
          id: `latest-name-${n}`,
          url: `https://www.kavkaz-uzel.eu/articles/name-${n}`,
          headline: `Событие ${n}`,
          teaser: "",
          topics: [],
          regions: [],
          lang: "ru",
          publishedAt: new Date(base + n * 1000).toISOString(),
          breaking: false,
          ...extra,
        },
        new Date(base + n * 1000).toISOString(),
      );
    const shown = (text?: string) =>
      [...(text ?? "").matchAll(/articles\/name-(\d+)"/g)].map((m) => Number(m[1]));
    const chechnya = await latestAgain(reader, "/latest Чечня");
    expect(chechnya.text).toContain("Последние новости: Чечня");
    expect(shown(chechnya.text)).toEqual([1]);
    expect(shown((await latestAgain(reader, "/latest CHECHNYA")).text)).toEqual([1]);
    const conflicts = await latestAgain(reader, "/latest вооруженные конфликты");
    expect(conflicts.text).toContain("Последние новости: Вооружённые конфликты");
    expect(shown(conflicts.text)).toEqual([2]);
    expect(shown((await latestAgain(reader, "/latest Armed conflicts")).text)).toEqual([2]);
  });

  it("lists the slugs sorted, topics apart from regions, when /latest gets a name it does not know", async () => {
    const reader = makeUser(8123, { language_code: "ru" });
    await say(reader, "/start");
    const unknown = await latestAgain(reader, "/latest Чечняя");
    expect(unknown.text).toContain("Я не знаю «Чечняя»");
    const line = (head: string) => (unknown.text ?? "").split("\n").find((l) => l.startsWith(head)) ?? "";
    const slugsIn = (text: string) => [...text.matchAll(/([a-z0-9-]+) \(/g)].map((m) => m[1] ?? "");
    const topics = slugsIn(line("Темы: "));
    const regions = slugsIn(line("Регионы: "));
    expect(topics).toEqual([...topics].sort());
    expect(regions).toEqual([...regions].sort());
    expect(topics.slice(0, 3)).toEqual(["armed-conflicts", "courts", "ecology"]);
    expect(regions.slice(0, 3)).toEqual(["abkhazia", "adygea", "armenia"]);
    expect(topics).not.toContain("chechnya");
    expect(regions).toContain("chechnya");
  });

  it("reads at most 50 stored articles for /latest when the chat's filter lets none of 300 through", async () => {
    const reader = makeUser(8114, { language_code: "ru" });
    await say(reader, "/start chechnya");
    await say(reader, "/filter +qqqqq");
    // A first /latest: an installation's one-time filling of the index is not what is measured.
    await latestAgain(reader, "/latest");
    const base = Date.now() - 3_600_000;
    for (let n = 0; n < 300; n++) {
      const at = new Date(base + n * 1000).toISOString();
      await articles.record(
        {
          id: `latest-flood-${n}`,
          url: `https://www.kavkaz-uzel.eu/articles/flood-${n}`,
          headline: `Новость ${n}`,
          teaser: "Тизер. ".repeat(500),
          topics: [],
          regions: ["chechnya"],
          lang: "ru",
          publishedAt: at,
          breaking: false,
        },
        at,
      );
    }
    const articleKey = new RegExp(`^${h.config.redisPrefix}:article:\\d+$`);
    const monitor = await RedisMonitor.start();
    try {
      const answer = await latestAgain(reader, "/latest");
      expect(answer.text).toContain("Свежих новостей по подпискам нет");
    } finally {
      await monitor.stop(h.redis);
    }
    const reads = monitor.commands.filter((c) => c.name === "get" && articleKey.test(c.args[0] ?? ""));
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.length).toBeLessThanOrEqual(50);
  });

  it("answers a second /latest within 3 s with one quiet «wait a moment» and ignores a third", async () => {
    const reader = makeUser(8115, { language_code: "ru" });
    await say(reader, "/start dagestan");
    await latestAgain(reader, "/latest");
    const wait = await say(reader, "/latest");
    expect(wait.text).toContain("Секунду: /latest можно не чаще раза в 3 секунды");
    expect(wait.text?.startsWith(LABEL_HTML)).toBe(true);
    const call = h.fake.calls.find(
      (c) =>
        c.method === "sendMessage" &&
        c.payload.chat_id === reader.id &&
        String(c.payload.text).includes("Секунду"),
    );
    expect(call?.payload.disable_notification).toBe(true);
    // The third call gets nothing: the next answer in the chat is the one to /help.
    const before = h.fake.messagesTo(reader.id).length;
    h.fake.sendText(reader, "/latest");
    const help = await say(reader, "/help");
    expect(h.fake.messagesTo(reader.id).length).toBe(before + 1);
    expect(help.text).toContain("/latest");
    // After the 3 s, /latest answers again.
    expect((await latestAgain(reader, "/latest")).text).toContain("Последние новости");
  });

  it("sets a connected channel's options from the private chat, under the line naming it", async () => {
    const owner = makeUser(8111, { language_code: "en" });
    const channel: FakeChat = { id: -1_008_111_000, type: "channel", title: "Kavkaz Digest" };
    h.fake.addChat(channel);
    h.fake.setChatMemberStatus(channel.id, owner.id, "creator");
    h.fake.setChatMemberStatus(channel.id, BOT_USER.id, "administrator");
    await say(owner, "/start");
    expect((await say(owner, `/channel add ${channel.id}`)).text).toContain("“Kavkaz Digest”");
    await eventually(async () => (await chats.get(channel.id))?.active === true, 3000, "channel connected");

    const menu = await say(owner, "/settings");
    expect(menu.text).toContain("Editing the channel “Kavkaz Digest”");
    await tap(owner, owner.id, menu.message_id, "Mode");
    await waitForButton(owner.id, menu.message_id, "Digest");
    await tap(owner, owner.id, menu.message_id, /^9:00 AM$/);
    expect((await say(owner, "/filter -sport")).text).toContain("Articles with “sport” will not come");
    expect((await say(owner, "/timezone Baku")).text).toContain("Time zone: Asia/Baku");
    expect(await chats.get(channel.id)).toMatchObject({
      kind: "channel",
      timeZone: "Asia/Baku",
      options: { mode: "digest", digestTimes: [540], filters: [{ keep: false, phrase: "sport" }] },
    });
    expect((await chats.get(owner.id))?.options).toBeUndefined();
    expect((await chats.get(owner.id))?.timeZone).toBe("Europe/Moscow");

    // Back to the private chat: the menu still on screen was the channel's and changes nothing.
    await say(owner, "/start");
    const other = await tap(owner, owner.id, menu.message_id, /^12:00 PM$/);
    expect(other.payload.text).toBe("This menu was for another chat; here it is for the one you edit now");
    expect((await chats.get(channel.id))?.options?.digestTimes).toEqual([540]);
    expect((await chats.get(owner.id))?.options).toBeUndefined();
  });

  it("lists the new commands in /help and in Telegram's command menu", async () => {
    const help = await say(makeUser(8110, { language_code: "en" }), "/help");
    for (const command of ["/settings", "/mute", "/filter", "/timezone", "/latest"])
      expect(help.text).toContain(command);
    const calls = await h.fake.waitFor(() => {
      const found = h.fake.calls.filter((c) => c.method === "setMyCommands");
      return found.length >= 3 ? found : undefined;
    });
    const russian = calls.find((c) => c.payload.language_code === "ru");
    const names = ((russian?.payload.commands ?? []) as { command: string }[]).map((c) => c.command);
    expect(names).toEqual(expect.arrayContaining(["settings", "mute", "filter", "timezone", "latest"]));
  });
});
