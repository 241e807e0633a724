import type { Redis } from "ioredis";
import { type ChatSettings, decodeChat, encodeChat } from "../domain/chat.ts";
import { encodeReaderOptions, type ReaderOptions } from "../domain/reader-options.ts";
import type { RedisKeys } from "./keys.ts";
import { defineScripts, readLua } from "./lua.ts";

const SCRIPTS = {
  deactivate: ["newsbellDeactivateChat", readLua("deactivate-chat")],
  move: ["newsbellMoveChat", readLua("move-chat")],
  clearThread: ["newsbellClearThread", readLua("clear-thread")],
  setOptions: ["newsbellSetOptions", readLua("set-options")],
} as const;

export class ChatStore {
  private readonly scripts;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    this.scripts = defineScripts(redis, SCRIPTS);
  }

  /** Stops alerts to a chat, changing only that flag and never bringing back a forgotten chat. */
  async deactivate(chatId: number): Promise<boolean> {
    return (await this.scripts.deactivate([this.keys.chatBucket(chatId)], [chatId])) === 1;
  }

  /** A group became a supergroup: its settings move, and the old id keeps pointing to the new one. */
  async move(fromId: number, toId: number): Promise<void> {
    await this.scripts.move(
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

  /**
   * Sets a chat's reader options, rewriting only that field of its settings, so a change to its
   * other settings at the same moment is not lost. False when there is no such chat.
   */
  async setOptions(chatId: number, options: ReaderOptions): Promise<boolean> {
    const encoded = encodeReaderOptions(options);
    return (await this.scripts.setOptions([this.keys.chatBucket(chatId)], [chatId, encoded])) === 1;
  }

  async delete(chatId: number): Promise<void> {
    await this.redis.hdel(this.keys.chatBucket(chatId), String(chatId));
  }

  /**
   * A forum group's topic `threadId` is gone: its alerts go to General. True for the one caller
   * that cleared it; false when the group had chosen another topic or General already.
   */
  async clearThread(chatId: number, threadId: number): Promise<boolean> {
    return (await this.scripts.clearThread([this.keys.chatBucket(chatId)], [chatId, threadId])) === 1;
  }

  /** True the first time since the channel was (re)connected: its connector is told of the loss once. */
  async claimLossNotice(channelId: number): Promise<boolean> {
    return (await this.redis.set(this.keys.channelLossTold(channelId), "1", "NX")) === "OK";
  }

  /**
   * Saves a channel as its connector (`connectedBy`) connected it: on their /channel list under
   * its title, and with its connector to be told again should the bot lose its rights there.
   */
  async connectChannel(channel: ChatSettings & { connectedBy: number }, title: string): Promise<void> {
    const results = await this.redis
      .multi()
      .hset(this.keys.chatBucket(channel.id), String(channel.id), encodeChat(channel))
      .hset(this.keys.userChannels(channel.connectedBy), String(channel.id), title)
      .del(this.keys.channelLossTold(channel.id))
      .exec();
    for (const [err] of results ?? []) if (err) throw err;
  }

  /** The channels `userId` connected, by id, with their titles. */
  async userChannels(userId: number): Promise<Map<number, string>> {
    const all = await this.redis.hgetall(this.keys.userChannels(userId));
    return new Map(Object.entries(all).map(([id, title]) => [Number(id), title]));
  }

  async removeUserChannel(userId: number, channelId: number): Promise<void> {
    await this.redis.hdel(this.keys.userChannels(userId), String(channelId));
  }

  /** Saves many chats in one round trip (bulk import). */
  async saveMany(chats: readonly ChatSettings[]): Promise<void> {
    if (chats.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const chat of chats) pipeline.hset(this.keys.chatBucket(chat.id), String(chat.id), encodeChat(chat));
    for (const [err] of (await pipeline.exec()) ?? []) if (err) throw err;
  }
}
