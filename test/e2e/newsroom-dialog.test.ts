import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { makeUser } from "../../src/bench/fake-bot-api/chat-state.ts";
import { createLogger } from "../../src/logger.ts";
import { startApp } from "../../src/main.ts";
import { type Harness, startHarness } from "../support/bot-harness.ts";
import { eventually } from "../support/eventually.ts";
import { buttonsOf, driver } from "../support/newsroom-driver.ts";

// An admin by configuration is an editor too.
const EDITOR = makeUser(9500, { language_code: "en", first_name: "Editor" });

let h: Harness;

beforeAll(async () => {
  h = await startHarness("newsroom-dialog", { env: { ADMIN_IDS: String(EDITOR.id) } });
});

afterAll(async () => {
  await h.stop();
});

describe("the /breaking dialog over time", () => {
  it("ends a draft left idle for 15 minutes and answers the next message with that notice alone", async () => {
    const d = driver(h, EDITOR);
    await d.sayAndExpect("/breaking", "Step 1 of 4");
    await d.sayAndExpect("A headline left waiting", "Step 2 of 4");
    // The step is saved once the wait for the teaser started its timer: only then may time pass.
    const stateKey = `${h.config.redisPrefix}:dialog:${EDITOR.id}`;
    await eventually(async () => ((await h.redis.get(stateKey)) ?? "").includes("A headline left waiting"));
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      vi.setSystemTime(Date.now() + 16 * 60 * 1000);
      const expired = await d.sayAndExpect("A teaser typed much later", "waited 15 minutes");
      expect(expired.text).toContain("Nothing was sent");
    } finally {
      vi.useRealTimers();
    }
    // The late text was not taken as an answer, and gets no second reply: the next command is
    // answered right after the notice (updates of one chat are handled in order).
    const count = d.messages().length;
    await d.sayAndExpect("/id", "Your Telegram user id");
    const since = d.messages().slice(count - 1);
    expect(since.map((m) => m.text ?? "")).toEqual([
      expect.stringContaining("waited 15 minutes"),
      expect.stringContaining("Your Telegram user id"),
    ]);
    expect(d.messages().some((m) => m.text?.includes("I only understand commands and buttons"))).toBe(false);
  });

  // The stop comes right after the reply, while the old app still saves the dialog's step: a stop
  // that closed Redis without waiting for the update in hand lost that step.
  it("continues where the editor was after the bot restarts mid-dialog", async () => {
    const d = driver(h, EDITOR);
    await d.sayAndExpect("/breaking", "Step 1 of 4");
    await d.sayAndExpect("A headline before the restart", "Step 2 of 4");
    await h.app.stop();
    const restarted = await startApp(h.config, "bot", createLogger("silent"));
    h.app = restarted;
    await d.sayAndExpect("A teaser after the restart", "Step 3 of 4");
    await d.sayAndExpect("https://www.kavkaz-uzel.eu/articles/restart/", "Step 4 of 4");
    const quit = await d.say("/cancel");
    expect(quit.text).toContain("Draft closed: the breaking news was not sent.");
  });
  it("closes a draft after 5 headlines that do not fit, saying so once, its stored state the size of one answer meanwhile", async () => {
    const d = driver(h, EDITOR);
    const stateKey = `${h.config.redisPrefix}:dialog:${EDITOR.id}`;
    await d.sayAndExpect("/breaking", "Step 1 of 4");
    const replies: string[] = [];
    const sizes: number[] = [];
    for (let i = 1; i <= 20; i++) {
      replies.push((await d.say(`${i} ${"A very long headline ".repeat(15)}`)).text ?? "");
      // The state is saved (or, at the end, deleted) just after the reply.
      if (i === 5) await eventually(async () => (await h.redis.strlen(stateKey)) === 0);
      else await new Promise((r) => setTimeout(r, 50));
      sizes.push(await h.redis.strlen(stateKey));
    }
    for (const reply of replies.slice(0, 5)) expect(reply).toContain("longer than 300 characters");
    expect(replies[4]).toContain("Too many tries at one question: the dialog is closed. Nothing was sent.");
    for (const reply of replies.slice(5)) expect(reply).toContain("I only understand commands and buttons");
    // Closed by the cap, not by the idle timeout: no second notice.
    expect(d.messages().filter((m) => m.text?.includes("waited 15 minutes"))).toHaveLength(1);
    // Each wrong answer is rewound out of the stored dialog (it was 1.4 KB more per answer).
    const open = sizes.slice(0, 4);
    expect(Math.max(...open) - Math.min(...open)).toBeLessThan(64);
    expect(Math.max(...open)).toBeLessThan(8 * 1024);
    expect(sizes.slice(4)).toEqual(sizes.slice(4).map(() => 0));
  });
});

