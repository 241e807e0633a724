import { describe, expect, it } from "vitest";
import { cliFixture } from "../support/cli-fixture.ts";
import { runCli } from "../support/run-cli.ts";

const { newsbell } = cliFixture("cli-help");

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
