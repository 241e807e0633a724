import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ChatStore } from "../../src/store/chat-store.ts";
import { StopList } from "../../src/store/stop-list.ts";
import { SubscriptionStore } from "../../src/store/subscription-store.ts";
import { cliFixture } from "../support/cli-fixture.ts";

const { keys, redis, dir, newsbell, file } = cliFixture("cli-import-export");

describe("newsbell import and export", () => {
  it("imports the good lines, reports each bad one by number, and exits 1", async () => {
    const csv = [
      "chat_id,slugs",
      "501,chechnya;courts",
      "502,atlantis",
      "-1001234567890,ecology,en,both,UTC,1",
    ];
    const run = await newsbell(["import", file("subs.csv", `${csv.join("\n")}\n`)]);
    expect(run).toEqual({
      code: 1,
      stdout: "imported 2 chats, 3 subscriptions; 1 bad lines\n",
      stderr: 'line 3: unknown slug "atlantis"\n',
    });
    expect(await new SubscriptionStore(redis, keys).slugsOf(501, ["chechnya", "courts"])).toEqual([
      "chechnya",
      "courts",
    ]);
    expect(await new ChatStore(redis, keys).get(-1001234567890)).toMatchObject({
      lang: "en",
      editions: "both",
    });
  });

  it("exits 0 when every line was good", async () => {
    const run = await newsbell(["import", file("good.csv", "503,dagestan\n")]);
    expect(run).toEqual({ code: 0, stdout: "imported 1 chats, 1 subscriptions; 0 bad lines\n", stderr: "" });
  });

  it("exports every subscriber as CSV on stdout and counts them on stderr", async () => {
    const run = await newsbell(["export"]);
    expect(run.code).toBe(0);
    expect(run.stdout.trimEnd().split("\n").sort()).toEqual(
      [
        "chat_id,slugs,lang,editions,time_zone,active,options",
        "501,chechnya;courts,ru,ru,Europe/Moscow,1,{}",
        "503,dagestan,ru,ru,Europe/Moscow,1,{}",
        "-1001234567890,ecology,en,both,UTC,1,{}",
      ].sort(),
    );
    expect(run.stderr).toBe("exported 3 chats, 4 subscriptions\n");
  });

  it("reads quoted fields and true/false active flags", async () => {
    const run = await newsbell([
      "import",
      file("quoted.csv", '"3110","chechnya",en,both,UTC,true\n"3111",courts,,,,FALSE\n'),
    ]);
    expect(run).toEqual({ code: 0, stdout: "imported 2 chats, 2 subscriptions; 0 bad lines\n", stderr: "" });
    expect(await new ChatStore(redis, keys).get(3110)).toMatchObject({ lang: "en", active: true });
    expect(await new ChatStore(redis, keys).get(3111)).toMatchObject({ active: false });
  });

  it("skips the chats that said /stop and says how many, unless --include-stopped", async () => {
    await new StopList(redis, keys).add(3120, new Date());
    const csv = file("stopped.csv", "3120,courts\n3121,courts\n");
    expect(await newsbell(["import", csv])).toEqual({
      code: 0,
      stdout:
        "imported 1 chats, 1 subscriptions; 0 bad lines; skipped 1 chats that said /stop (--include-stopped imports them)\n",
      stderr: "",
    });
    expect(await new SubscriptionStore(redis, keys).slugsOf(3120, ["courts"])).toEqual([]);
    expect(await newsbell(["import", "--include-stopped", csv])).toEqual({
      code: 0,
      stdout: "imported 2 chats, 2 subscriptions; 0 bad lines\n",
      stderr: "",
    });
    expect(await new SubscriptionStore(redis, keys).slugsOf(3120, ["courts"])).toEqual(["courts"]);
  });

  it("reports a bad options cell like any bad line, by number on stderr with exit 1, and imports the rest", async () => {
    const csv = [
      '3130,courts,ru,ru,UTC,1,"{""mode"":""digest"",""digestTimes"":[""08:00""],""filters"":[""+Грозный""]}"',
      '3131,courts,ru,ru,UTC,1,"{""mode"":""digst""}"',
      '3132,courts,ru,ru,UTC,1,"{""filters"":[""+a, b""]"',
      "3133,courts,ru,ru,UTC,1,{}",
    ];
    const run = await newsbell(["import", file("options.csv", `${csv.join("\n")}\n`)]);
    expect(run).toEqual({
      code: 1,
      stdout: "imported 2 chats, 2 subscriptions; 2 bad lines\n",
      stderr: [
        'line 2: bad options: mode "digst" (instant, digest, breaking)\n',
        'line 3: bad options: not a JSON object: {"filters":["+a, b"]\n',
      ].join(""),
    });
    const chats = new ChatStore(redis, keys);
    expect((await chats.get(3130))?.options).toMatchObject({
      mode: "digest",
      digestTimes: [480],
      filters: [{ keep: true, phrase: "грозный" }],
    });
    expect(await chats.get(3131)).toBeUndefined();
    expect(await new SubscriptionStore(redis, keys).slugsOf(3132, ["courts"])).toEqual([]);
    expect(await chats.get(3133)).toMatchObject({ timeZone: "UTC" });
  });

  it("exits 1 with one line for a missing import file", async () => {
    const path = join(dir, "missing.csv");
    expect(await newsbell(["import", path])).toEqual({
      code: 1,
      stdout: "",
      stderr: `newsbell: cannot read ${path}: no such file\n`,
    });
  });
});
