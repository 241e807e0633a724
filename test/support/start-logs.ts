import { eventually } from "./eventually.ts";
import type { CliRun } from "./run-cli.ts";

/**
 * How long a `newsbell start` process may take to get somewhere: seconds of CPU under tsx, which
 * a machine busy with other test files spreads over many more. A ceiling, not a pace (the tests'
 * own timeouts are 90 s for the same reason).
 */
export const STARTING_MS = 30_000;

/** The JSON log lines a process has written so far. */
export function logLines(run: CliRun): Record<string, unknown>[] {
  return run
    .output()
    .stdout.split("\n")
    .filter((line) => line.startsWith("{"))
    .map((line) => JSON.parse(line) as Record<string, unknown>);
}

export async function logLine(run: CliRun, msg: RegExp, timeoutMs: number): Promise<Record<string, unknown>> {
  let found: Record<string, unknown> | undefined;
  await eventually(
    () => {
      found = logLines(run).find((line) => msg.test(String(line.msg)));
      return found !== undefined;
    },
    timeoutMs,
    `a log line matching ${msg}\n${run.output().stdout}${run.output().stderr}`,
  );
  return found as Record<string, unknown>;
}
