import { isLanguage, type Language } from "./language.ts";

export type ChatKind = "private" | "group" | "channel";
/** Which editions a chat reads: its own language's, or both. */
export type Editions = Language | "both";

export interface ChatSettings {
  id: number;
  lang: Language;
  editions: Editions;
  timeZone: string;
  active: boolean;
  kind: ChatKind;
}

export function readsEdition(chat: Pick<ChatSettings, "editions">, edition: Language): boolean {
  return chat.editions === "both" || chat.editions === edition;
}

export function newChat(id: number, kind: ChatKind, lang: Language, timeZone: string): ChatSettings {
  return { id, lang, editions: lang, timeZone, active: true, kind };
}

const KIND_CODES: Record<ChatKind, string> = { private: "p", group: "g", channel: "c" };

/**
 * One short string per chat keeps millions of chats inside small Redis hashes
 * (listpack encoding), which is what keeps bytes per subscriber low.
 */
export function encodeChat(chat: ChatSettings): string {
  return [chat.lang, chat.editions, chat.active ? "1" : "0", KIND_CODES[chat.kind], chat.timeZone].join("|");
}

export function decodeChat(id: number, raw: string): ChatSettings | undefined {
  const [lang, editions, active, kindCode, ...zone] = raw.split("|");
  const kind = (Object.keys(KIND_CODES) as ChatKind[]).find((k) => KIND_CODES[k] === kindCode);
  if (!isLanguage(lang) || !kind) return undefined;
  if (!isLanguage(editions) && editions !== "both") return undefined;
  return { id, lang, editions, active: active === "1", kind, timeZone: zone.join("|") };
}

/** Telegram group ids are negative; "supergroup" and "group" behave alike for us. */
export function chatKindOf(telegramType: string): ChatKind {
  if (telegramType === "private") return "private";
  if (telegramType === "channel") return "channel";
  return "group";
}
