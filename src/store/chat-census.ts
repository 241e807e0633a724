import type { Redis } from "ioredis";
import { type ChatCensus, emptyCensus, tallyChat } from "../domain/admin-stats.ts";
import { CHAT_BUCKETS, type RedisKeys } from "./keys.ts";

/** Buckets read per round trip: with a million chats, about 60,000 settings strings at a time. */
export const CENSUS_WINDOW = 256;

/**
 * Counts chats by walking the chat buckets a window at a time (one pipeline of HVALS each), so
 * neither Redis nor this process ever holds every chat at once.
 */
export class ChatCensusReader {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly window = CENSUS_WINDOW,
  ) {}

  async count(): Promise<ChatCensus> {
    const census = emptyCensus();
    for (let from = 0; from < CHAT_BUCKETS; from += this.window) {
      const pipeline = this.redis.pipeline();
      const to = Math.min(from + this.window, CHAT_BUCKETS);
      for (let bucket = from; bucket < to; bucket++) pipeline.hvals(this.keys.chatBucketAt(bucket));
      for (const [err, values] of (await pipeline.exec()) ?? []) {
        if (err) throw err;
        for (const raw of values as string[]) tallyChat(census, raw);
      }
    }
    return census;
  }
}
