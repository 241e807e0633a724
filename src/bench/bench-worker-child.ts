// The product's worker as a process of its own (started by BenchWorkerProcess), so the CPU, peak
// RSS and Redis commands the bench reports are the product's alone, not the bench's measuring.
// Config and tuning come as JSON in argv[2]; it answers "mark" (start counting) and "report"
// over IPC, and closes its workers on "stop".
import { Socket } from "node:net";
import { monitorEventLoopDelay } from "node:perf_hooks";
import { Redis } from "ioredis";
import { startWorkers, type WorkerTuning } from "../../jobs/workers.ts";
import { parseConfig } from "../config.ts";
import { createLogger } from "../logger.ts";

export interface BenchWorkerOptions {
  /** The settings, as the environment would give them. */
  env: Record<string, string>;
  tuning: WorkerTuning;
  /** The Redis server's port: writes to it are the product's round trips. */
  redisPort: number;
}

export interface BenchWorkerReport {
  /** CPU of this process since "mark", µs (user + system). */
  cpuMicros: number;
  /** Redis commands sent since "mark" (each command of a pipeline or a script call counts once). */
  redisCommands: number;
  /** The same by command name (scripts by their name), most first. */
  redisCommandsByName: [string, number][];
  /** Writes to Redis's socket since "mark": the round trips (a pipeline is one). */
  redisWrites: number;
  /** Peak resident memory of this process over its life, bytes. */
  peakRss: number;
  /** The longest the event loop was held up since "mark", ms. */
  maxEventLoopDelayMs: number;
}

if (!process.send) {
  process.stderr.write("bench-worker-child: start it with BenchWorkerProcess.start, which forks it\n");
  process.exit(2);
}
const options = JSON.parse(process.argv[2] ?? "{}") as BenchWorkerOptions;

// Counted at the client: every command the product sends, and every write that carries them.
let commands = 0;
let writes = 0;
let byName = new Map<string, number>();
const proto = Redis.prototype as unknown as { sendCommand: (...args: unknown[]) => unknown };
const sendCommand = proto.sendCommand;
proto.sendCommand = function (this: Redis, ...args: unknown[]) {
  commands++;
  const command = args[0] as { name?: string; args?: unknown[] };
  const name =
    command.name === "evalsha" || command.name === "eval"
      ? `${command.name} ${scriptName(command)}`
      : String(command.name);
  byName.set(name, (byName.get(name) ?? 0) + 1);
  return sendCommand.apply(this, args);
};
const socketWrite = Socket.prototype.write;
Socket.prototype.write = function (this: Socket, ...args: Parameters<Socket["write"]>) {
  if (this.remotePort === options.redisPort) writes++;
  return socketWrite.apply(this, args);
} as Socket["write"];

const config = parseConfig(options.env);
/** Scripts are told apart by their SHA: the first 8 characters name them in the report. */
function scriptName(command: { args?: unknown[] }): string {
  return String(command.args?.[0] ?? "").slice(0, 8);
}

const workers = await startWorkers(config, createLogger(config.logLevel), {
  tuning: options.tuning,
});
let mark = { cpu: process.cpuUsage(), commands: 0, writes: 0 };
const loopDelay = monitorEventLoopDelay({ resolution: 10 });
process.on("message", (message) => {
  if (message === "mark") {
    mark = { cpu: process.cpuUsage(), commands, writes };
    byName = new Map();
    loopDelay.enable();
  } else if (message === "report") {
    const cpu = process.cpuUsage(mark.cpu);
    const report: BenchWorkerReport = {
      cpuMicros: cpu.user + cpu.system,
      redisCommands: commands - mark.commands,
      redisCommandsByName: [...byName].sort((a, b) => b[1] - a[1]).slice(0, 12),
      redisWrites: writes - mark.writes,
      peakRss: process.resourceUsage().maxRSS * 1024,
      maxEventLoopDelayMs: Math.round(loopDelay.max / 1e6),
    };
    process.send?.({ report });
  } else if (message === "stop") {
    void workers.close().then(() => process.exit(0));
  }
});
process.on("disconnect", () => {
  void workers.close().then(() => process.exit(0));
});
process.send({ ready: true });
