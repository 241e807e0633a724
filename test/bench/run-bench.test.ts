import { describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.ts";

describe("newsbell bench", () => {
  it("delivers one article to every synthetic subscriber through its own fake Bot API and prints the figures", async () => {
    const run = await runCli(["bench", "--subscribers", "40", "--rate", "100"], {}).done;
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "{}") as Record<string, unknown>;
    expect(report).toMatchObject({ subscribers: 40, sent: 40, duplicates: 0, misses: 0, received429: 0 });
  }, 60_000);

  it("refuses a bad --subscribers with the usage and no stack trace", async () => {
    const run = await runCli(["bench", "--subscribers", "many"], {}).done;
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("--subscribers must be a whole number above 0");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("measures the floor: bare labelled sends, paced and unlimited, all taken by the fake", async () => {
    const run = await runCli(["bench", "floor", "--rate", "200", "--seconds", "1"], {}).done;
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout.trim().split("\n").at(-1) ?? "{}") as Record<string, number>;
    // A warm-up of 2000, then 200 paced and 200 unlimited.
    expect(report).toMatchObject({ rate: 200, accepted: 2400 });
    expect(report.pacedCpuMsPerSend).toBeGreaterThan(0);
    expect(report.unlimitedPerSecond).toBeGreaterThan(0);
  }, 60_000);

  it("refuses a bad --rate for the floor with its usage", async () => {
    const run = await runCli(["bench", "floor", "--rate", "fast"], {}).done;
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("--rate must be 1 to 10000");
    expect(run.stderr).toContain("newsbell bench floor");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});
