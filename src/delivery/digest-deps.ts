import type { Api } from "grammy";
import type { DateTime } from "luxon";
import type { ChatSettings } from "../domain/chat.ts";
import type { DigestWords } from "../domain/digest.ts";
import type { Language } from "../domain/language.ts";
import type { Logger } from "../logger.ts";
import type { ArticleStore } from "../store/article-store.ts";
import type { CatalogStore } from "../store/catalog-store.ts";
import type { ChatStore } from "../store/chat-store.ts";
import type { DeliveryErrorLog } from "../store/delivery-errors.ts";
import type { DeliveryLedger } from "../store/delivery-ledger.ts";
import type { DigestLedger, DigestMessage } from "../store/digest-ledger.ts";
import type { DigestInFlight, DigestPart, HeldStore } from "../store/held-store.ts";
import type { RateLimiter } from "../store/rate-limiter.ts";
import type { SubscriptionStore } from "../store/subscription-store.ts";
import type { DigestLinks } from "./digest-render.ts";

export interface SendDigestDeps {
  api: Api;
  articles: ArticleStore;
  /** Where a send whose fate is unknown is counted, as for alerts. */
  deliveries: Pick<DeliveryLedger, "countAmbiguous">;
  chats: ChatStore;
  subscriptions: SubscriptionStore;
  catalog: CatalogStore;
  held: HeldStore;
  ledger: DigestLedger;
  limiter: RateLimiter;
  label: string;
  words: (lang: Language) => DigestWords;
  /** The mirrors and the bot's name the lines' links are rendered with. */
  links: () => Promise<DigestLinks>;
  logger: Logger;
  now: () => DateTime;
  errors?: DeliveryErrorLog;
  stopping?: () => boolean;
  /** One call per digest sent: its messages and articles. */
  onSent?: (parts: number, items: number) => void;
}

/** A digest message as rendered, with the revision count read before the rendering. */
export interface Rendered {
  html: string;
  revisions: number;
}

/** Where a digest's messages go: a group that migrates moves it. */
export interface DigestReader {
  target: ChatSettings;
}

/** One chat's digest under way. */
export interface DigestRun {
  chatId: number;
  jobId: string;
  chat: ChatSettings;
  flight: DigestInFlight;
  parts: DigestPart[];
  reader: DigestReader;
  lastTry: boolean;
  /** What a part holds, as the ledger keeps it (its lines, language and zone). */
  content: (
    part: DigestPart,
    index: number,
  ) => Omit<DigestMessage, "chatId" | "targetId" | "messageId" | "revisions">;
}
