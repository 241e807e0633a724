import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FakeUser, makeGroup, makeUser } from "../../src/bench/fake-bot-api/chat-state.ts";
import type { SentMessage } from "../../src/bench/fake-bot-api/message-store.ts";
import type { Article } from "../../src/domain/article.ts";
import { htmlToPlain } from "../../src/domain/html.ts";
import { DEFAULT_FOREIGN_AGENT_LABEL, TEXT_LIMIT } from "../../src/domain/label.ts";
import { AuditStore } from "../../src/store/audit-store.ts";
import { CatalogStore } from "../../src/store/catalog-store.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { StaffStore } from "../../src/store/staff-store.ts";
import { SubscriptionStore } from "../../src/store/subscription-store.ts";
import { buttonData, buttonTexts, type Harness, startHarness } from "../support/bot-harness.ts";
import { articleInput, deliveryTools } from "../support/delivery-harness.ts";

const CONFIG_ADMIN = 9001;
const BOT_USERNAME = "newsbell_test_bot";

let h: Harness;
let catalog: CatalogStore;
let subs: SubscriptionStore;
let staff: StaffStore;
let audit: AuditStore;
let tools: ReturnType<typeof deliveryTools> | undefined;

// The ADMIN_IDS admin reads the bot in English; a second one (promoted in the tests) in Russian.
const admin = makeUser(CONFIG_ADMIN, {
  first_name: "Ada",
  username: "ada",
  language_code: "en",
});

beforeAll(async () => {
  h = await startHarness("admin", { role: "all", env: { ADMIN_IDS: String(CONFIG_ADMIN) } });
  const keys = redisKeys(h.config.redisPrefix);
  catalog = new CatalogStore(h.redis, keys);
  subs = new SubscriptionStore(h.redis, keys);
  staff = new StaffStore(h.redis, keys, [CONFIG_ADMIN]);
  audit = new AuditStore(h.redis, keys);
});

afterAll(async () => {
  await tools?.queues.close();
  await h.stop();
});

/** What the person sees: HTML parsed as Telegram parses it. */
function shown(message: SentMessage): string {
  const text = message.text ?? "";
  const visible = message.parse_mode?.toLowerCase() === "html" ? htmlToPlain(text) : text;
  const label = `${DEFAULT_FOREIGN_AGENT_LABEL}\n`;
  if (!visible.startsWith(label)) throw new Error(`message without the label first: ${visible}`);
  return visible.slice(label.length);
}

async function say(user: FakeUser, text: string): Promise<string> {
  const before = h.fake.messagesTo(user.id).length;
  h.fake.sendText(user, text);
  return shown(await h.fake.waitFor(() => h.fake.messagesTo(user.id)[before]));
}

/** Sends a message shaped by hand (a reply, a forward) in the user's private chat; returns the reply. */
let nextMessageId = 500_000;
async function sayWith(user: FakeUser, text: string, extra: Record<string, unknown>): Promise<string> {
  const before = h.fake.messagesTo(user.id).length;
  const command = /^\/\S+/.exec(text)?.[0];
  h.fake.queueUpdate({
    message: {
      message_id: nextMessageId++,
      from: { is_bot: false, ...user },
      chat: { id: user.id, type: "private", first_name: user.first_name },
      date: Math.floor(Date.now() / 1000),
      text,
      ...(command ? { entities: [{ type: "bot_command", offset: 0, length: command.length }] } : {}),
      ...extra,
    },
  });
  return shown(await h.fake.waitFor(() => h.fake.messagesTo(user.id)[before]));
}

/** A message in the admin's chat that forwards something `origin` wrote. */
function forwarded(by: FakeUser, origin: Record<string, unknown>) {
  return {
    message_id: nextMessageId++,
    from: { is_bot: false, ...by },
    chat: { id: by.id, type: "private", first_name: by.first_name },
    date: Math.floor(Date.now() / 1000) - 5,
    text: "a message from someone",
    forward_origin: { date: Math.floor(Date.now() / 1000) - 60, ...origin },
  };
}

