import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { SHARED_REDIS_URL, testPrefix } from "./redis.ts";

/**
 * How the tests start the CLI: its TypeScript sources through tsx (loaded by absolute URL, so any
 * cwd works), so `npm test` needs no build and tests the code as it is now, not the last build.
 * bin/newsbell.js runs the build; .ci/run checks that one.
 */
export const CLI_NODE_ARGS = [
  // As the image and `npm start` run it (see the Dockerfile): Node 24 would otherwise size the
  // young generation from this machine's memory, about 100 MB more RSS than the product runs with.
  "--max-semi-space-size=16",
  "--import",
  import.meta.resolve("tsx"),
  fileURLToPath(new URL("../../src/cli.ts", import.meta.url)),
];

export interface CliRun {
  child: ChildProcess;
  /** Resolves when the process has exited and its output is complete. */
  done: Promise<{ code: number | null; stdout: string; stderr: string }>;
  output(): { stdout: string; stderr: string };
}

export interface CliOptions {
  /** The directory the process runs in (default: this one). */
  cwd?: string;
  /** Written to its standard input, which is otherwise closed. */
  input?: string;
}

/**
 * The real `newsbell` CLI as a separate process, with only PATH, HOME and the environment given.
 * It reads no `.env` (a developer's would leak in: their token, their ports), serves HTTP on a
 * port of the OS's choosing (a running instance may hold 8080) and uses the tests' Redis under a
 * prefix of its own, unless `env` says otherwise (a value of undefined leaves a variable unset).
 */
export function runCli(
  args: string[],
  env: Record<string, string | undefined>,
  nodeArgs: string[] = [],
  options: CliOptions = {},
): CliRun {
  const child = spawn(process.execPath, [...nodeArgs, ...CLI_NODE_ARGS, ...args], {
    env: {
      PATH: process.env.PATH ?? "",
      HOME: process.env.HOME ?? "",
      NEWSBELL_ENV_FILE: "",
      HTTP_PORT: "0",
      REDIS_URL: SHARED_REDIS_URL,
      REDIS_PREFIX: testPrefix("cli-run"),
      ...env,
    },
    stdio: [options.input === undefined ? "ignore" : "pipe", "pipe", "pipe"],
    ...(options.cwd ? { cwd: options.cwd } : {}),
  });
  let stdout = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  if (options.input !== undefined) child.stdin?.end(options.input);
  const done = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.once("close", (code) => resolve({ code, stdout, stderr })),
  );
  return { child, done, output: () => ({ stdout, stderr }) };
}
