import type { Redis } from "ioredis";
import type { RedisKeys } from "./keys.ts";

/**
 * The chats that said /stop, and when. /stop forgets a chat entirely, so without this list an
 * export made before it would, once imported, subscribe the reader again against their wish.
 * /start (the reader coming back) takes the chat off the list.
 */
export class StopList {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async add(chatId: number, at: Date): Promise<void> {
    await this.redis.hset(this.keys.stoppedChats, String(chatId), at.toISOString());
  }

  async remove(chatId: number): Promise<void> {
    await this.redis.hdel(this.keys.stoppedChats, String(chatId));
  }

  /** Which of these chats are on the list, in one round trip. */
  async stoppedAmong(chatIds: readonly number[]): Promise<Set<number>> {
    if (chatIds.length === 0) return new Set();
    const found = await this.redis.hmget(this.keys.stoppedChats, ...chatIds.map(String));
    return new Set(chatIds.filter((_, i) => found[i] !== null && found[i] !== undefined));
  }
}