/** Every message the command produced: waits until `last` appears in one of them. */
async function sayMany(user: FakeUser, text: string, last: string): Promise<SentMessage[]> {
  const before = h.fake.messagesTo(user.id).length;
  h.fake.sendText(user, text);
  return h.fake.waitFor(() => {
    const fresh = h.fake.messagesTo(user.id).slice(before);
    return fresh.some((m) => shown(m).includes(last)) ? fresh : undefined;
  });
}

const UNKNOWN = "I don't know that command. Try /help.";
const STALE = "This button no longer works. Send /start for a fresh menu.";

/** Replays callback data as `user` on `message`, as a forged or stale tap would; returns the toast. */
async function replayTap(user: FakeUser, message: SentMessage, data: string) {
  const before = h.fake.calls.length;
  const id = `forged-${nextMessageId++}`;
  h.fake.queueUpdate({
    callback_query: {
      id,
      from: { is_bot: false, ...user },
      chat_instance: "x",
      data,
      message: {
        message_id: message.message_id,
        date: message.date,
        chat: { id: message.chat_id, type: "private", first_name: "x" },
        text: message.text,
      },
    },
  });
  return h.fake.waitFor(() =>
    h.fake.calls
      .slice(before)
      .find((c) => c.method === "answerCallbackQuery" && c.payload.callback_query_id === id),
  );
}

async function tap(user: FakeUser, message: SentMessage, label: string) {
  const before = h.fake.calls.length;
  const update = h.fake.tapButton(user, message, buttonData(message, label));
  const id = (update as { callback_query: { id: string } }).callback_query.id;
  return h.fake.waitFor(() =>
    h.fake.calls
      .slice(before)
      .find((c) => c.method === "answerCallbackQuery" && c.payload.callback_query_id === id),
  );
}

const current = (message: SentMessage) => {
  const found = h.fake.messagesTo(message.chat_id).find((m) => m.message_id === message.message_id);
  if (!found) throw new Error("message vanished");
  return found;
};

