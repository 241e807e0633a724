import type { Redis } from "ioredis";
import { isLanguage, type Language } from "../domain/language.ts";
import type { RedisKeys } from "./keys.ts";

/** Where an article's status card was posted, and in which language (absent on older cards). */
export interface StatusCard {
  chatId: number;
  messageId: number;
  lang?: Language;
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

  /** The language is kept so a refresh that no editor asked for (a reaction) speaks the card's. */
  async noteCard(seq: number, chatId: number, messageId: number, lang?: Language): Promise<void> {
    const value = lang ? `${messageId}:${lang}` : String(messageId);
    await this.redis.hset(this.keys.articleStats(seq), `card:${chatId}`, value);
  }

  async cards(seq: number): Promise<StatusCard[]> {
    const raw = await this.redis.hgetall(this.keys.articleStats(seq));
    return Object.entries(raw)
      .filter(([k]) => k.startsWith("card:"))
      .map(([k, v]) => {
        const [messageId, lang] = v.split(":");
        const card: StatusCard = { chatId: Number(k.slice(5)), messageId: Number(messageId) };
        return isLanguage(lang) ? { ...card, lang } : card;
      });
  }
}
