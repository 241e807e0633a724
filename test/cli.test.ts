import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { FakeBotApi } from "../src/bench/fake-bot-api/fake-bot-api.ts";
import { createQueues, fanoutJobId } from "../src/delivery/queues.ts";
import { defaultCatalog } from "../src/store/catalog-seed.ts";
import { CatalogStore } from "../src/store/catalog-store.ts";
import { ChatStore } from "../src/store/chat-store.ts";
import { redisKeys } from "../src/store/keys.ts";
import { StopList } from "../src/store/stop-list.ts";
import { SubscriptionStore } from "../src/store/subscription-store.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "./support/redis.ts";
import { type CliRun, runCli } from "./support/run-cli.ts";

const prefix = testPrefix("cli");
const keys = redisKeys(prefix);
const redis = new Redis(SHARED_REDIS_URL);
const dir = mkdtempSync(join(tmpdir(), "newsbell-cli-"));

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real CLI against this file's prefix. */
function newsbell(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return runCli(args, { BOT_TOKEN: "1:x", REDIS_URL: SHARED_REDIS_URL, REDIS_PREFIX: prefix, ...env }).done;
}

/** The real CLI with `input` on its standard input. */
function newsbellWithInput(args: string[], input: string): Promise<Run> {
  return runCli(args, { BOT_TOKEN: "1:x", REDIS_URL: SHARED_REDIS_URL, REDIS_PREFIX: prefix }, [], { input })
    .done;
}

function file(name: string, content: string): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

beforeAll(async () => {
  await new CatalogStore(redis, keys).seedOnce(defaultCatalog());
});

afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

describe("newsbell publish", () => {
  const article = {
    id: "cli-article-1",
    url: "https://www.kavkaz-uzel.eu/articles/1",
    headline: "Court hearing postponed",
    teaser: "The hearing was moved to next week.",
    lang: "en",
    regions: ["chechnya"],
    topics: ["courts"],
  };

  it("queues a valid article's fan-out and says so with its id and sequence number", async () => {
    const run = await newsbell(["publish", file("article.json", JSON.stringify(article))]);
    expect(run).toEqual({ code: 0, stdout: "queued cli-article-1 (#1)\n", stderr: "" });
    const queues = createQueues(redis, keys.bullPrefix);
    try {
      expect(await queues.fanout.getJob(fanoutJobId(1))).toMatchObject({ data: { seq: 1 } });
    } finally {
      await queues.close();
    }
  });

  it("answers duplicate for an article id it has published before", async () => {
    const run = await newsbell([
      "publish",
      file("again.json", JSON.stringify({ ...article, headline: "Edited" })),
    ]);
    expect(run).toEqual({ code: 0, stdout: "duplicate cli-article-1\n", stderr: "" });
  });

  it("names every bad field on its own line and exits 1", async () => {
    const bad = { ...article, id: "cli-article-2", headline: "  ", lang: "de" };
    const run = await newsbell(["publish", file("bad.json", JSON.stringify(bad))]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr.trimEnd().split("\n")).toEqual([
      "headline: must not be empty",
      "lang: must be ru or en",
    ]);
  });

  it("reports an unknown slug as a field error", async () => {
    const run = await newsbell([
      "publish",
      file("slug.json", JSON.stringify({ ...article, id: "cli-article-3", regions: ["atlantis"] })),
    ]);
    expect(run).toEqual({ code: 1, stdout: "", stderr: 'regions: unknown region "atlantis"\n' });
  });

  it("exits 1 with one line for a missing file", async () => {
    const path = join(dir, "missing.json");
    expect(await newsbell(["publish", path])).toEqual({
      code: 1,
      stdout: "",
      stderr: `newsbell: cannot read ${path}: no such file\n`,
    });
  });

  it("exits 1 with one line for a file that is not JSON", async () => {
    const run = await newsbell(["publish", file("broken.json", "{ headline: ")]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^newsbell: \S+broken\.json is not valid JSON: .+\n$/);
  });

  it("exits 1 with one line when Redis cannot be reached", async () => {
    const run = await newsbell(["publish", file("ok.json", JSON.stringify(article))], {
      REDIS_URL: "redis://127.0.0.1:1",
    });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^newsbell: cannot reach Redis at redis:\/\/127\.0\.0\.1:1.*\n$/);
  });

  it("shows its usage with exit code 2 when the file is not given", async () => {
    expect(await newsbell(["publish"])).toEqual({
      code: 2,
      stdout: "",
      stderr: "newsbell: usage: newsbell publish <article.json | ->\n",
    });
  });

  it('reads the article from standard input when the file is "-"', async () => {
    const run = await newsbellWithInput(["publish", "-"], JSON.stringify({ ...article, id: "cli-stdin-1" }));
    expect(run).toEqual({ code: 0, stdout: "queued cli-stdin-1 (#2)\n", stderr: "" });
    const bad = await newsbellWithInput(["publish", "-"], "{ headline: ");
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/^newsbell: standard input is not valid JSON: /);
  });
});

