import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningWorkers, startWorkers } from "../../jobs/workers.ts";
import { makeUser } from "../../src/bench/fake-bot-api/chat-state.ts";
import { scheduledJobId } from "../../src/delivery/queues.ts";
import { newChat } from "../../src/domain/chat.ts";
import { dayAndTime } from "../../src/domain/clock.ts";
import { createLogger } from "../../src/logger.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { ScheduledPushStore } from "../../src/store/scheduled-pushes.ts";
import { type Harness, startHarness } from "../support/bot-harness.ts";
import { deliveryTools } from "../support/delivery-harness.ts";
import { eventually } from "../support/eventually.ts";
import { buttonsOf, dataOf, driver } from "../support/newsroom-driver.ts";

// An admin by configuration is an editor too. Their own chat is set to a zone other than the
// configured default, so every time shown is seen to be in it.
const EDITOR = makeUser(9700, { language_code: "ru", first_name: "Editor" });
const ZONE = "Asia/Vladivostok";

let h: Harness;
let t: ReturnType<typeof deliveryTools>;
let workers: RunningWorkers;
let store: ScheduledPushStore;
/** The workers' clock runs this far ahead of the real one: tests move it to a push's time. */
let offsetMs = 0;
const startTheWorkers = () =>
  startWorkers(h.config, createLogger("silent"), {
    now: () => DateTime.utc().plus({ milliseconds: offsetMs }),
  });

beforeAll(async () => {
  h = await startHarness("scheduled-pushes", {
    role: "bot",
    env: { ADMIN_IDS: String(EDITOR.id), SEND_RATE: "1000", PAID_BROADCAST: "true" },
  });
  t = deliveryTools(h);
  t.queues.scheduled.on("error", () => undefined);
  store = new ScheduledPushStore(h.redis, redisKeys(h.config.redisPrefix));
  await t.chats.save(newChat(EDITOR.id, "private", "ru", ZONE));
  await t.subscriber(9701, ["chechnya"]);
  await t.subscriber(9702, ["chechnya", "dagestan"]);
  await t.subscriber(9703, ["dagestan"]);
  workers = await startTheWorkers();
});

afterAll(async () => {
  await workers.close();
  await t.queues.close();
  await h.stop();
});

type Driver = ReturnType<typeof driver>;

/** Runs /breaking for Chechnya to the preview; returns the preview's control message. */
async function draftToPreview(d: Driver, headline: string) {
  await d.sayAndExpect("/breaking", "Шаг 1 из 4");
  await d.sayAndExpect(headline, "Шаг 2 из 4");
  await d.sayAndExpect("-", "Шаг 3 из 4");
  const picker = await d.sayAndExpect("https://www.kavkaz-uzel.eu/articles/scheduled/", "Шаг 4 из 4");
  // Chechnya is on the page of regions the picker turns to, as a person would.
  for (
    let turn = 0;
    !buttonsOf(d.current(picker)).some((b) => b.callback_data === "brk:slug:chechnya");
    turn++
  ) {
    if (turn > 4) throw new Error("no Chechnya among the regions");
    const page = buttonsOf(d.current(picker)).find((b) => b.text.includes("/"))?.text;
    await d.tapData(d.current(picker), dataOf(d.current(picker), "▶"));
    await h.fake.waitFor(() => buttonsOf(d.current(picker)).find((b) => b.text.includes("/"))?.text !== page);
  }
  await d.tapData(d.current(picker), "brk:slug:chechnya");
  await d.expectEdited(picker, "Чечня");
  await d.tapData(d.current(picker), "brk:done");
  return d.expectMessage("Так увидят");
}

/** Schedules a push through the dialog with a typed time; returns its id and the confirmation. */
async function schedule(d: Driver, headline: string, when: string) {
  const control = await draftToPreview(d, headline);
  await d.tapData(control, "brk:schedule");
  await d.expectMessage("Когда отправить?");
  const done = await d.sayAndExpect(when, "Запланировано");
  const id = /id <code>([^<]+)<\/code>/.exec(done.text ?? "")?.[1];
  if (!id) throw new Error(`no id in ${done.text}`);
  return { id, done };
}

const jobOf = (id: string) => t.queues.scheduled.getJob(scheduledJobId(id));
const alerts = (chatId: number, headline: string) =>
  h.fake.messagesTo(chatId).filter((m) => m.text?.startsWith(`🔴 <b>${headline}`));
const auditText = async () => JSON.stringify(await h.redis.xrange(`${h.config.redisPrefix}:audit`, "-", "+"));

