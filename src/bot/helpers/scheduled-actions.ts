import { DateTime } from "luxon";
import { dropScheduled, queueScheduled, wakeScheduled } from "../../delivery/scheduled-jobs.ts";
import { validateArticle } from "../../domain/article.ts";
import { oneLine } from "../../domain/audit.ts";
import { articleFromDraft, type BreakingDraft } from "../../domain/breaking-draft.ts";
import { dayAndTime } from "../../domain/clock.ts";
import { escapeHtml } from "../../domain/html.ts";
import type { KeptPush, PushEditor, ScheduledPush } from "../../domain/scheduled-push.ts";
import { STAFF_NAME_MAX } from "../../domain/staff-command.ts";
import type { ClaimResult, SaveResult } from "../../store/scheduled-pushes.ts";
import type { BotContext, DialogContext } from "../context.ts";
import { recordAudit } from "./audit-trail.ts";
import { readerLanguage } from "./chat-access.ts";
import { displayName } from "./staff-access.ts";

type Ctx = BotContext | DialogContext;

/** Schedule buttons: `sch:<action>:<article id>`; the id names the push, never a right. */
export type ScheduledAction = "open" | "now" | "time" | "edit" | "cancel" | "cancel-yes" | "cancel-no";
const DATA = /^sch:(open|now|time|edit|cancel|cancel-yes|cancel-no):([A-Za-z0-9_-]{1,56})$/;

export const scheduledData = (action: ScheduledAction, id: string) => `sch:${action}:${id}`;

export function parseScheduledData(data: string): { action: ScheduledAction; id: string } | undefined {
  const match = DATA.exec(data);
  return match ? { action: match[1] as ScheduledAction, id: match[2] ?? "" } : undefined;
}

/** Times an editor types and reads are in their private chat's zone, else the configured default. */
export function editorZone(ctx: Ctx): string {
  return ctx.chatSettings?.timeZone ?? ctx.config.defaultTimeZone;
}

/** "8 Dec, 9:00 AM": when a push goes, as the person asking reads time. */
export function pushTime(ctx: Ctx, atMs: number): string {
  return dayAndTime(DateTime.fromMillis(atMs, { zone: editorZone(ctx) }), readerLanguage(ctx));
}

/** The person acting, as the one who gets the push's status message when it goes out. */
export function pushEditor(ctx: Ctx): PushEditor {
  const from = ctx.from;
  return {
    chatId: ctx.chat?.id ?? 0,
    userId: from?.id ?? 0,
    lang: readerLanguage(ctx),
    name: from ? oneLine(displayName(from), STAFF_NAME_MAX) : "",
  };
}

/** A time in the audit trail: with its offset, so it reads the same in any admin's zone. */
const auditTime = (ctx: Ctx, atMs: number) =>
  DateTime.fromMillis(atMs, { zone: editorZone(ctx) }).toFormat("yyyy-LL-dd HH:mm ZZ");

/**
 * Keeps a new push under the article id it will be published with, and queues the job that wakes
 * a worker at its time. The draft is checked as publishing will check it, so a refusal comes now,
 * not at the time. Answers the problems, or undefined when it is scheduled.
 */
export async function scheduleNew(
  ctx: Ctx,
  draft: BreakingDraft,
  id: string,
  atMs: number,
): Promise<string | undefined> {
  const now = DateTime.utc();
  const check = validateArticle(articleFromDraft(draft, id, now), await ctx.stores.catalog.all(), now);
  if (!check.ok) return check.errors.map((e) => `${e.field}: ${e.message}`).join("\n");
  const push: ScheduledPush = { id, draft, atMs, editor: pushEditor(ctx), createdAt: now.toISO() ?? "" };
  // The push first: a job without its push would wake to nothing, a push without a job is
  // given one at the workers' next start.
  await ctx.stores.scheduled.create(push);
  await queueScheduled(ctx.queues.scheduled, push, now.toMillis());
  await recordAudit(ctx, "schedule", id, `${auditTime(ctx, atMs)} · ${draft.headline}`);
  ctx.logger.info({ articleId: id, atMs }, "breaking news scheduled by an editor");
  return undefined;
}

/**
 * Changes a push not yet going out: its text and targets, or its time (then its status message
 * goes to whoever set the time). Refused once it is claimed to go or to be cancelled.
 */
export async function changeScheduled(
  ctx: Ctx,
  push: ScheduledPush,
  change: { draft?: BreakingDraft; atMs?: number },
): Promise<SaveResult> {
  const timed = change.atMs !== undefined && change.atMs !== push.atMs;
  const next: ScheduledPush = {
    ...push,
    ...change,
    ...(timed ? { editor: pushEditor(ctx) } : {}),
  };
  const saved = await ctx.stores.scheduled.update(next);
  if (saved !== "ok") return saved;
  await queueScheduled(ctx.queues.scheduled, next, Date.now());
  if (change.draft) await recordAudit(ctx, "schedule-edit", push.id, next.draft.headline);
  if (timed) await recordAudit(ctx, "schedule-time", push.id, auditTime(ctx, next.atMs));
  return "ok";
}

/** Sends a push now: its time becomes now, and its job is woken. */
export async function sendScheduledNow(ctx: Ctx, push: ScheduledPush): Promise<SaveResult> {
  const now = Date.now();
  const saved = await changeScheduled(ctx, push, { atMs: now });
  if (saved === "ok") await wakeScheduled(ctx.queues.scheduled, push.id, now);
  return saved;
}

/** Cancels a push unless it started going out; its job goes with it. */
export async function cancelScheduled(ctx: Ctx, push: ScheduledPush): Promise<ClaimResult> {
  const claimed = await ctx.stores.scheduled.claim(push.id, "cancel", Date.now());
  if (claimed !== "ok") return claimed;
  await ctx.stores.scheduled.remove(push.id);
  await dropScheduled(ctx.queues.scheduled, push.id);
  await recordAudit(ctx, "schedule-cancel", push.id, push.draft.headline);
  ctx.logger.info({ articleId: push.id }, "scheduled breaking news cancelled by an editor");
  return "ok";
}

/** The pushes still waiting for their time, soonest first (one going out now is no longer among them). */
export async function waitingPushes(ctx: Ctx): Promise<KeptPush[]> {
  return (await ctx.stores.scheduled.list()).filter((p) => p.claim === undefined);
}

/** The lines and buttons /scheduled and /recent show for waiting pushes, numbered from `first`. */
export function pushLines(
  ctx: Ctx,
  pushes: readonly KeptPush[],
  first: number,
  key: "sch-list-line" | "sch-recent-line",
): { lines: string[]; buttons: { text: string; callback_data: string }[] } {
  const lines = pushes.map((p, i) =>
    ctx.t(key, {
      n: first + i,
      when: pushTime(ctx, p.atMs),
      headline: escapeHtml(p.draft.headline),
      id: escapeHtml(p.id),
    }),
  );
  const buttons = pushes.map((p, i) => ({
    text: `🕒 ${first + i}`,
    callback_data: scheduledData("open", p.id),
  }));
  return { lines, buttons };
}
