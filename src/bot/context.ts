import type { I18nFlavor } from "@grammyjs/i18n";
import type { MenuFlavor } from "@grammyjs/menu";
import type { Context, SessionFlavor } from "grammy";
import type { Config } from "../config.ts";
import type { CatalogKind } from "../domain/catalog.ts";
import type { ChatSettings } from "../domain/chat.ts";
import type { Logger } from "../logger.ts";
import type { CatalogStore } from "../store/catalog-store.ts";
import type { ChatStore } from "../store/chat-store.ts";
import type { SubscriptionStore } from "../store/subscription-store.ts";

export interface SessionData {
  /** Which page of each toggle menu the chat is looking at. */
  pages: Record<CatalogKind, number>;
}

export interface BotStores {
  catalog: CatalogStore;
  chats: ChatStore;
  subscriptions: SubscriptionStore;
}

interface Extras {
  config: Config;
  logger: Logger;
  stores: BotStores;
  /** The chat's stored settings; undefined until the chat first talks to the bot. */
  chatSettings: ChatSettings | undefined;
}

export type BotContext = Context & Extras & SessionFlavor<SessionData> & I18nFlavor & MenuFlavor;
