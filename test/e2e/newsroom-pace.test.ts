import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser } from "../../src/bench/fake-bot-api/chat-state.ts";
import type { SentMessage } from "../../src/bench/fake-bot-api/message-store.ts";
import { type ChatSettings, newChat } from "../../src/domain/chat.ts";
import { type Harness, startHarness } from "../support/bot-harness.ts";
import { deliveryTools } from "../support/delivery-harness.ts";
import { eventually } from "../support/eventually.ts";
import { buttonsOf, dataOf, driver } from "../support/newsroom-driver.ts";

/**
 * The newsroom at the default rate, where a delivery takes minutes: the editor's status message
 * keeps up with it, and a stop accounts for every reader. Counted in events, not in seconds.
 */
const RATE = 25;
const EDITOR = makeUser(9201, { language_code: "ru", first_name: "Editor" });

let h: Harness;
let t: ReturnType<typeof deliveryTools>;

beforeAll(async () => {
  h = await startHarness("newsroom-pace", {
    role: "all",
    env: { ADMIN_IDS: String(EDITOR.id), SEND_RATE: String(RATE) },
  });
  t = deliveryTools(h);
});

afterAll(async () => {
  await t.queues.close();
  await h.stop();
});

/** Subscribes `count` private chats from `firstId` to `slug`, in bulk: Russian readers, unless `as` says. */
async function manySubscribers(
  firstId: number,
  count: number,
  slug: string,
  as: (chat: ChatSettings) => ChatSettings = (chat) => chat,
): Promise<void> {
  const ids = Array.from({ length: count }, (_, i) => firstId + i);
  await t.chats.saveMany(ids.map((id) => as(newChat(id, "private", "ru", "Europe/Moscow"))));
  for (let i = 0; i < ids.length; i += 1000)
    await t.subscriptions.subscribeMany(ids.slice(i, i + 1000).map((chatId) => ({ chatId, slug })));
}

/** Runs /breaking to Send for one region, picked by name; returns the status message and the seq. */
async function pushBreaking(headline: string, region: string) {
  const d = driver(h, EDITOR);
  await d.sayAndExpect("/breaking", "Шаг 1 из 4");
  await d.sayAndExpect(headline, "Шаг 2 из 4");
  await d.sayAndExpect("Лид срочной новости.", "Шаг 3 из 4");
  const picker = await d.sayAndExpect("https://www.kavkaz-uzel.eu/articles/1/", "Шаг 4 из 4");
  for (let turn = 0; ; turn++) {
    const now = d.current(picker);
    const button = buttonsOf(now).find((b) => b.text === region);
    if (button?.callback_data) {
      await d.tapData(now, button.callback_data);
      await h.fake.waitFor(() => buttonsOf(d.current(picker)).some((b) => b.text === `✅ ${region}`));
      break;
    }
    if (turn > 3) throw new Error(`no region ${region}`);
    const page = buttonsOf(now).find((b) => b.text.includes("/"))?.text;
    await d.tapData(now, dataOf(now, "▶"));
    await h.fake.waitFor(() => buttonsOf(d.current(picker)).find((b) => b.text.includes("/"))?.text !== page);
  }
  await d.tapData(d.current(picker), "brk:done");
  const control = await d.expectMessage("Так увидят");
  await d.tapData(control, "brk:send");
  const card = await d.expectMessage(`«${headline}» — id`);
  const id = /id <code>([^<]+)<\/code>/.exec(card.text ?? "")?.[1];
  const seq = id === undefined ? undefined : await t.articles.seqOf(id);
  if (seq === undefined) throw new Error(`no article behind ${card.text}`);
  return { d, card, seq };
}

/** Alerts sent to readers (every chat but the editor's), in the order the fake Bot API got them. */
const isAlert = (c: { method: string; payload: Record<string, unknown> }) =>
  c.method === "sendMessage" && c.payload.chat_id !== EDITOR.id;
