import { DelayedError, type Job } from "bullmq";
import type { Api } from "grammy";
import type { DateTime } from "luxon";
import type { Article } from "../domain/article.ts";
import type { Language } from "../domain/catalog.ts";
import type { ChatSettings } from "../domain/chat.ts";
import type { DigestWords } from "../domain/digest.ts";
import type { MirrorMap } from "../domain/mirrors.ts";
import { decideAfterRevisionFailure, type RevisionFailureReason } from "../domain/revision.ts";
import type { Logger } from "../logger.ts";
import type { ArticleStore } from "../store/article-store.ts";
import type { ChatStore } from "../store/chat-store.ts";
import type { DeliveryLedger, LedgerMessage } from "../store/delivery-ledger.ts";
import type { DigestEntry, DigestLedger, DigestMessage } from "../store/digest-ledger.ts";
import { LEDGER_SHARDS } from "../store/keys.ts";
import type { MirrorStore } from "../store/mirror-store.ts";
import type { RateLimiter } from "../store/rate-limiter.ts";
import type { RevisionFigures, RevisionStore } from "../store/revision-store.ts";
import type { Translate } from "../telegram/status-card.ts";
import { type DigestLinks, renderDigestMessage } from "./digest-render.ts";
import { forEachLimit } from "./for-each-limit.ts";
import type { Pinner } from "./pin-breaking.ts";
import type { RevisionJob } from "./queues.ts";
import { callUnderPolicy } from "./send-under-policy.ts";
import { describeFailure } from "./telegram-failure.ts";

/** Ledger shards read per round trip. */
const SHARD_WINDOW = 16;
const TRIES = 3;

export interface RevisionDeps {
  api: Api;
  articles: ArticleStore;
  deliveries: DeliveryLedger;
  revisions: RevisionStore;
  chats: ChatStore;
  limiter: RateLimiter;
  label: string;
  readWord: (lang: Language) => string;
  /** The words of the "Read here" button, which an edit must pass again. */
  readHereWord: (lang: Language) => string;
  botUsername: () => Promise<string | undefined>;
  /**
   * Every link an edit renders goes through the admins' mirrors, read afresh by each walk: a walk
   * may be the update an admin asked for right after changing the map.
   */
  mirrors: Pick<MirrorStore, "all">;
  /** The mirrors and the bot's name a digest message's links are rendered with. */
  digestLinks: () => Promise<DigestLinks>;
  translate: (lang: Language) => Translate;
  /** Whether text alerts show their link preview; an edit says so again (LINK_PREVIEWS). */
  linkPreviews: boolean;
  /** Edits or deletes in flight at once. */
  concurrency: number;
  logger: Logger;
  now: () => DateTime;
  stopping?: () => boolean;
  /** Articles that went out in readers' digests: their digest message is edited too. */
  digests: DigestLedger;
  digestWords: (lang: Language) => DigestWords;
  /** A retracted breaking alert that is the bot's pin in its chat is unpinned first. */
  pinner?: Pick<Pinner, "unpinIfCurrent">;
}

/** What one revision does to one delivered alert: "edited", "deleted" or a failure reason. */
export type RevisionResult = "edited" | "deleted" | RevisionFailureReason;

/**
 * Runs one Bot API call for one delivered alert under the send policy, with the failure rules of
 * revisions: a message already reading so is done, one gone or out of reach is a reason, 5xx and
 * network errors go again up to TRIES times. A revision touches a message Telegram has: it takes
 * no ledger claim, and a chat that moved cannot be reached at its new id ("chat_unavailable").
 */
export function reviseCall(
  deps: Pick<RevisionDeps, "limiter" | "stopping">,
  chatId: number,
  call: () => Promise<unknown>,
  success: RevisionResult,
): Promise<RevisionResult> {
  return callUnderPolicy<RevisionResult>(
    { limiter: deps.limiter, stopping: deps.stopping, tries: TRIES },
    chatId,
    call,
    success,
    {
      failed: async (error) => {
        const failure = describeFailure(error);
        if (!failure) throw error;
        const decision = decideAfterRevisionFailure(failure);
        if (decision.action === "done") return { next: "settle", outcome: success };
        if (decision.action === "failed") return { next: "settle", outcome: decision.reason };
        if (decision.action === "wait-and-retry") return { next: "wait", seconds: decision.seconds };
        return { next: "retry" };
      },
      exhausted: () => "unavailable",
    },
  );
}

/**
 * Walks an article's ledger once delivery is over (so no alert goes out after the walk with the
 * old text), applying `revise` to every delivered alert. Each stretch of shards is counted once
 * even if the job is retried after a crash; the editor gets one report at the end.
 */
export interface RevisionTarget {
  seq: number;
  message: LedgerMessage;
  /** The reader's settings; undefined when the chat said /stop since. */
  chat: ChatSettings | undefined;
  article: Article;
  /** The mirror map as the walk started. */
  mirrors: MirrorMap;
}

/** The editor's report: how many were changed, and why the others were not. */
export function revisionReport(figures: RevisionFigures, t: Translate, success: RevisionResult, key: string) {
  const failures = Object.entries(figures.counts).filter(([k, n]) => k !== success && n > 0);
  return t(key, {
    done: figures.counts[success] ?? 0,
    failed: failures.reduce((a, [, n]) => a + n, 0),
    reasons: failures.map(([reason, count]) => t("nr-revision-reason", { reason, count })).join(", "),
  });
}