/** Opens a push from /scheduled and returns its card. */
async function openFromList(d: Driver, id: string) {
  const list = await d.sayAndExpect("/scheduled", "Отложенные отправки");
  const n = list.text
    ?.split("\n")
    .find((line) => line.includes(id))
    ?.split(".")[0];
  await d.tapData(list, dataOf(list, `🕒 ${n}`));
  return d.expectMessage(`id <code>${id}</code>`);
}

describe("scheduled pushes", () => {
  it("refuses a time past, over a week ahead or unreadable with the reason, then sends the push at its time, once, to the chats the preview counted, across a restart of the workers", async () => {
    const d = driver(h, EDITOR);
    const control = await draftToPreview(d, "Отложенная новость");
    expect(control.text).toContain("Так увидят 2 чата (Чечня)");
    expect(buttonsOf(control).map((b) => b.text)).toEqual([
      "🔴 Отправить",
      "🕒 Запланировать",
      "✏️ Изменить",
      "Отмена",
    ]);
    await d.tapData(control, "brk:schedule");
    const ask = await d.expectMessage("Когда отправить?");
    expect(ask.text).toContain(ZONE);
    expect(buttonsOf(ask).map((b) => b.text)).toEqual(
      expect.arrayContaining([
        "+15 мин",
        "+1 ч",
        "◀ К предпросмотру",
        expect.stringMatching(/^Завтра 9:00$|^Завтра 09:00$/),
      ]),
    );
    const unreadable = await d.say("скоро");
    expect(unreadable.text).toContain("Не понимаю это время");
    const past = DateTime.now().setZone(ZONE).minus({ hours: 1 }).toFormat("yyyy-LL-dd HH:mm");
    expect((await d.say(past)).text).toContain("Это время уже прошло");
    const tooFar = await d.say("+200 ч");
    expect(tooFar.text).toContain("дальше чем на 7 дней");
    const done = await d.sayAndExpect("+2 мин", "Запланировано");
    const id = /id <code>([^<]+)<\/code>/.exec(done.text ?? "")?.[1] ?? "";
    const push = await store.get(id);
    if (!push) throw new Error("the push was not kept");
    expect(push.atMs - Date.now()).toBeGreaterThan(55_000);
    expect(push.atMs - Date.now()).toBeLessThanOrEqual(120_000);
    expect(done.text).toContain(
      `${dayAndTime(DateTime.fromMillis(push.atMs, { zone: ZONE }), "ru")} (${ZONE})`,
    );
    expect(await (await jobOf(id))?.getState()).toBe("delayed");

    const listed = await d.sayAndExpect("/scheduled", "Отложенные отправки");
    expect(listed.text).toContain("Отложенная новость");
    const recent = await d.sayAndExpect("/recent", "Статьи");
    expect(recent.text).toContain(`🕒 Отложенная новость — <code>${id}</code>`);

    // Woken early (a promote, a skewed clock), the job goes back to waiting and sends nothing.
    await (await jobOf(id))?.promote();
    await eventually(async () => (await (await jobOf(id))?.getState()) === "delayed");
    expect(alerts(9701, "Отложенная новость")).toHaveLength(0);

    await workers.close();
    workers = await startTheWorkers();
    offsetMs = push.atMs - Date.now() + 1000;
    await (await jobOf(id))?.promote();
    for (const chatId of [9701, 9702]) await h.fake.waitFor(() => alerts(chatId, "Отложенная новость")[0]);
    const card = await d.expectMessage(`«Отложенная новость» — id <code>${id}</code>`);
    await d.expectEdited(card, /Доставлено 2, не доставлено 0/);
    const seq = await t.articles.seqOf(id);
    const article = seq === undefined ? undefined : await t.articles.get(seq);
    // Published at its time on the workers' clock, not when it was scheduled.
    expect(Math.abs(Date.parse(article?.publishedAt ?? "") - push.atMs)).toBeLessThan(10_000);

    // A job queued again for it (a failover replaying it) publishes nothing twice.
    await t.queues.scheduled.add("publish-scheduled", { id }, { jobId: scheduledJobId(id) });
    await eventually(async () => (await jobOf(id)) === undefined);
    await new Promise((r) => setTimeout(r, 300));
    expect(alerts(9701, "Отложенная новость")).toHaveLength(1);
    expect(alerts(9702, "Отложенная новость")).toHaveLength(1);
    expect(alerts(9703, "Отложенная новость")).toHaveLength(0);
    expect(await store.get(id)).toBeUndefined();
    const audit = await auditText();
    expect(audit).toContain('"schedule"');
    expect(audit).toContain('"push"');
  });

  it("moves a push to another time and sends it now from /scheduled", async () => {
    const d = driver(h, EDITOR);
    const { id } = await schedule(d, "Перенесённая новость", "+1 ч");
    const first = (await store.get(id))?.atMs ?? 0;
    const card = await openFromList(d, id);
    expect(card.text).toContain("сейчас 2 чата");
    expect(buttonsOf(card).map((b) => b.text)).toEqual([
      "🔴 Отправить сейчас",
      "🕒 Перенести",
      "✏️ Изменить",
      "🗑 Отменить отправку",
    ]);
    await d.tapData(card, dataOf(card, "Перенести"));
    const ask = await d.expectMessage("Когда отправить?");
    await d.tapData(ask, "brk:in:15");
    const saved = await d.expectMessage("Сохранено");
    const moved = (await store.get(id))?.atMs ?? 0;
    expect(first - moved).toBeGreaterThan(40 * 60_000);
    expect(saved.text).toContain(dayAndTime(DateTime.fromMillis(moved, { zone: ZONE }), "ru"));
    const job = await jobOf(id);
    expect(Math.abs((job?.timestamp ?? 0) + (job?.delay ?? 0) - moved)).toBeLessThan(5000);
    expect(await auditText()).toContain('"schedule-time"');

    const again = await openFromList(d, id);
    await d.tapData(again, dataOf(again, "Отправить сейчас"));
    await d.expectMessage("Отправляю сейчас");
    for (const chatId of [9701, 9702]) await h.fake.waitFor(() => alerts(chatId, "Перенесённая новость")[0]);
    await d.expectMessage(`«Перенесённая новость» — id <code>${id}</code>`);
    // Dropped right after its status message went out.
    await eventually(async () => (await store.get(id)) === undefined);
    // The buttons of its first card find it gone.
    const answer = await d.tapData(d.current(card), dataOf(d.current(card), "Перенести"));
    expect(answer.payload.text).toContain("больше не запланирована");
  });

  it("edits a push with the dialog's steps, and cancels it so it never goes", async () => {
    const d = driver(h, EDITOR);
    const { id } = await schedule(d, "Черновой заголовок", "завтра 9:00");
    const card = await openFromList(d, id);
    await d.tapData(card, dataOf(card, "Изменить"));
    const what = await d.expectMessage("Что изменить?");
    await d.tapData(what, "brk:edit-headline");
    await d.expectMessage("новый заголовок");
    const control = await d.sayAndExpect("Чистовой заголовок", "Так увидят");
    expect(control.text).toContain("Запланировано на");
    expect(buttonsOf(control).map((b) => b.text)).toContain("💾 Сохранить");
    await d.tapData(control, "brk:save");
    await d.expectMessage("Сохранено: «Чистовой заголовок»");
    expect((await store.get(id))?.draft.headline).toBe("Чистовой заголовок");

    // A push whose job was lost is given one back when the workers start.
    await (await jobOf(id))?.remove();
    await workers.close();
    workers = await startTheWorkers();
    expect(await (await jobOf(id))?.getState()).toBe("delayed");

    const opened = await openFromList(d, id);
    await d.tapData(opened, dataOf(opened, "Отменить отправку"));
    const confirm = await d.expectMessage("Новость не уйдёт");
    await d.tapData(confirm, dataOf(confirm, "Да, отменить"));
    await d.expectMessage("Отменено");
    expect(await store.get(id)).toBeUndefined();
    expect(await jobOf(id)).toBeUndefined();
    expect((await d.sayAndExpect("/scheduled", "Отложенных отправок нет")).text).toBeDefined();
    const audit = await auditText();
    expect(audit).toContain('"schedule-edit"');
    expect(audit).toContain('"schedule-cancel"');
    // Sent now by a stale button, or by its job were it still queued: nothing goes.
    await t.queues.scheduled.add("publish-scheduled", { id }, { jobId: scheduledJobId(id) });
    await eventually(async () => (await jobOf(id)) === undefined);
    expect(alerts(9701, "Чистовой заголовок")).toHaveLength(0);
  });

  it("tells the editor when a push can no longer be published at its time, and drops it", async () => {
    const d = driver(h, EDITOR);
    const { id } = await schedule(d, "Новость из архивного региона", "+1 ч");
    // Its region was archived after it was scheduled.
    const push = await store.get(id);
    const entry = await t.catalog.get("chechnya");
    if (!push || !entry) throw new Error("no push or no region");
    await t.catalog.put({ ...entry, state: "archived" });
    try {
      offsetMs = push.atMs - Date.now() + 1000;
      await (await jobOf(id))?.promote();
      const told = await d.expectMessage("не ушла");
      expect(told.text).toContain("Новость из архивного региона");
      expect(told.text).toContain("archived");
      await eventually(async () => (await store.get(id)) === undefined);
      expect(await t.articles.seqOf(id)).toBeUndefined();
    } finally {
      await t.catalog.put(entry);
    }
  });
});