describe("the catalogue", () => {
  it("lists every topic and region with its subscribers, archived ones marked, sorted by name", async () => {
    await subs.subscribe(610_001, "chechnya");
    await subs.subscribe(610_002, "chechnya");
    const entry = await catalog.get("peacekeeping");
    if (!entry) throw new Error("seed missing");
    await catalog.put({ ...entry, state: "archived" });
    try {
      const [list] = await sayMany(admin, "/catalog", "Chechnya");
      const text = shown(list as SentMessage);
      expect(text).toContain("Topics");
      expect(text).toContain("Regions");
      expect(text).toContain("• Chechnya (chechnya): 2");
      expect(text).toMatch(/• Peacekeeping \(peacekeeping\): 0 · 🗄 archived/);
      expect(text.indexOf("Abkhazia")).toBeLessThan(text.indexOf("Chechnya"));
      expect(text.indexOf("Chechnya")).toBeLessThan(text.indexOf("Dagestan"));
    } finally {
      await catalog.put(entry);
    }
  });

  it("names the catalogue in Russian for a Russian-speaking admin", async () => {
    const russian = makeUser(9002, { first_name: "Борис", language_code: "ru" });
    await staff.addAdmin({ userId: russian.id, name: "Борис" });
    try {
      const [list] = await sayMany(russian, "/catalog", "Чечня");
      const text = shown(list as SentMessage);
      expect(text).toContain("Каталог");
      expect(text).toContain("• Чечня (chechnya)");
      expect(text.indexOf("Абхазия")).toBeLessThan(text.indexOf("Дагестан"));
    } finally {
      await staff.removeAdmin(russian.id);
    }
  });

  it("splits a long catalogue into several messages, each within Telegram's limit with the label", async () => {
    for (let i = 0; i < 120; i++) {
      const n = String(i).padStart(3, "0");
      await catalog.add({
        slug: `bulk-${n}`,
        kind: "topic",
        nameRu: `Тема ${n} ${"д".repeat(50)}`,
        nameEn: `Zz bulk topic ${n} ${"x".repeat(45)}`,
        state: "archived",
      });
    }
    try {
      const messages = await sayMany(admin, "/catalog", "Zz bulk topic 119");
      expect(messages.length).toBeGreaterThan(1);
      for (const m of messages) expect(shown(m).length).toBeLessThanOrEqual(TEXT_LIMIT);
      const all = messages.map(shown).join("\n");
      for (let i = 0; i < 120; i++) expect(all).toContain(`(bulk-${String(i).padStart(3, "0")})`);
      expect(all).toContain("Chechnya");
    } finally {
      await h.redis.hdel(
        `${h.config.redisPrefix}:catalog`,
        ...Array.from({ length: 120 }, (_, i) => `bulk-${String(i).padStart(3, "0")}`),
      );
    }
  });

  it("adds a region and gives the link for the website", async () => {
    const reply = await say(admin, "/catalog add syunik region Сюникская область | Syunik Province");
    expect(reply).toContain(
      `Added region “Syunik Province” (syunik). Link for the website: t.me/${BOT_USERNAME}?start=syunik`,
    );
    expect(await catalog.get("syunik")).toEqual({
      slug: "syunik",
      kind: "region",
      nameRu: "Сюникская область",
      nameEn: "Syunik Province",
      state: "active",
    });
  });

  it("says so in Russian, naming the kind, for a Russian-speaking admin", async () => {
    const russian = makeUser(9003, { first_name: "Вера", language_code: "ru" });
    await staff.addAdmin({ userId: russian.id, name: "Вера" });
    try {
      const reply = await say(russian, "/catalog add media topic Свобода слова | Free speech");
      expect(reply).toContain(
        `Добавлена тема «Свобода слова» (media). Ссылка для сайта: t.me/${BOT_USERNAME}?start=media`,
      );
    } finally {
      await staff.removeAdmin(russian.id);
    }
  });

  it("refuses a taken slug, a malformed slug, a bad kind and missing names, changing nothing", async () => {
    const before = await catalog.all();
    expect(await say(admin, "/catalog add chechnya region Чечня | Chechnya")).toContain(
      "The slug chechnya is taken: region “Chechnya”.",
    );
    expect(await say(admin, "/catalog add Bad_Slug region А | B")).toContain("“Bad_Slug” can't be a slug");
    expect(await say(admin, "/catalog add newplace country А | B")).toContain("“country” is not a kind");
    expect(await say(admin, "/catalog add newplace region Только имя")).toContain("Give both names");
    expect(await say(admin, "/catalog add newplace region")).toContain("Give both names");
    expect(await say(admin, `/catalog add newplace region ${"я".repeat(65)} | B`)).toContain(
      "at most 64 characters",
    );
    expect(await catalog.all()).toEqual(before);
  });

  it("answers a wrong verb with the forms it knows", async () => {
    const reply = await say(admin, "/catalog delete chechnya");
    for (const form of [
      "/catalog add <slug> <topic|region> <Name ru> | <Name en>",
      "/catalog rename <slug> <Name ru> | <Name en>",
      "/catalog archive <slug>",
      "/catalog restore <slug>",
    ])
      expect(reply).toContain(form);
  });

  it("renames an entry, and says when a slug is unknown", async () => {
    expect(await say(admin, "/catalog rename nowhere Нигде | Nowhere")).toContain(
      "There is no nowhere in the catalogue",
    );
    const reply = await say(admin, "/catalog rename syunik Сюник | Syunik");
    expect(reply).toContain("Renamed syunik: “Сюникская область | Syunik Province” → “Сюник | Syunik”");
    expect(await catalog.get("syunik")).toMatchObject({ nameRu: "Сюник", nameEn: "Syunik" });
    expect(await say(admin, "/catalog rename syunik Сюник | Syunik")).toContain(
      "syunik already has these names",
    );
  });

  it("archives an entry so a deep link says it is no longer updated, and restores it with its subscribers", async () => {
    const early = makeUser(611_001, { language_code: "en" });
    const late = makeUser(611_002, { language_code: "en" });
    expect(await say(early, "/start syunik")).toContain("You are subscribed to “Syunik”");

    expect(await say(admin, "/catalog archive syunik")).toContain("Archived “Syunik” (syunik)");
    expect(await say(admin, "/catalog archive syunik")).toContain("is archived already");
    expect(await say(late, "/start syunik")).toContain("“Syunik” is no longer updated");
    expect(await subs.slugsOf(late.id, ["syunik"])).toEqual([]);
    expect(await subs.slugsOf(early.id, ["syunik"])).toEqual(["syunik"]);
    const [list] = await sayMany(admin, "/catalog", "Syunik");
    expect(shown(list as SentMessage)).toContain("• Syunik (syunik): 1 · 🗄 archived");

    expect(await say(admin, "/catalog restore syunik")).toContain("Restored “Syunik” (syunik)");
    expect(await say(admin, "/catalog restore syunik")).toContain("is not archived");
    expect(await say(late, "/start syunik")).toContain("You are subscribed to “Syunik”");
    expect(await subs.slugsOf(early.id, ["syunik"])).toEqual(["syunik"]);
    expect((await subs.counts()).get("syunik")).toBe(2);
    expect(await say(admin, "/catalog archive atlantis")).toContain("There is no atlantis in the catalogue");
  });

  it("points to restore when the slug to add is taken by an archived entry", async () => {
    await say(admin, "/catalog archive syunik");
    expect(await say(admin, "/catalog add syunik topic А | B")).toContain(
      "The slug syunik is taken: region “Syunik”, archived. /catalog restore syunik brings it back.",
    );
    await say(admin, "/catalog restore syunik");
  });
});

