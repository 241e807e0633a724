import { mkdtempSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { cliFixture } from "../support/cli-fixture.ts";
import { type CliRun, runCli } from "../support/run-cli.ts";

const { dir, file } = cliFixture("cli-settings-file");

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