describe("the /breaking dialog's words", () => {
  it("takes a link typed without https://, and says what is wrong with a headline or a link it refuses", async () => {
    const d = driver(h, EDITOR);
    await d.sayAndExpect("/breaking", "Step 1 of 4");
    const long = await d.say("x".repeat(316));
    expect(long.text).toContain("longer than 300 characters: it has 316 characters");
    await d.sayAndExpect("A headline of fair length", "Step 2 of 4");
    await d.sayAndExpect("-", "Step 3 of 4");
    const spaced = await d.say("https://www.kavkaz-uzel.eu/articles/1 2");
    expect(spaced.text).toContain("has a space or a line break");
    const ftp = await d.say("ftp://kavkaz-uzel.eu/articles/1");
    expect(ftp.text).toContain("starts with “ftp:”");
    const picker = await d.sayAndExpect("kavkaz-uzel.eu/articles/1", "Step 4 of 4");
    // Nothing is chosen yet: said so, with no names and no "0 chats".
    expect(picker.text).toContain("Nothing chosen yet");
    expect(picker.text).not.toMatch(/—\s*—|0 chats/);
    await d.tapData(d.current(picker), "brk:kind:topic");
    await d.tapData(
      d.current(picker),
      buttonsOf(d.current(picker)).find((b) => b.callback_data?.startsWith("brk:slug:"))?.callback_data ?? "",
    );
    await d.expectEdited(picker, "Chosen:");
    await d.tapData(d.current(picker), "brk:done");
    await d.expectMessage("This is how");
    // The link typed without a scheme went out as https.
    expect(d.messages().some((m) => m.text?.includes('href="https://kavkaz-uzel.eu/articles/1"'))).toBe(true);
    const quit = await d.say("/cancel");
    expect(quit.text).toContain("Draft closed: the breaking news was not sent.");
  });
});

describe("the /breaking dialog's stored state", () => {
  it("stays the size of one tap and one preview round however many taps and edits the editor makes", async () => {
    const d = driver(h, EDITOR);
    const stateKey = `${h.config.redisPrefix}:dialog:${EDITOR.id}`;
    const settled = async () => {
      // The state is saved after the last reply of an update.
      await new Promise((r) => setTimeout(r, 50));
      return h.redis.strlen(stateKey);
    };
    await d.sayAndExpect("/breaking", "Step 1 of 4");
    await d.sayAndExpect("A headline chosen with many taps", "Step 2 of 4");
    await d.sayAndExpect("-", "Step 3 of 4");
    const picker = await d.sayAndExpect("https://www.kavkaz-uzel.eu/articles/taps/", "Step 4 of 4");
    const tapSizes: number[] = [];
    const data = (prefix: string, not = "brk:slug:chechnya") =>
      buttonsOf(d.current(picker)).find((b) => b.callback_data?.startsWith(prefix) && b.callback_data !== not)
        ?.callback_data;
    for (let i = 0; i < 30; i++) {
      // Turn a page, choose a topic or region, switch between topics and regions.
      const otherKind = buttonsOf(d.current(picker)).find(
        (b) => b.callback_data?.startsWith("brk:kind:") && !b.text.startsWith("✅"),
      )?.callback_data;
      const tap = [data("brk:page:") ?? otherKind, data("brk:slug:"), otherKind][i % 3];
      if (!tap) throw new Error("no button to tap");
      await d.tapData(d.current(picker), tap);
      tapSizes.push(await settled());
    }
    for (let turn = 0; !data("brk:slug:chechnya", ""); turn++) {
      if (turn > 4) throw new Error("no Chechnya among the regions");
      const otherKind = data("brk:kind:region", "");
      const before = d.current(picker).reply_markup;
      await d.tapData(d.current(picker), otherKind && turn === 0 ? otherKind : (data("brk:page:") ?? ""));
      await h.fake.waitFor(() => d.current(picker).reply_markup !== before || undefined);
    }
    await d.tapData(d.current(picker), "brk:slug:chechnya");
    await d.expectEdited(picker, "Chechnya");
    await d.tapData(d.current(picker), "brk:done");
    let control = await d.expectMessage("This is how");
    const roundSizes = [await settled()];
    for (let round = 1; round <= 10; round++) {
      await d.tapData(control, "brk:edit");
      const ask = await d.expectMessage("What do you want to change?");
      await d.tapData(ask, "brk:edit-headline");
      await d.expectMessage("Send the new headline");
      control = await d.sayAndExpect(`Headline, take ${round}`, "This is how");
      roundSizes.push(await settled());
    }
    expect(d.messages().some((m) => m.text?.startsWith("🔴 <b>Headline, take 10</b>"))).toBe(true);
    expect(Math.max(...tapSizes) - Math.min(...tapSizes)).toBeLessThan(1024);
    expect(Math.max(...roundSizes) - Math.min(...roundSizes)).toBeLessThan(1024);
    await d.tapData(control, "brk:cancel");
    await d.expectMessage("Draft discarded");
    await eventually(async () => (await h.redis.strlen(stateKey)) === 0);
    const session = await h.redis.get(`${h.config.redisPrefix}:session:${EDITOR.id}`);
    expect(session ?? "").not.toContain("Headline, take");
  });
});

describe("finding one's way as an editor", () => {
  it("shows editors their commands in /help, and readers only theirs", async () => {
    const help = await driver(h, EDITOR).say("/help");
    expect(help.text).toContain("/breaking");
    expect(help.text).toContain("/catalog");
    const reader = await driver(h, makeUser(9501, { language_code: "en" })).say("/help");
    expect(reader.text).not.toContain("/breaking");
  });

  it("puts the newsroom's commands in an admin's own command menu at start", async () => {
    const call = await h.fake.waitFor(() =>
      h.fake.calls.find(
        (c) =>
          c.method === "setMyCommands" &&
          (c.payload.scope as { chat_id?: number } | undefined)?.chat_id === EDITOR.id &&
          c.payload.language_code === "en",
      ),
    );
    const commands = (call.payload.commands as { command: string }[]).map((c) => c.command);
    expect(commands).toEqual(expect.arrayContaining(["breaking", "recent", "catalog", "stats", "start"]));
  });

  it("tells a user their id with /id, the value an admin needs to make them an editor", async () => {
    const reply = await driver(h, makeUser(9502, { language_code: "en" })).say("/id");
    expect(reply.text).toContain("Your Telegram user id: 9502");
    expect(reply.text).toContain("/editors add 9502");
  });
});