describe("the staff", () => {
  const editor = makeUser(9100, {
    first_name: "Eve",
    username: "eve",
    language_code: "en",
  });

  it("adds an editor by id, who can then use editor commands but no admin command", async () => {
    expect(await say(admin, "/editors add 9100")).toContain("id 9100 is now an editor");
    expect(await staff.roleOf(9100)).toBe("editor");
    expect(await say(admin, "/editors add 9100")).toContain("id 9100 is an editor already");
    for (const command of ["/catalog", "/editors", "/admins add 9100", "/stats", "/audit"])
      expect(await say(editor, command), command).toBe(UNKNOWN);
    expect(await staff.roleOf(9100)).toBe("editor");
  });

  it("lists editors and admins with names and ids, marking the ADMIN_IDS ones", async () => {
    await staff.addAdmin({ userId: 9150, name: "Paul Promoted" });
    try {
      const reply = await say(admin, "/editors");
      expect(reply).toContain("Editors (1)");
      // Added by id alone, the editor has since written to the bot: the name is the one they have.
      expect(reply).toContain("• Eve (@eve), id 9100");
      expect(reply).toContain("Admins (2)");
      expect(reply).toContain(`• Ada (@ada), id ${CONFIG_ADMIN} · ADMIN_IDS`);
      expect(reply).toContain("• Paul Promoted, id 9150");
      expect(reply.indexOf(`id ${CONFIG_ADMIN}`)).toBeLessThan(reply.indexOf("Paul Promoted"));
    } finally {
      await staff.removeAdmin(9150);
    }
  });

  it("keeps the name a staff member has now when they write, and never a reader's name", async () => {
    const renamed = makeUser(9100, { first_name: "Eve Renamed", language_code: "en" });
    await say(renamed, "/help");
    expect(await say(admin, "/editors")).toContain("• Eve Renamed, id 9100");
    const reader = makeUser(9160, { first_name: "Rita", username: "rita", language_code: "en" });
    await say(reader, "/help");
    const kept = await Promise.all(
      ["editors", "admins", "config-names"].map((k) => h.redis.hgetall(`${h.config.redisPrefix}:staff:${k}`)),
    );
    expect(JSON.stringify(kept)).not.toContain("Rita");
    expect(kept.some((hash) => "9160" in hash)).toBe(false);
  });

  it("removes an editor, and says when someone is not one", async () => {
    expect(await say(admin, "/editors remove 9100")).toContain("id 9100 is no longer an editor");
    expect(await staff.roleOf(9100)).toBe("reader");
    expect(await say(admin, "/editors remove 9100")).toContain("id 9100 is not an editor");
  });

  it("refuses ids that are not ids and explains the forms", async () => {
    expect(await say(admin, "/editors add @eve")).toContain("“@eve” is not a user id");
    expect(await say(admin, "/editors add")).toContain("/editors add <user_id>");
    expect(await say(admin, "/admins promote 5")).toContain("/admins add <user_id>");
  });

  it("takes the person from a forwarded message the command replies to, with their name", async () => {
    const reply = await sayWith(admin, "/editors add", {
      reply_to_message: forwarded(admin, { type: "user", sender_user: { is_bot: false, ...editor } }),
    });
    expect(reply).toContain("Eve (@eve), id 9100 is now an editor");
    expect(await staff.editors()).toContainEqual({ userId: 9100, name: "Eve (@eve)" });
    const list = await say(admin, "/editors");
    expect(list).toContain("• Eve (@eve), id 9100");
  });

  it("takes the sender of a replied-to message, and never the bot itself", async () => {
    const other = makeUser(9101, { first_name: "Rita", language_code: "en" });
    const reply = await sayWith(admin, "/editors add", {
      reply_to_message: {
        message_id: nextMessageId++,
        from: { is_bot: false, ...other },
        chat: { id: admin.id, type: "private", first_name: admin.first_name },
        date: 1,
        text: "hi",
      },
    });
    expect(reply).toContain("Rita, id 9101 is now an editor");
    const toBot = await sayWith(admin, "/editors remove", {
      reply_to_message: {
        message_id: 1,
        from: { id: 999000, is_bot: true, first_name: "newsbell", username: BOT_USERNAME },
        chat: { id: admin.id, type: "private", first_name: admin.first_name },
        date: 1,
        text: "an earlier answer",
      },
    });
    expect(toBot).toContain("/editors add <user_id>");
    expect(await say(admin, "/editors remove 9101")).toContain("Rita, id 9101 is no longer an editor");
  });

  it("explains a forward from someone who hides their account and asks for the numeric id", async () => {
    const reply = await sayWith(admin, "/editors add", {
      reply_to_message: forwarded(admin, { type: "hidden_user", sender_user_name: "Secret Sam" }),
    });
    expect(reply).toContain("Secret Sam hides their account in forwarded messages");
    expect(reply).toContain("Ask them for their numeric Telegram id");
    expect((await staff.editors()).map((m) => m.userId)).not.toContain(0);
  });

  it("promotes an admin, who can then run admin commands, and removes them again", async () => {
    const promoted = makeUser(9200, { first_name: "Pat", language_code: "en" });
    expect(await say(promoted, "/stats")).toBe(UNKNOWN);
    const added = await sayWith(admin, "/admins add", {
      reply_to_message: forwarded(admin, { type: "user", sender_user: { is_bot: false, ...promoted } }),
    });
    expect(added).toContain("Pat, id 9200 is now an admin");
    expect(await say(admin, "/admins add 9200")).toContain("Pat, id 9200 is an admin already");
    expect(await say(promoted, "/stats")).toContain("Statistics");
    expect(await say(promoted, "/editors add 9300")).toContain("id 9300 is now an editor");
    expect(await say(promoted, "/editors add 9200")).toContain("is an admin, and admins can do everything");

    expect(await say(promoted, `/admins remove ${CONFIG_ADMIN}`)).toContain(
      "by the server's configuration (ADMIN_IDS)",
    );
    expect(await staff.roleOf(CONFIG_ADMIN)).toBe("admin");
    expect(await say(promoted, "/admins remove 9200")).toContain("You can't remove yourself");
    expect(await staff.roleOf(9200)).toBe("admin");

    expect(await say(admin, "/admins remove 9200")).toContain("Pat, id 9200 is no longer an admin");
    expect(await say(promoted, "/stats")).toBe(UNKNOWN);
    expect(await say(admin, "/admins remove 9200")).toContain("is not an admin");
    expect(await say(admin, "/editors remove 9300")).toContain("no longer an editor");
  });

  it("keeps an editor who was also promoted an editor when the admin rights go, and the other way round", async () => {
    await say(admin, "/editors add 9400");
    await say(admin, "/admins add 9400");
    expect(await say(admin, "/admins remove 9400")).toContain(
      "id 9400 is no longer an admin. They are still an editor.",
    );
    expect(await staff.roleOf(9400)).toBe("editor");
    await say(admin, "/admins add 9400");
    expect(await say(admin, "/editors remove 9400")).toContain(
      "id 9400 is no longer an editor. They are still an admin",
    );
    expect(await staff.roleOf(9400)).toBe("admin");
    expect(await say(admin, "/editors remove 9400")).toContain("id 9400 is not an editor but an admin");
    await say(admin, "/admins remove 9400");
    expect(await staff.roleOf(9400)).toBe("reader");
  });

  it("refuses a bot as staff", async () => {
    const reply = await sayWith(admin, "/editors add", {
      reply_to_message: forwarded(admin, {
        type: "user",
        sender_user: { id: 4242, is_bot: true, first_name: "Other bot" },
      }),
    });
    expect(reply).toContain("Bots can't be editors or admins");
    expect(await staff.roleOf(4242)).toBe("reader");
  });
});

