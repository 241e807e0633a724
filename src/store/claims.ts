import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";
import { defineScript, readLua } from "./lua.ts";

const RELEASE = readLua("release-claim");

/**
 * Keys one caller at a time may hold, under a random token: a claim lapses after its ttl, so a
 * crashed holder holds up the others no longer than that, and is released only by its holder.
 */
export class Claims {
  private readonly releaseScript;

  constructor(private readonly redis: Redis) {
    this.releaseScript = defineScript(redis, "newsbellReleaseClaim", RELEASE);
  }

  /** The token to release `key` with, or undefined while another caller holds it. */
  async claim(key: string, ttlMs: number): Promise<string | undefined> {
    const token = randomUUID();
    const ok = await this.redis.set(key, token, "PX", ttlMs, "NX");
    return ok === "OK" ? token : undefined;
  }

  async release(key: string, token: string): Promise<void> {
    await this.releaseScript([key], [token]);
  }
}