/** Edits of one digest message in a row, while revisions keep changing what it should read. */
const SETTLE_ROUNDS = 5;

export type SettleDeps = Pick<
  RevisionDeps,
  "api" | "articles" | "limiter" | "stopping" | "label" | "digestWords" | "digestLinks"
>;

/**
 * Makes one sent digest message read as its articles read now (corrected lines show the new
 * text, retracted ones are gone; the message is deleted when no line is left): it is rendered
 * from the articles, edited when that differs from `shown` (what it is known to read; unknown:
 * edited anyway), then rendered again, until the two agree.
 *
 * Two revisions of two of its articles at the same moment (a retraction of A and one of B) may
 * land their edits in either order, and the one landing last may have been rendered before the
 * other article changed. Each settles the message this way, and the one whose edit lands last
 * renders again after it: it sees every change made before, and any change made after it is
 * followed by an edit of its own revision, so the last edit always reads as the articles do now.
 * Nothing is kept about the message but its lines: the articles say what each line reads.
 */
export async function settleDigest(
  deps: SettleDeps,
  message: DigestMessage,
  shown?: string,
): Promise<"unchanged" | "edited" | "deleted" | RevisionFailureReason> {
  const { targetId, messageId } = message;
  let first: "edited" | "deleted" | RevisionFailureReason | undefined;
  for (let round = 0; round < SETTLE_ROUNDS; round++) {
    const html = await renderDigestMessage(
      deps.articles,
      message,
      deps.label,
      deps.digestWords(message.lang),
      await deps.digestLinks(),
    );
    if (html !== undefined && html === shown) break;
    const result = await reviseCall(
      deps,
      targetId,
      () =>
        html === undefined
          ? deps.api.deleteMessage(targetId, messageId)
          : deps.api.editMessageText(targetId, messageId, html, {
              parse_mode: "HTML",
              link_preview_options: { is_disabled: true },
            }),
      html === undefined ? "deleted" : "edited",
    );
    first ??= result;
    if (html === undefined || result !== "edited") return first;
    shown = html;
  }
  return first ?? "unchanged";
}

/**
 * The digest message an article went out in, settled (settleDigest): "correct" shows the
 * corrected line; "retract" drops the article's line, or deletes the message when it was its
 * only article. Past the 48 h the digest's content is kept, it cannot be done ("too_old").
 * Counted with the alerts, under the same results.
 */
export async function reviseDigest(
  deps: RevisionDeps,
  seq: number,
  entry: DigestEntry,
  kind: "correct" | "retract",
): Promise<RevisionResult> {
  const success: RevisionResult = kind === "correct" ? "edited" : "deleted";
  const message = await deps.digests.message(entry.targetId, entry.messageId);
  if (!message) return "too_old";
  const result = await settleDigest(deps, message);
  if (result !== "unchanged" && result !== "edited" && result !== "deleted") return result;
  if (kind === "retract") await deps.digests.markDeleted(seq, entry);
  return success;
}

export function ledgerWalker(
  deps: RevisionDeps,
  revise: (target: RevisionTarget) => Promise<RevisionResult>,
  report: (figures: RevisionFigures, t: Translate) => string,
  kind: "correct" | "retract",
) {
  const { articles, deliveries, revisions, chats, logger } = deps;
  return async (job: Job<RevisionJob>, token?: string): Promise<void> => {
    const { seq, revision, editor } = job.data;
    const article = await articles.get(seq);
    const stats = await articles.stats(seq);
    if (!article) return;
    const deliveryOver =
      stats.finishedAt !== undefined || (stats.fanoutDoneAt !== undefined && stats.done >= stats.recipients);
    if (!deliveryOver) {
      await job.moveToDelayed(Date.now() + 1000, token);
      throw new DelayedError();
    }
    let figures = await revisions.revisionFigures(seq, revision);
    if (!figures) return;
    let cursor = figures.cursor;
    const mirrors = await deps.mirrors.all();
    const iso = () => deps.now().toISO() ?? "";
    while (cursor < LEDGER_SHARDS) {
      const end = Math.min(cursor + SHARD_WINDOW, LEDGER_SHARDS);
      const messages = await deliveries.deliveredInShards(seq, cursor, end);
      const settings = await chats.getMany(messages.map((m) => m.targetId));
      const counts: Record<string, number> = {};
      await forEachLimit(messages, deps.concurrency, async (message) => {
        const result = await revise({ seq, message, chat: settings.get(message.targetId), article, mirrors });
        counts[result] = (counts[result] ?? 0) + 1;
      });
      // Readers who got the article in a digest: that digest message is edited (or deleted).
      const digests = await deps.digests.inShards(seq, cursor, end);
      await forEachLimit(digests, deps.concurrency, async (entry) => {
        const result = await reviseDigest(deps, seq, entry, kind);
        counts[result] = (counts[result] ?? 0) + 1;
      });
      await revisions.advanceRevision(
        seq,
        revision,
        cursor,
        end,
        counts,
        end >= LEDGER_SHARDS ? iso() : undefined,
      );
      cursor = end;
    }
    figures = (await revisions.revisionFigures(seq, revision)) ?? figures;
    logger.info({ seq, revision, kind: figures.kind, counts: figures.counts }, "revision finished");
    if (!job.data.quiet && (await revisions.claimRevisionReport(seq, revision, iso()))) {
      await deps.api.sendMessage(editor.chatId, report(figures, deps.translate(editor.lang)), {
        parse_mode: "HTML",
      });
    }
  };
}
