import { randomUUID } from "node:crypto";
import { connect, type Socket } from "node:net";
import type { Redis } from "ioredis";
import { SHARED_REDIS_URL } from "./redis.ts";

export interface MonitoredCommand {
  /** The command's name, lower-cased: "get", "evalsha"… */
  name: string;
  args: string[];
  /** "lua" for a command a script ran, else the client's address. */
  source: string;
}

/**
 * Redis's MONITOR read over a plain socket: every command the server runs (from every client, and
 * those scripts run), as it reports them. Plainer than ioredis's monitor mode, which can take a
 * monitor line for a reply while the shared Redis is busy.
 */
export class RedisMonitor {
  readonly commands: MonitoredCommand[] = [];
  private buffered = "";
  private started = false;

  private constructor(private readonly socket: Socket) {}

  static async start(url = SHARED_REDIS_URL): Promise<RedisMonitor> {
    const { hostname, port } = new URL(url);
    const socket = connect({ host: hostname, port: Number(port || 6379) });
    const monitor = new RedisMonitor(socket);
    await new Promise<void>((resolve, reject) => {
      socket.once("error", reject);
      socket.on("data", (chunk: Buffer) => {
        if (monitor.take(chunk.toString("utf8"))) resolve();
      });
      socket.write("MONITOR\r\n");
    });
    return monitor;
  }

  /** Reads whole lines; true once the server has said OK to MONITOR. */
  private take(text: string): boolean {
    this.buffered += text;
    const lines = this.buffered.split("\r\n");
    this.buffered = lines.pop() ?? "";
    for (const line of lines) {
      if (line === "+OK") this.started = true;
      const match = /^\+\d+\.\d+ \[\d+ ([^\]]+)\] (.*)$/.exec(line);
      if (!match) continue;
      const args = [...(match[2] ?? "").matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1] ?? "");
      this.commands.push({
        name: (args[0] ?? "").toLowerCase(),
        args: args.slice(1),
        source: match[1] ?? "",
      });
    }
    return this.started;
  }

  /**
   * Stops once every command the server ran before this call has been reported: MONITOR reports in
   * the order commands run, so a marker sent through `redis` comes after all of them.
   */
  async stop(redis: Redis): Promise<void> {
    const marker = `monitor-end-${randomUUID()}`;
    await redis.echo(marker);
    for (let i = 0; i < 500 && !this.commands.some((c) => c.args[0] === marker); i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    this.socket.destroy();
  }
}
