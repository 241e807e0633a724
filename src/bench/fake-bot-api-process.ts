import { type ChildProcess, fork } from "node:child_process";
import { fileURLToPath } from "node:url";
import { askForReport } from "./child-report.ts";
import type { FakeBotApiOptions } from "./fake-bot-api/fake-bot-api.ts";
import type { SendReport } from "./fake-bot-api/send-tally.ts";

type ChildMessage = { apiRoot: string } | { report: SendReport };

/**
 * The bench's fake Bot API in a child process, so what the bench measures of its own process
 * (CPU, RSS, event-loop delay) is the product's work alone.
 */
export class FakeBotApiProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly apiRoot: string,
  ) {}

  static async start(options: FakeBotApiOptions = {}): Promise<FakeBotApiProcess> {
    // Run from the sources (tsx), the child is a .ts module and needs the same loader; built, it is .js.
    const fromSources = import.meta.url.endsWith(".ts");
    const entry = fileURLToPath(
      new URL(`./fake-bot-api-child.${fromSources ? "ts" : "js"}`, import.meta.url),
    );
    const child = fork(entry, [JSON.stringify(options)], {
      execArgv: fromSources ? ["--import", import.meta.resolve("tsx")] : [],
      // Structured clone: a million-chat report crosses faster than as JSON.
      serialization: "advanced",
      stdio: ["ignore", "ignore", "inherit", "ipc"],
    });
    const apiRoot = await new Promise<string>((resolve, reject) => {
      const onExit = (code: number | null): void =>
        reject(new Error(`the bench's fake Bot API exited (code ${code}) before it listened`));
      child.once("error", reject);
      child.once("exit", onExit);
      child.once("message", (m: ChildMessage) => {
        child.off("exit", onExit);
        if ("apiRoot" in m) resolve(m.apiRoot);
        else reject(new Error("the bench's fake Bot API answered before it listened"));
      });
    });
    return new FakeBotApiProcess(child, apiRoot);
  }

  /** The child's process id, e.g. to see that it is not this process. */
  get pid(): number | undefined {
    return this.child.pid;
  }

  report(): Promise<SendReport> {
    return askForReport(this.child, "the bench's fake Bot API exited before it reported");
  }

  async stop(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once("exit", () => resolve()));
    this.child.kill();
    await exited;
  }
}
