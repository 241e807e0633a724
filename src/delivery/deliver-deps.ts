import type { Queue } from "bullmq";
import type { Api } from "grammy";
import type { DateTime } from "luxon";
import type { Article } from "../domain/article.ts";
import type { Language } from "../domain/language.ts";
import type { Logger } from "../logger.ts";
import type { ArticleStore } from "../store/article-store.ts";
import type { CatalogStore } from "../store/catalog-store.ts";
import type { ChatStore } from "../store/chat-store.ts";
import type { DeliveryErrorLog } from "../store/delivery-errors.ts";
import type { DeliveryLedger, Outcome } from "../store/delivery-ledger.ts";
import type { MirrorStore } from "../store/mirror-store.ts";
import type { PictureStore } from "../store/picture-store.ts";
import type { AcquireOptions, RateLimiter } from "../store/rate-limiter.ts";
import type { SubscriptionStore } from "../store/subscription-store.ts";
import type { PinJob, PinJobName } from "./queues.ts";

export interface DeliveryEvents {
  onSent?(seconds: number): void;
  onOutcome?(outcome: Outcome): void;
  onRateLimited?(): void;
}

export interface DeliverDeps {
  api: Api;
  articles: ArticleStore;
  /** Who got the alert, with which message: claims and outcomes. */
  deliveries: DeliveryLedger;
  /** The article's picture, uploaded once and sent by file id after. */
  pictures: PictureStore;
  chats: ChatStore;
  subscriptions: SubscriptionStore;
  catalog: CatalogStore;
  limiter: RateLimiter;
  label: string;
  readWord: (lang: Language) => string;
  /** The words of the "Read here" button. */
  readHereWord: (lang: Language) => string;
  /** The bot's @username, for the "Read here" links of groups and channels. */
  botUsername: () => Promise<string | undefined>;
  /** Every link of an alert goes through the admins' mirrors. */
  mirrors: Pick<MirrorStore, "current">;
  paidBroadcast: boolean;
  /** False: text alerts go without a link preview (LINK_PREVIEWS=false). */
  linkPreviews: boolean;
  /** How long one sender may take to upload an article's picture before another may (ms). */
  pictureUploadMs: number;
  /** Sends in flight at once within one batch. */
  concurrency: number;
  logger: Logger;
  now: () => DateTime;
  events?: DeliveryEvents;
  /** Where the latest errors are kept for admins. */
  errors?: DeliveryErrorLog;
  /** True once the process is shutting down: batches stop starting new sends. */
  stopping?: () => boolean;
  /** How often the stores' Redis connection has (re)connected: see the end of a batch. */
  connections?: () => number;
  /** Where a breaking alert to a chat that pins them queues its pin (src/delivery/pin-breaking.ts). */
  pinQueue?: Pick<Queue<PinJob, void, PinJobName>, "add">;
}

/** One delivery batch under way: what every chat's send in it shares. */
export interface BatchRun {
  seq: number;
  item: Article;
  /** The batch is on its last attempt: nothing will retry it. */
  lastTry: boolean;
  /** The job's lock fences its sends; its priority orders them among this process's waiting sends. */
  slots: Omit<AcquireOptions, "missed">;
  /** Chats whose alert goes without a sound. */
  silent: ReadonlySet<number>;
  /** Another worker took the job over: no send starts any more. */
  lockLost: boolean;
}
