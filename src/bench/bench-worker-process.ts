import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { WORKER_NODE_OPTIONS } from "../../jobs/workers.ts";
import type { BenchWorkerOptions, BenchWorkerReport } from "./bench-worker-child.ts";
import { askForReport } from "./child-report.ts";

/** The product's worker (fan-out and delivery) in a child process, measured on its own. */
export class BenchWorkerProcess {
  private constructor(private readonly child: ChildProcess) {}

  static async start(options: BenchWorkerOptions): Promise<BenchWorkerProcess> {
    // Run from the sources (tsx), the child is a .ts module and needs the same loader; built, it is .js.
    const fromSources = import.meta.url.endsWith(".ts");
    const entry = fileURLToPath(
      new URL(`./bench-worker-child.${fromSources ? "ts" : "js"}`, import.meta.url),
    );
    const child = fork(entry, [JSON.stringify(options)], {
      execArgv: [
        ...(fromSources ? ["--import", import.meta.resolve("tsx")] : []),
        // As the compose file runs the worker service.
        ...WORKER_NODE_OPTIONS.split(" "),
        // For profiling the worker alone, e.g. BENCH_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=prof".
        ...(process.env.BENCH_WORKER_NODE_ARGS?.split(" ").filter(Boolean) ?? []),
      ],
      stdio: ["ignore", "inherit", "inherit", "ipc"],
    });
    await new Promise<void>((resolve, reject) => {
      const onExit = (code: number | null): void =>
        reject(new Error(`the bench's worker exited (code ${code}) before it started`));
      child.once("error", reject);
      child.once("exit", onExit);
      child.once("message", () => {
        child.off("exit", onExit);
        resolve();
      });
    });
    return new BenchWorkerProcess(child);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** From now on the report counts: CPU, Redis commands and writes. */
  mark(): void {
    this.child.send("mark");
  }

  report(): Promise<BenchWorkerReport> {
    return askForReport(this.child, "the bench's worker exited before it reported");
  }

  /** Closes the workers (their sends in flight end) and waits for the process to exit. */
  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.send("stop");
    await exited;
  }
}
