import { describe, expect, it } from "vitest";
import { FakeBotApi } from "../../src/bench/fake-bot-api/fake-bot-api.ts";
import { cliFixture } from "../support/cli-fixture.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "../support/redis.ts";
import { runCli } from "../support/run-cli.ts";

const { redis } = cliFixture("cli-start");

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