describe("strangers and groups", () => {
  const stranger = makeUser(9666, { first_name: "Mallory", language_code: "en" });

  it("answers a stranger's every admin command as an unknown command and changes nothing", async () => {
    const catalogBefore = await catalog.all();
    const editorsBefore = await staff.editors();
    const adminsBefore = await staff.admins();
    const auditBefore = (await audit.page(0, 100)).entries.length;
    for (const command of [
      "/catalog",
      "/catalog add evil region Зло | Evil",
      "/catalog rename chechnya Х | X",
      "/catalog archive chechnya",
      "/catalog restore peacekeeping",
      "/editors",
      "/editors add 9666",
      "/editors remove 9100",
      "/admins",
      "/admins add 9666",
      `/admins remove ${CONFIG_ADMIN}`,
      "/stats",
      "/audit",
    ])
      expect(await say(stranger, command), command).toBe(UNKNOWN);
    const reply = await sayWith(stranger, "/admins add", {
      reply_to_message: forwarded(stranger, { type: "user", sender_user: { is_bot: false, ...stranger } }),
    });
    expect(reply).toBe(UNKNOWN);
    expect(await catalog.all()).toEqual(catalogBefore);
    expect(await staff.editors()).toEqual(editorsBefore);
    expect(await staff.admins()).toEqual(adminsBefore);
    expect(await staff.roleOf(stranger.id)).toBe("reader");
    expect((await audit.page(0, 100)).entries.length).toBe(auditBefore);
  });

  it("ignores admin commands in groups, even from an admin who administers the group", async () => {
    const group = makeGroup(-100_555);
    // In a group the bot answers none but the group's admins, so /help below is answered.
    h.fake.setChatMemberStatus(group.id, admin.id, "administrator");
    const before = h.fake.messagesTo(group.id).length;
    for (const command of ["/catalog", "/catalog archive chechnya", "/editors add 5", "/stats", "/audit"])
      h.fake.sendText(admin, command, group);
    // Updates of one chat are handled in order: the answer to /help comes after all of the above.
    h.fake.sendText(admin, "/help", group);
    const first = await h.fake.waitFor(() => h.fake.messagesTo(group.id)[before]);
    expect(shown(first)).toContain("/topics");
    expect(h.fake.messagesTo(group.id).length).toBe(before + 1);
    expect(await catalog.get("chechnya")).toMatchObject({ state: "active" });
    expect(await staff.roleOf(5)).toBe("reader");
  });
});

