import { isLanguage, type Language } from "./language.ts";
import {
  decodeReaderOptions,
  encodeReaderOptions,
  isDefaultReaderOptions,
  type ReaderOptions,
} from "./reader-options.ts";

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
  /** A forum group's topic that alerts go to; absent: General. */
  threadId?: number;
  /** A channel's: the user who connected it, told when the bot loses its rights there. */
  connectedBy?: number;
  /** The reader's delivery options (issue 8); absent: the defaults. */
  options?: ReaderOptions;
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
  // Most chats read the edition of their own language: the field is then left empty, which
  // saves two bytes a chat in Redis (millions of chats; see the bench's bytes per subscriber).
  const editions = chat.editions === chat.lang ? "" : chat.editions;
  const fields = [chat.lang, editions, chat.active ? "1" : "0", KIND_CODES[chat.kind], chat.timeZone];
  // Most chats have none of these: they keep the short five-field form.
  const options = chat.options === undefined ? "" : encodeReaderOptions(chat.options);
  if (chat.threadId !== undefined || chat.connectedBy !== undefined || options !== "")
    fields.push(String(chat.threadId ?? ""), String(chat.connectedBy ?? ""));
  if (options !== "") fields.push(options);
  return fields.join("|");
}

const optionalId = (raw: string | undefined) => (raw && /^-?\d+$/.test(raw) ? Number(raw) : undefined);

export function decodeChat(id: number, raw: string): ChatSettings | undefined {
  const [lang, stored, active, kindCode, timeZone = "", thread, connector, options] = raw.split("|");
  const kind = (Object.keys(KIND_CODES) as ChatKind[]).find((k) => KIND_CODES[k] === kindCode);
  if (!isLanguage(lang) || !kind) return undefined;
  const editions = stored === "" ? lang : stored;
  if (!isLanguage(editions) && editions !== "both") return undefined;
  const threadId = optionalId(thread);
  const connectedBy = optionalId(connector);
  const readerOptions = options ? decodeReaderOptions(options) : undefined;
  return {
    id,
    lang,
    editions,
    active: active === "1",
    kind,
    timeZone,
    ...(threadId !== undefined ? { threadId } : {}),
    ...(connectedBy !== undefined ? { connectedBy } : {}),
    // Absent for the defaults, so the fan-out's fast path is one check.
    ...(readerOptions && !isDefaultReaderOptions(readerOptions) ? { options: readerOptions } : {}),
  };
}

/** Telegram group ids are negative; "supergroup" and "group" behave alike for us. */
export function chatKindOf(telegramType: string): ChatKind {
  if (telegramType === "private") return "private";
  if (telegramType === "channel") return "channel";
  return "group";
}
