import type { Redis } from "ioredis";
import type { MirrorMap } from "../domain/mirrors.ts";
import type { RedisKeys } from "./keys.ts";

/** How stale a process's view of the mirror map may be: one Redis read this often, at most. */
const FRESH_MS = 1000;

/**
 * The admins' mirror map (/mirror), shared by every process. Renders read it often (every alert),
 * so each process keeps it for a second: a change reaches every link rendered a second later.
 */
export class MirrorStore {
  private cached: { at: number; map: Promise<MirrorMap> } | undefined;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /** LINK_MIRRORS at the first start only: after that the map is the admins'. */
  async seed(initial: MirrorMap): Promise<void> {
    if ((await this.redis.set(this.keys.mirrorsSeeded, "1", "NX")) !== "OK") return;
    if (initial.size > 0) await this.redis.hset(this.keys.mirrors, Object.fromEntries(initial));
  }

  async all(): Promise<MirrorMap> {
    const raw = await this.redis.hgetall(this.keys.mirrors);
    return new Map(Object.entries(raw).sort(([a], [b]) => a.localeCompare(b)));
  }

  /** The map as renders use it: at most a second old. */
  current(): Promise<MirrorMap> {
    const now = performance.now();
    if (this.cached && now - this.cached.at < FRESH_MS) return this.cached.map;
    const map = this.all();
    this.cached = { at: now, map };
    map.catch(() => {
      this.cached = undefined;
    });
    return map;
  }

  /** The mirror `host` had before, if any. */
  async set(host: string, mirror: string): Promise<string | undefined> {
    const [[, before] = [], ,] =
      (await this.redis.multi().hget(this.keys.mirrors, host).hset(this.keys.mirrors, host, mirror).exec()) ??
      [];
    this.cached = undefined;
    return typeof before === "string" ? before : undefined;
  }

  /** The mirror `host` had, or undefined when it had none. */
  async remove(host: string): Promise<string | undefined> {
    const [[, before] = [], ,] =
      (await this.redis.multi().hget(this.keys.mirrors, host).hdel(this.keys.mirrors, host).exec()) ?? [];
    this.cached = undefined;
    return typeof before === "string" ? before : undefined;
  }
}
