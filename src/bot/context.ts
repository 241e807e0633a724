import type { ConversationFlavor } from "@grammyjs/conversations";
import type { I18nFlavor } from "@grammyjs/i18n";
import type { MenuFlavor } from "@grammyjs/menu";
import type { BotConfig, Context, SessionFlavor } from "grammy";
import type { Redis } from "ioredis";
import type { Config } from "../config.ts";
import type { Queues } from "../delivery/queues.ts";
import type { BreakingDraft } from "../domain/breaking-draft.ts";
import type { CatalogKind } from "../domain/catalog.ts";
import type { ChatSettings } from "../domain/chat.ts";
import type { Logger } from "../logger.ts";
import type { AlertLookup } from "../store/alert-lookup.ts";
import type { ArticleStore } from "../store/article-store.ts";
import type { ArticleTexts } from "../store/article-texts.ts";
import type { AuditStore } from "../store/audit-store.ts";
import type { CatalogStore } from "../store/catalog-store.ts";
import type { ChatCensusReader } from "../store/chat-census.ts";
import type { ChatStore } from "../store/chat-store.ts";
import type { DeliveryErrorLog } from "../store/delivery-errors.ts";
import type { FeedStore } from "../store/feed-store.ts";
import type { HeldStore } from "../store/held-store.ts";
import type { MirrorStore } from "../store/mirror-store.ts";
import type { PictureStore } from "../store/picture-store.ts";
import type { PinStore } from "../store/pin-store.ts";
import type { ReactionStore } from "../store/reaction-store.ts";
import type { RevisionStore } from "../store/revision-store.ts";
import type { ScheduledPushStore } from "../store/scheduled-pushes.ts";
import type { StaffStore } from "../store/staff-store.ts";
import type { StatusCards } from "../store/status-cards.ts";
import type { StopList } from "../store/stop-list.ts";
import type { SubscriptionStore } from "../store/subscription-store.ts";

export interface SessionData {
  /** Which page of each toggle menu the chat is looking at. */
  pages: Record<CatalogKind, number>;
  /** In a private chat: the connected channel its menus and /my act on; absent: the chat itself. */
  managing?: number;
  /**
   * An open /breaking dialog's draft and the targets step's view: kept here so that each preview
   * round and each tap is rewound out of the dialog's stored log (see conversations/breaking-session.ts).
   */
  breaking?: { draft?: BreakingDraft; targets?: TargetsView };
  /** Wrong answers so far to the question an open dialog asked (see readAnswer in dialog-steps.ts). */
  wrongAnswers?: number;
}

/** The /breaking targets step: what is chosen, and which kind and page of the catalogue is shown. */
export interface TargetsView {
  selection: Record<CatalogKind, string[]>;
  kind: CatalogKind;
  page: number;
}

export interface BotStores {
  catalog: CatalogStore;
  chats: ChatStore;
  subscriptions: SubscriptionStore;
  articles: ArticleStore;
  revisions: RevisionStore;
  pictures: PictureStore;
  cards: StatusCards;
  staff: StaffStore;
  audit: AuditStore;
  feeds: FeedStore;
  errors: DeliveryErrorLog;
  census: ChatCensusReader;
  stopList: StopList;
  held: HeldStore;
  texts: ArticleTexts;
  mirrors: MirrorStore;
  scheduled: ScheduledPushStore;
  reactions: ReactionStore;
  alerts: AlertLookup;
  /** The bot's pins of breaking news: a changed setting is told anew about missing rights. */
  pins: PinStore;
}

/** The queues the bot adds to: publishing, status messages, corrections and retractions; the rest for /stats. */
export type BotQueues = Omit<Queues, "close">;

export interface Extras {
  config: Config;
  logger: Logger;
  stores: BotStores;
  queues: BotQueues;
  /** The chat's stored settings; undefined until the chat first talks to the bot. */
  chatSettings: ChatSettings | undefined;
}

/** What a context inside a conversation has: no session, no menus, no conversation controls. */
export type DialogContext = Context & Extras & I18nFlavor;

export type BotContext = ConversationFlavor<
  Context & Extras & SessionFlavor<SessionData> & I18nFlavor & MenuFlavor
>;

/** What the bot is built from: the process's config, logger, Redis connection, stores and queues. */
export interface BotDeps {
  config: Config;
  logger: Logger;
  redis: Redis;
  stores: BotStores;
  queues: BotQueues;
  botInfo?: BotConfig<BotContext>["botInfo"];
}
