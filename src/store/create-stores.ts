import type { Redis } from "ioredis";
import { AlertLookup } from "./alert-lookup.ts";
import { ArticleStore } from "./article-store.ts";
import { ArticleTexts } from "./article-texts.ts";
import { AuditStore } from "./audit-store.ts";
import { CatalogStore } from "./catalog-store.ts";
import { ChatCensusReader } from "./chat-census.ts";
import { ChatStore } from "./chat-store.ts";
import { DeliveryErrorLog } from "./delivery-errors.ts";
import { DeliveryLedger } from "./delivery-ledger.ts";
import { DigestLedger } from "./digest-ledger.ts";
import { FanoutCursor } from "./fanout-cursor.ts";
import { FeedStore } from "./feed-store.ts";
import { HeldStore } from "./held-store.ts";
import type { RedisKeys } from "./keys.ts";
import { MirrorStore } from "./mirror-store.ts";
import { PictureStore } from "./picture-store.ts";
import { PinStore } from "./pin-store.ts";
import { ReactionStore } from "./reaction-store.ts";
import { RevisionStore } from "./revision-store.ts";
import { ScheduledPushStore } from "./scheduled-pushes.ts";
import { StaffStore } from "./staff-store.ts";
import { StatusCards } from "./status-cards.ts";
import { StopList } from "./stop-list.ts";
import { SubscriptionStore } from "./subscription-store.ts";

/** The settings the stores take from the configuration. */
export interface StoreSettings {
  /** ADMIN_IDS: admins by configuration, beside those promoted at run time. */
  adminIds: readonly number[];
  /** ARTICLE_TEXT_DAYS: how long articles' full texts are kept. */
  articleTextDays: number;
}

/** Every store over one connection, each built once: the bot, the HTTP server and the workers share this. */
export function createStores(redis: Redis, keys: RedisKeys, settings: StoreSettings) {
  const articles = new ArticleStore(redis, keys);
  return {
    catalog: new CatalogStore(redis, keys),
    chats: new ChatStore(redis, keys),
    subscriptions: new SubscriptionStore(redis, keys),
    articles,
    fanout: new FanoutCursor(redis, keys),
    deliveries: new DeliveryLedger(redis, keys),
    revisions: new RevisionStore(redis, keys),
    pictures: new PictureStore(redis, keys),
    cards: new StatusCards(redis, keys),
    texts: new ArticleTexts(redis, keys, settings.articleTextDays),
    held: new HeldStore(redis, keys),
    digests: new DigestLedger(redis, keys),
    staff: new StaffStore(redis, keys, settings.adminIds),
    audit: new AuditStore(redis, keys),
    feeds: new FeedStore(redis, keys),
    errors: new DeliveryErrorLog(redis, keys),
    census: new ChatCensusReader(redis, keys),
    stopList: new StopList(redis, keys),
    mirrors: new MirrorStore(redis, keys),
    scheduled: new ScheduledPushStore(redis, keys),
    reactions: new ReactionStore(redis, keys),
    alerts: new AlertLookup(redis, keys, articles),
    pins: new PinStore(redis, keys),
  };
}

export type Stores = ReturnType<typeof createStores>;