describe("newsbell --help", () => {
  it("prints the usage of every command on stdout with exit code 0", async () => {
    for (const args of [["--help"], ["-h"], ["help"]]) {
      const run = await newsbell(args);
      expect(run.code).toBe(0);
      expect(run.stderr).toBe("");
      for (const command of ["start", "publish", "import", "export", "bench"])
        expect(run.stdout).toContain(`newsbell ${command}`);
    }
  });

  it("lists every benchmark in the top-level usage, each with its options: bench readers, reading and floor", async () => {
    const run = await newsbell(["--help"]);
    const lines = run.stdout.split("\n").map((l) => l.trim());
    for (const bench of ["readers", "reading", "floor"])
      expect(lines.some((l) => l.startsWith(`newsbell bench ${bench} [--`))).toBe(true);
    expect(lines).toContain("newsbell bench floor [--rate N] [--seconds N]");
  });

  it("explains each command with --help, -h or help <command>, with exit code 0, whatever the environment", async () => {
    const usages = {
      start: "usage: newsbell start [--role all|bot|worker]\n",
      publish: "usage: newsbell publish <article.json | ->\n",
      import: "usage: newsbell import [--include-stopped] <subscribers.csv>\n",
      export: "usage: newsbell export > subscribers.csv\n",
      bench: "usage: newsbell bench [--subscribers N]",
    };
    for (const [command, usage] of Object.entries(usages)) {
      const forms = [
        [command, "--help"],
        [command, "-h"],
        ["help", command],
        [command, "x.json", "--help"],
      ];
      // The four forms of one command at once: twenty CLI starts one after another outlast a
      // busy machine's timeout, and they share nothing.
      await Promise.all(
        forms.map(async (args) => {
          // No BOT_TOKEN: help needs no configuration.
          const run = await runCli(args, {}).done;
          expect({ args, code: run.code, stderr: run.stderr }).toEqual({ args, code: 0, stderr: "" });
          expect(run.stdout.startsWith(usage)).toBe(true);
        }),
      );
    }
  }, 90_000);

  it("answers a usage mistake with the command's usage on stderr and exit code 2", async () => {
    expect(await newsbell(["start", "--bogus"])).toEqual({
      code: 2,
      stdout: "",
      stderr: "newsbell: unknown option '--bogus'\nusage: newsbell start [--role all|bot|worker]\n",
    });
    expect((await newsbell(["import", "--bogus", "x.csv"])).code).toBe(2);
    expect((await newsbell(["export", "extra"])).code).toBe(2);
    expect((await newsbell(["frobnicate"])).code).toBe(2);
    expect((await newsbell(["help", "frobnicate"])).code).toBe(2);
    expect((await newsbell([])).code).toBe(2);
  });
});

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

describe("settings from a file", () => {
  const badRate = "BOT_TOKEN=1:x\nSEND_RATE=lots\n";
  const started: CliRun[] = [];
  /** Each of these stops at its configuration; one that starts after all is stopped here. */
  const settle = (...args: Parameters<typeof runCli>) => {
    const run = runCli(...args);
    started.push(run);
    return run.done;
  };
  afterEach(() => {
    for (const run of started.splice(0)) run.child.kill("SIGKILL");
  });

  it("reads .env in the directory it runs in, under what the environment sets", async () => {
    const here = mkdtempSync(join(dir, "cwd-"));
    writeFileSync(join(here, ".env"), badRate);
    const run = await settle(["start"], { NEWSBELL_ENV_FILE: undefined }, [], { cwd: here });
    expect(run).toEqual({
      code: 2,
      stdout: "",
      stderr: "newsbell: SEND_RATE must be a whole number from 1 to 1000\n",
    });
    // SEND_RATE comes first in the checks: the error moves on to LOG_LEVEL only if the environment won.
    const env = { NEWSBELL_ENV_FILE: undefined, SEND_RATE: "5", LOG_LEVEL: "loud" };
    const overridden = await settle(["start"], env, [], { cwd: here });
    expect(overridden.code).toBe(2);
    expect(overridden.stderr).toMatch(/^newsbell: LOG_LEVEL /);
  });

  it("reads the file NEWSBELL_ENV_FILE names instead, and none when it is empty", async () => {
    const here = mkdtempSync(join(dir, "cwd-"));
    writeFileSync(join(here, ".env"), "BOT_TOKEN=1:x\n");
    const run = await settle(["start"], { NEWSBELL_ENV_FILE: file("settings.env", badRate) }, [], {
      cwd: here,
    });

    expect(run.stderr).toBe("newsbell: SEND_RATE must be a whole number from 1 to 1000\n");
    const none = await settle(["start"], { NEWSBELL_ENV_FILE: "" }, [], { cwd: here });
    expect(none.stderr).toBe("newsbell: BOT_TOKEN is required\n");
  });

  it("names a NEWSBELL_ENV_FILE it cannot read, with exit code 2", async () => {
    const path = join(dir, "no-such.env");
    expect(await settle(["start"], { NEWSBELL_ENV_FILE: path })).toEqual({
      code: 2,
      stdout: "",
      stderr: `newsbell: NEWSBELL_ENV_FILE: cannot read ${path} (ENOENT)\n`,
    });
  });
});

describe("newsbell start", () => {
  it("ends its log with a stopped line naming the signal and the exit code", async () => {
    const fake = await FakeBotApi.start();
    // A prefix of its own: the articles the publish tests queued must not keep this worker busy.
    const own = testPrefix("cli-stop");
    const run = runCli(["start", "--role", "worker"], {
      BOT_TOKEN: "1:x",
      TELEGRAM_API_ROOT: fake.apiRoot,
      REDIS_URL: SHARED_REDIS_URL,
      REDIS_PREFIX: own,
      HTTP_PORT: "0",
      LOG_LEVEL: "info",
    });
    try {
      // A whole process starting under tsx, on a machine busy with other test files: a ceiling.
      await fake.waitFor(() => run.output().stdout.includes("http server listening"), 45_000);
      run.child.kill("SIGINT");
      expect((await run.done).code).toBe(0);
      const lines = run.output().stdout.trimEnd().split("\n");
      expect(JSON.parse(lines.at(-1) ?? "{}")).toMatchObject({
        msg: "stopped",
        signal: "SIGINT",
        exitCode: 0,
        how: "clean",
      });
    } finally {
      run.child.kill("SIGKILL");
      await fake.stop();
      await deletePrefix(redis, own);
    }
  }, 90_000);
});
