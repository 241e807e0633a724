import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { createQueues, fanoutJobId } from "../../src/delivery/queues.ts";
import { cliFixture } from "../support/cli-fixture.ts";

const { keys, redis, dir, newsbell, newsbellWithInput, file } = cliFixture("cli-publish");

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
