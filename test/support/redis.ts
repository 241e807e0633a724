import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { deleteKeysUnder } from "../../src/store/redis.ts";

export const SHARED_REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";

/** A prefix no other test uses, so tests share one Redis without seeing each other. */
export function testPrefix(name = "t"): string {
  return `nbtest-${name}-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
}

export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  await deleteKeysUnder(redis, prefix);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/**
 * A redis-server of the test's own, for tests that stop, kill or restart Redis. `extraArgs` go
 * after the defaults (AOF always, noeviction), e.g. `--replicaof 127.0.0.1 <port>` for a replica
 * or `--cluster-enabled yes`.
 */
export class PrivateRedis {
  private process: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly extraArgs: readonly string[],
  ) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(extraArgs: readonly string[] = []): Promise<PrivateRedis> {
    const server = new PrivateRedis(
      await freePort(),
      mkdtempSync(join(tmpdir(), "newsbell-redis-")),
      extraArgs,
    );
    await server.launch();
    return server;
  }

  async launch(): Promise<void> {
    this.process = spawn(
      "redis-server",
      [
        "--port",
        String(this.port),
        "--bind",
        "127.0.0.1",
        "--dir",
        this.dir,
        "--appendonly",
        "yes",
        "--appendfsync",
        "always",
        "--save",
        "",
        "--maxmemory-policy",
        "noeviction",
        ...this.extraArgs,
      ],
      { stdio: "ignore" },
    );
    await waitForPing(this.url, `redis-server on ${this.port}`);
  }

  /** Like a crash: no chance to write anything more. */
  async kill(): Promise<void> {
    await killChild(this.process);
  }

  async restart(): Promise<void> {
    await this.kill();
    await this.launch();
  }

  async stop(): Promise<void> {
    await this.kill();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * One `redis-server --sentinel` watching `master` under the name `name`, quick to act: the master
 * counts as down after `downAfterMs` without an answer, and this sentinel alone (quorum 1)
 * promotes a replica.
 */
export class PrivateSentinel {
  private constructor(
    readonly port: number,
    readonly dir: string,
    private readonly process: ChildProcess,
  ) {}

  static async start(
    master: { port: number },
    name = "mymaster",
    downAfterMs = 1000,
  ): Promise<PrivateSentinel> {
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), "newsbell-sentinel-"));
    // The sentinel rewrites its configuration file as it learns the replicas: it must be its own.
    const conf = join(dir, "sentinel.conf");
    writeFileSync(
      conf,
      [
        `port ${port}`,
        "bind 127.0.0.1",
        `dir ${dir}`,
        `sentinel monitor ${name} 127.0.0.1 ${master.port} 1`,
        `sentinel down-after-milliseconds ${name} ${downAfterMs}`,
        `sentinel failover-timeout ${name} 10000`,
        `sentinel parallel-syncs ${name} 1`,
        "",
      ].join("\n"),
    );
    const child = spawn("redis-server", [conf, "--sentinel"], { stdio: "ignore" });
    await waitForPing(`redis://127.0.0.1:${port}`, `redis sentinel on ${port}`);
    return new PrivateSentinel(port, dir, child);
  }

  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  async stop(): Promise<void> {
    await killChild(this.process);
    rmSync(this.dir, { recursive: true, force: true });
  }
}

async function killChild(child: ChildProcess | undefined): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once("exit", () => resolve());
    child.kill("SIGKILL");
  });
}

/** Resolves once a server at `url` answers PING; refused connections are expected until then. */
async function waitForPing(url: string, what: string): Promise<void> {
  const client = new Redis(url, {
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  // Refused connections are expected until the server is up.
  client.on("error", () => undefined);
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      await client.connect();
      await client.ping();
      client.disconnect();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`${what} did not start`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}