const isCardEdit = (c: { method: string; payload: Record<string, unknown> }, card: SentMessage) =>
  c.method === "editMessageText" && c.payload.message_id === card.message_id;

/** A number on the card, its thousands separated as the locale does. */
function figure(text: string, pattern: RegExp): number {
  const found = pattern.exec(text)?.[1];
  return found === undefined ? Number.NaN : Number(found.replace(/\D/g, ""));
}

async function stop(d: ReturnType<typeof driver>, card: SentMessage, seq: number): Promise<void> {
  await d.tapData(d.current(card), dataOf(d.current(card), "Остановить"));
  await eventually(async () => (await t.articles.stats(seq)).finishedAt !== undefined, 60_000, "stopped");
}

describe("the editor's status message at the default rate", () => {
  it("is first edited after a few seconds' worth of alerts, not behind the queued alerts, and shows what had gone out", async () => {
    await manySubscribers(3_000_000, 1501, "north-ossetia");
    const { d, card, seq } = await pushBreaking("Статус успевает за рассылкой", "Северная Осетия");
    await h.fake.waitFor(() => h.fake.calls.find((c) => isCardEdit(c, card)), 60_000);
    const calls = h.fake.calls;
    const edit = calls.findIndex((c) => isCardEdit(c, card));
    const before = calls.slice(0, edit).filter(isAlert).length;
    // The first edit is due 3 s after the card: at 25/s about 75 alerts, then a slot of its own.
    // Queued behind the alerts it came after 500 and more (issue 18: at +22 s).
    expect(before).toBeLessThan(6 * RATE);
    // What it says had gone out is what had, give or take a second of sending.
    const shown = figure(String(calls[edit]?.payload.text), /Отправлено ([\d\s\u00a0\u202f]+) из/);
    expect(before - shown).toBeLessThanOrEqual(RATE);
    // And the time left is the rest at the rate, not the rest of a figure seconds old.
    const left = figure(String(calls[edit]?.payload.text), /осталось ~([\d\s\u00a0\u202f]+) с/);
    expect(left).toBeGreaterThan(((1501 - shown) / RATE) * 0.75);
    expect(left).toBeLessThan(((1501 - shown) / RATE) * 1.33);
    await stop(d, card, seq);
  }, 120_000);
});

describe("a stopped delivery on the status message", () => {
  it("accounts for every reader: delivered, not sent and failed add up to the audience", async () => {
    const audience = 3000;
    await manySubscribers(3_100_000, audience, "ingushetia");
    // Followers the alert is not for: readers of the English edition, and chats that left.
    await manySubscribers(3_200_000, 100, "ingushetia", (chat) => ({ ...chat, lang: "en", editions: "en" }));
    await manySubscribers(3_300_000, 100, "ingushetia", (chat) => ({ ...chat, active: false }));
    const { d, card, seq } = await pushBreaking("Рассылка, которую остановят на сотом", "Ингушетия");
    await eventually(async () => (await t.articles.stats(seq)).sent >= 100, 60_000, "100 alerts sent");
    await stop(d, card, seq);
    const shown = await d.expectEdited(card, /Остановлено: доставлено/, 30_000);
    const text = shown.text ?? "";
    const delivered = figure(text, /доставлено ([\d\s\u00a0\u202f]+),/);
    const notSent = figure(text, /не отправлено ([\d\s\u00a0\u202f]+),/);
    const failed = figure(text, /ошибок ([\d\s\u00a0\u202f]+)/);
    expect(delivered).toBeGreaterThanOrEqual(100);
    expect(delivered).toBeLessThan(audience);
    // No reader here has options: nobody is held for a digest or left out, so no readers' line.
    expect(text).not.toContain("По настройкам читателей");
    expect(delivered + notSent + failed).toBe(audience);
    const stats = await t.articles.stats(seq);
    expect(stats.recipients).toBe(audience);
    expect(stats.done).toBe(audience);
  }, 120_000);
});