describe("statistics", () => {
  it("shows chats, subscriptions, alerts and failures by reason, queues, feeds and the latest delivery errors", async () => {
    tools = deliveryTools(h);
    await tools.subscriber(620_001, ["ingushetia"]);
    await tools.subscriber(620_002, ["ingushetia"]);
    await tools.subscriber(-620_003, ["ingushetia"]);
    await tools.subscriber(620_004, ["ingushetia"], { active: false });
    await tools.subscriber(620_005, ["ingushetia"]);
    h.fake.blockChat(620_002);
    h.fake.inject({
      method: "sendMessage",
      chatId: 620_005,
      error: { code: 400, description: "Bad Request: <odd> & refused" },
    });
    const { stats } = await tools.publishAndWait(articleInput({ regions: ["ingushetia"] }));
    expect(stats.sent).toBe(2);

    const reply = await say(admin, "/stats");
    expect(reply).toMatch(
      /Chats: [\d,]+ \(active [\d,]+, inactive [1-9][\d,]*; private [\d,]+, groups [1-9]/,
    );
    expect(reply).toMatch(/Subscriptions: [\d,]+/);
    expect(reply).toContain("Most followed:");
    expect(reply).toMatch(/1\. Ingushetia: 5/);
    expect(reply).toContain("Last 24 h: articles 1, alerts sent 2, failed 2 (50%)");
    expect(reply).toContain("Last 7 days: articles 1, alerts sent 2, failed 2 (50%)");
    expect(reply).toMatch(
      /failures: (blocked the bot 1, refused by Telegram 1|refused by Telegram 1, blocked the bot 1)/,
    );
    expect(reply).toMatch(/Queues: \d+ jobs \(fan-out \d+, delivery \d+, feeds \d+/);
    // The digest clock's next tick is no job waiting to be done.
    expect(reply).toMatch(/readers' digests 0\)/);
    // No FEEDS_FILE here: none are configured, rather than "none polled yet".
    expect(reply).toContain("Feeds: none configured (FEEDS_FILE is not set)");
    expect(reply).not.toContain("none polled yet");
    expect(reply).toMatch(
      /Latest delivery errors:\n\s+• \w{3} \d{1,2}, \d{1,2}:\d\d [AP]M · chat 620005 · #\d+ · refused by Telegram: Bad Request: <odd> & refused$/,
    );
  });

  it("counts an article from three days ago in the week's figures only", async () => {
    if (!tools) throw new Error("the delivery test runs first");
    const threeDaysAgo = new Date(Date.now() - 3 * 24 * 3600_000).toISOString();
    const old = articleInput({ regions: ["ingushetia"] }) as unknown as Article;
    const { seq } = await tools.articles.record(old, threeDaysAgo);
    await tools.deliveries.settle(
      seq,
      630_001,
      { kind: "sent", messageId: 1, chatId: 630_001 },
      threeDaysAgo,
    );
    await tools.deliveries.settle(seq, 630_002, { kind: "failed", reason: "blocked" }, threeDaysAgo);
    const reply = await say(admin, "/stats");
    expect(reply).toContain("Last 24 h: articles 1, alerts sent 2, failed 2 (50%)");
    expect(reply).toContain("Last 7 days: articles 2, alerts sent 3, failed 3 (50%)");
    expect(reply).toMatch(/Last 7 days.*\n\s+failures: blocked the bot 2, refused by Telegram 1/);
  });

  it("reports feeds that are down with their last error and when they last worked", async () => {
    const keys = redisKeys(h.config.redisPrefix);
    const { FeedStore } = await import("../../src/store/feed-store.ts");
    const feeds = new FeedStore(h.redis, keys);
    await feeds.recordSuccess("kavkaz-ru", "https://a.example/rss");
    await feeds.recordSuccess(
      "kavkaz-en",
      "https://b.example/rss",
      undefined,
      Date.parse("2026-01-15T09:30:00Z"),
    );
    for (let i = 0; i < 3; i++)
      await feeds.recordFailure("kavkaz-en", "HTTP 503", 3, () => Date.now() + 60_000);
    const reply = await say(admin, "/stats");
    expect(reply).toContain("Feeds: 1 of 2 working");
    expect(reply).toContain(
      "⚠️ kavkaz-en: down, 3 failed polls in a row; last error: HTTP 503; last worked: Jan 15, 12:30",
    );
  });
});

describe("the audit trail", () => {
  it("shows every role and catalogue change newest first, in the admin's time zone, with who did what", async () => {
    const { entries } = await audit.page(0, 200);
    const actions = entries.map((e) => e.action);
    for (const action of [
      "catalog-add",
      "catalog-rename",
      "catalog-archive",
      "catalog-restore",
      "editor-add",
      "editor-remove",
      "admin-add",
      "admin-remove",
    ])
      expect(actions, action).toContain(action);
    expect(entries.find((e) => e.action === "catalog-add" && e.subject === "syunik")).toMatchObject({
      actorId: CONFIG_ADMIN,
      actorName: "Ada (@ada)",
      detail: "Сюникская область | Syunik Province",
    });
    // The person is named when known (from a forwarded message), else the id alone says who.
    const editorAdds = entries.filter((e) => e.action === "editor-add" && e.subject === "9100");
    expect(editorAdds.map((e) => e.detail)).toEqual(["Eve (@eve)", undefined]);
    // Newest first.
    const times = entries.map((e) => Date.parse(e.at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);

    await say(admin, "/catalog rename syunik Сюникская область | Syunik Province");
    const before = h.fake.messagesTo(admin.id).length;
    h.fake.sendText(admin, "/audit");
    const page = await h.fake.waitFor(() => h.fake.messagesTo(admin.id)[before]);
    const text = shown(page);
    expect(text).toContain("Audit trail, newest first · page 1");
    const lines = text.split("\n").filter((l) => l.startsWith("• "));
    expect(lines).toHaveLength(10);
    expect(lines[0]).toMatch(
      /^• \w{3} \d{1,2}, \d{1,2}:\d\d [AP]M · Ada \(@ada\), id 9001 · renamed in the catalogue · syunik · Сюник \| Syunik → Сюникская область \| Syunik Province$/,
    );
    // The time is the admin's (Moscow, UTC+3).
    const newest = (await audit.page(0, 1)).entries[0];
    const moscow = new Date(Date.parse(newest?.at ?? "") + 3 * 3600_000);
    // In the English clock, as every time the bot shows in English.
    const hour = moscow.getUTCHours();
    expect(lines[0]).toContain(
      `${hour % 12 || 12}:${String(moscow.getUTCMinutes()).padStart(2, "0")} ${hour < 12 ? "AM" : "PM"}`,
    );
    expect(buttonTexts(page)).toEqual(["▶"]);
  });

  it("pages back and forth with ◀ ▶, editing the message", async () => {
    const total = (await audit.page(0, 500)).entries.length;
    const before = h.fake.messagesTo(admin.id).length;
    h.fake.sendText(admin, "/audit");
    const page = await h.fake.waitFor(() => h.fake.messagesTo(admin.id)[before]);
    const firstLines = shown(page)
      .split("\n")
      .filter((l) => l.startsWith("• "));

    await tap(admin, page, "▶");
    await h.fake.waitFor(() => shown(current(page)).includes("page 2"));
    const second = shown(current(page))
      .split("\n")
      .filter((l) => l.startsWith("• "));
    expect(second).toHaveLength(Math.min(10, total - 10));
    expect(second[0]).not.toBe(firstLines[0]);
    expect(buttonTexts(current(page))).toContain("◀");
    expect(h.fake.messagesTo(admin.id).length).toBe(before + 1);

    await tap(admin, current(page), "◀");
    await h.fake.waitFor(() => shown(current(page)).includes("page 1"));
    expect(
      shown(current(page))
        .split("\n")
        .filter((l) => l.startsWith("• ")),
    ).toEqual(firstLines);
  });

  it("answers a stranger replaying a page button as a stale button and shows them nothing", async () => {
    const stranger = makeUser(9667, { language_code: "en" });
    const before = h.fake.messagesTo(admin.id).length;
    h.fake.sendText(admin, "/audit");
    const page = await h.fake.waitFor(() => h.fake.messagesTo(admin.id)[before]);
    const text = page.text;
    const edits = page.edits;
    for (const data of ["adm:audit:1", "adm:audit:0", "adm:audit:999"]) {
      const answer = await replayTap(stranger, page, data);
      expect(answer.payload.text).toBe(STALE);
    }
    expect(current(page).text).toBe(text);
    expect(current(page).edits).toBe(edits);
    expect(h.fake.messagesTo(stranger.id)).toHaveLength(0);
  });

  it("re-checks rights on every tap: an admin removed since gets the stale answer", async () => {
    const former = makeUser(9201, { first_name: "Fay", language_code: "en" });
    await say(admin, "/admins add 9201");
    const before = h.fake.messagesTo(former.id).length;
    h.fake.sendText(former, "/audit");
    const page = await h.fake.waitFor(() => h.fake.messagesTo(former.id)[before]);
    await say(admin, "/admins remove 9201");
    const answer = await tap(former, page, "▶");
    expect(answer.payload.text).toBe(STALE);
    expect(current(page).edits).toBe(0);
  });

  it("shows an empty page, with the way back, past the end", async () => {
    const before = h.fake.messagesTo(admin.id).length;
    h.fake.sendText(admin, "/audit");
    const page = await h.fake.waitFor(() => h.fake.messagesTo(admin.id)[before]);
    const answer = await replayTap(admin, page, "adm:audit:900");
    expect(answer.payload.text).toBeUndefined();
    await h.fake.waitFor(() => shown(current(page)).includes("page 901"));
    expect(shown(current(page))).toContain("No entries on this page.");
    expect(buttonTexts(current(page))).toEqual(["◀"]);
  });
});
