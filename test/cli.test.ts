import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createQueues, fanoutJobId } from "../jobs/queues.ts";
import { defaultCatalog } from "../src/store/catalog-seed.ts";
import { CatalogStore } from "../src/store/catalog-store.ts";
import { ChatStore } from "../src/store/chat-store.ts";
import { redisKeys } from "../src/store/keys.ts";
import { SubscriptionStore } from "../src/store/subscription-store.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "./support/redis.ts";
import { runCli } from "./support/run-cli.ts";

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
      stderr: "newsbell: usage: newsbell publish <article.json>\n",
    });
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
        "chat_id,slugs,lang,editions,time_zone,active",
        "501,chechnya;courts,ru,ru,Europe/Moscow,1",
        "503,dagestan,ru,ru,Europe/Moscow,1",
        "-1001234567890,ecology,en,both,UTC,1",
      ].sort(),
    );
    expect(run.stderr).toBe("exported 3 chats, 4 subscriptions\n");
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
