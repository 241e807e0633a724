import type { InlineKeyboardMarkup } from "grammy/types";
import type { Article } from "../domain/article.ts";
import type { DeliveryProgress } from "../domain/delivery-progress.ts";
import { escapeHtml } from "../domain/html.ts";
import { type ReactionTotals, reactionsLine } from "../domain/reactions.ts";

/** Localized text by key, as the bot's ctx.t and the workers' i18n.t both give it. */
export type Translate = (key: string, vars?: Record<string, string | number>) => string;

/** Buttons of the newsroom; the data names the article by its sequence number, never a right. */
export type NewsroomAction = "cancel" | "correct" | "retract" | "retract-yes" | "retract-no" | "card";

const ACTIONS: readonly NewsroomAction[] = [
  "cancel",
  "correct",
  "retract",
  "retract-yes",
  "retract-no",
  "card",
];

export function newsroomData(action: NewsroomAction, seq: number): string {
  return `nr:${action}:${seq}`;
}

export function parseNewsroomData(data: string): { action: NewsroomAction; seq: number } | undefined {
  const match = /^nr:([a-z-]+):(\d{1,15})$/.exec(data);
  const action = ACTIONS.find((a) => a === match?.[1]);
  return action && match ? { action, seq: Number(match[2]) } : undefined;
}

/** "blocked 12, other 2": the reasons named, most frequent first. */
function failureBreakdown(progress: DeliveryProgress, t: Translate): string {
  return progress.failedBy.map(([reason, n]) => t("nr-reason", { reason, count: n })).join(", ");
}

/**
 * The editor's live status message for one article: where delivery stands, and the buttons
 * that still apply (cancel while sending; correct and retract while the alert can be changed).
 */
export function statusCard(
  article: Pick<Article, "id" | "headline" | "breaking">,
  seq: number,
  progress: DeliveryProgress,
  t: Translate,
  revisable: boolean,
  reactions: ReactionTotals = {},
): { text: string; reply_markup: InlineKeyboardMarkup } {
  const head = t("nr-status-head", {
    mark: article.breaking ? "🔴 " : "",
    headline: escapeHtml(article.headline),
    id: escapeHtml(article.id),
  });
  const failures = progress.failed > 0 ? failureBreakdown(progress, t) : "";
  const vars = {
    sent: progress.sent,
    total: progress.total,
    failed: progress.failed,
    failures,
    cancelled: progress.cancelled,
    eta: progress.etaSeconds ?? 0,
    seconds: Math.round(progress.elapsedSeconds),
  };
  const line = t(`nr-status-${progress.state}`, vars);
  // Readers who chose digests or filters are counted as done: say where they went, leaving out
  // a part that is zero.
  const parts = [
    ...(progress.held > 0 ? [t("nr-status-held", { held: progress.held })] : []),
    ...(progress.optedOut > 0 ? [t("nr-status-opted-out", { optedOut: progress.optedOut })] : []),
  ];
  const readers = parts.length > 0 ? `\n${t("nr-status-readers", { parts: parts.join(", ") })}` : "";
  const reads = progress.reads > 0 ? `\n${t("nr-reads", { count: progress.reads })}` : "";
  const reactionLine = reactionsLine(reactions);
  const reacted = reactionLine ? `\n${t("nr-reactions", { line: reactionLine })}` : "";
  const buttons = [];
  if (progress.state === "sending" || progress.state === "queued")
    buttons.push({ text: t("nr-btn-cancel"), callback_data: newsroomData("cancel", seq) });
  if (revisable && progress.state !== "retracted") {
    buttons.push({ text: t("nr-btn-correct"), callback_data: newsroomData("correct", seq) });
    buttons.push({ text: t("nr-btn-retract"), callback_data: newsroomData("retract", seq) });
  }
  return {
    text: `${head}\n${line}${readers}${reads}${reacted}`,
    reply_markup: { inline_keyboard: buttons.length ? [buttons] : [] },
  };
}
