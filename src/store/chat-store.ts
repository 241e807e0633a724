import type { Redis } from "ioredis";
import { type ChatSettings, decodeChat, encodeChat } from "../domain/chat.ts";
import type { RedisKeys } from "./keys.ts";
import { defineScript, readLua } from "./lua.ts";

const DEACTIVATE = readLua("deactivate-chat");
const MOVE = readLua("move-chat");

export class ChatStore {
  private readonly deactivateScript;
  private readonly moveScript;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    this.deactivateScript = defineScript(redis, "newsbellDeactivateChat", DEACTIVATE);
    this.moveScript = defineScript(redis, "newsbellMoveChat", MOVE);
  }

  /** Stops alerts to a chat, changing only that flag and never bringing back a forgotten chat. */
  async deactivate(chatId: number): Promise<boolean> {
    return (await this.deactivateScript([this.keys.chatBucket(chatId)], [chatId])) === 1;
  }

  /** A group became a supergroup: its settings move, and the old id keeps pointing to the new one. */
  async move(fromId: number, toId: number): Promise<void> {
    await this.moveScript(
      [this.keys.chatBucket(fromId), this.keys.chatBucket(toId), this.keys.chatMoves],
      [fromId, toId],
    );
  }

  async movedTo(chatId: number): Promise<number | undefined> {
    const to = await this.redis.hget(this.keys.chatMoves, String(chatId));
    return to === null ? undefined : Number(to);
  }

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
