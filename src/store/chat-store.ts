import type { Redis } from "ioredis";
import { type ChatSettings, decodeChat, encodeChat } from "../domain/chat.ts";
import type { RedisKeys } from "./keys.ts";

export class ChatStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async get(chatId: number): Promise<ChatSettings | undefined> {
    const raw = await this.redis.hget(this.keys.chatBucket(chatId), String(chatId));
    return raw === null ? undefined : decodeChat(chatId, raw);
  }

  async getMany(chatIds: readonly number[]): Promise<Map<number, ChatSettings>> {
    const found = new Map<number, ChatSettings>();
    if (chatIds.length === 0) return found;
    const pipeline = this.redis.pipeline();
    for (const id of chatIds) pipeline.hget(this.keys.chatBucket(id), String(id));
    const results = (await pipeline.exec()) ?? [];
    chatIds.forEach((id, i) => {
      const [err, raw] = results[i] ?? [];
      if (err) throw err;
      const chat = typeof raw === "string" ? decodeChat(id, raw) : undefined;
      if (chat) found.set(id, chat);
    });
    return found;
  }

  async save(chat: ChatSettings): Promise<void> {
    await this.redis.hset(this.keys.chatBucket(chat.id), String(chat.id), encodeChat(chat));
  }

  async delete(chatId: number): Promise<void> {
    await this.redis.hdel(this.keys.chatBucket(chatId), String(chatId));
  }

  /** Saves many chats in one round trip (bulk import). */
  async saveMany(chats: readonly ChatSettings[]): Promise<void> {
    if (chats.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const chat of chats) pipeline.hset(this.keys.chatBucket(chat.id), String(chat.id), encodeChat(chat));
    for (const [err] of (await pipeline.exec()) ?? []) if (err) throw err;
  }
}
