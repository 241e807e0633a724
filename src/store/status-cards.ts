import type { Redis } from "ioredis";
import type { RedisKeys } from "./keys.ts";

/** Where an article's status card was posted. */
export interface StatusCard {
  chatId: number;
  messageId: number;
}

/**
 * The editors' status messages of an article, one per chat, kept in its figures (and gone with
 * them), so a correction or a retraction can refresh every card.
 */
export class StatusCards {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async noteCard(seq: number, chatId: number, messageId: number): Promise<void> {
    await this.redis.hset(this.keys.articleStats(seq), `card:${chatId}`, messageId);
  }

  async cards(seq: number): Promise<StatusCard[]> {
    const raw = await this.redis.hgetall(this.keys.articleStats(seq));
    return Object.entries(raw)
      .filter(([k]) => k.startsWith("card:"))
      .map(([k, v]) => ({ chatId: Number(k.slice(5)), messageId: Number(v) }));
  }
}
