import { type ChildProcess, spawn } from "node:child_process";
import { CLI_NODE_ARGS } from "./run-cli.ts";

/** `newsbell start --role worker` as its own process, to be killed like a crash would. */
export class WorkerProcess {
  private constructor(
    private readonly child: ChildProcess,
    readonly output: string[],
  ) {}

  static start(env: Record<string, string>): WorkerProcess {
    const child = spawn(process.execPath, [...CLI_NODE_ARGS, "start", "--role", "worker"], {
      // A developer's .env must not reach the test worker (NEWSBELL_ENV_FILE empty: read no file).
      env: { ...process.env, NEWSBELL_ENV_FILE: "", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    const output: string[] = [];
    child.stdout?.on("data", (d: Buffer) => output.push(d.toString()));
    child.stderr?.on("data", (d: Buffer) => output.push(d.toString()));
    return new WorkerProcess(child, output);
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  async signal(signal: NodeJS.Signals): Promise<number | null> {
    if (this.child.exitCode !== null) return this.child.exitCode;
    return new Promise((resolve) => {
      this.child.once("exit", (code) => resolve(code));
      this.child.kill(signal);
    });
  }
}
