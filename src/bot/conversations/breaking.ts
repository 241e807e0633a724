import { DateTime } from "luxon";
import { publishArticle } from "../../delivery/publish-article.ts";
import { linkPreview } from "../../delivery/send-alert.ts";
import { renderAlert } from "../../domain/alert.ts";
import { type Article, HEADLINE_MAX } from "../../domain/article.ts";
import {
  articleFromDraft,
  type BreakingDraft,
  breakingId,
  checkHeadline,
  checkLink,
  checkTeaser,
  type HeadlineCheck,
} from "../../domain/breaking-draft.ts";
import { type CatalogEntry, type Language, sortForReader } from "../../domain/catalog.ts";
import { deliveryProgress } from "../../domain/delivery-progress.ts";
import { countReach } from "../../store/reach.ts";
import { statusCard } from "../../telegram/status-card.ts";
import type { BotContext, DialogContext } from "../context.ts";
import { recordAudit } from "../helpers/audit-trail.ts";
import { readerLanguage } from "../helpers/chat-access.ts";
import { ignoreNotModified } from "../helpers/edit-safely.ts";
import { watchCard } from "../helpers/newsroom-actions.ts";
import { editorZone } from "../helpers/scheduled-actions.ts";
import { askScheduleTime, scheduleDraft, scheduledText } from "./breaking-schedule.ts";
import { draftRounds, forgetBreakingDraft } from "./breaking-session.ts";
import { chooseTargets, chosenNames, reachOf } from "./breaking-targets.ts";
import { askText, type Dialog, waitForTap } from "./dialog-steps.ts";

export const BREAKING_DIALOG = "breaking";

/** What is wrong with a headline, with its length when it is too long. */
export function headlineProblem(refusal: Exclude<HeadlineCheck, { ok: true }>, c: DialogContext): string {
  return refusal.why === "too-long"
    ? c.t("brk-headline-too-long", { length: refusal.length, max: HEADLINE_MAX })
    : c.t("brk-headline-empty");
}

async function askHeadline(conversation: Dialog, ctx: DialogContext, prompt: string): Promise<string> {
  return askText(conversation, ctx, prompt, checkHeadline, headlineProblem);
}

async function askTeaser(conversation: Dialog, ctx: DialogContext): Promise<string> {
  return askText(conversation, ctx, ctx.t("brk-ask-teaser"), checkTeaser, ({ why }, c) =>
    c.t(`brk-teaser-${why}`),
  );
}

async function askLink(conversation: Dialog, ctx: DialogContext): Promise<string> {
  return askText(conversation, ctx, ctx.t("brk-ask-link"), checkLink, ({ why, scheme }, c) =>
    c.t(`brk-link-${why}`, { scheme: scheme ?? "" }),
  );
}

/** What the preview offers: a new draft is sent or scheduled; a scheduled one's changes are saved. */
export type PreviewChoice = "send" | "schedule" | "save" | "edit" | "cancel";

/**
 * The alert exactly as a subscriber in the editor's language gets it, then the reach and the
 * choice, two buttons a row. A scheduled push shows its time (`at`) in the alert and below.
 */
export async function preview(
  conversation: Dialog,
  ctx: DialogContext,
  entries: readonly CatalogEntry[],
  draft: BreakingDraft,
  choices: readonly PreviewChoice[],
  at?: DateTime,
): Promise<PreviewChoice> {
  const now = at ?? DateTime.fromMillis(await conversation.now()).toUTC();
  const timeZone = await conversation.external((o: BotContext) => editorZone(o));
  const alert = renderAlert(
    { ...draft, publishedAt: now.toUTC().toISO() ?? "", breaking: true },
    { lang: draft.lang, timeZone },
    ctx.config.label,
    ctx.t("read"),
  );
  // With the link preview a reader gets too: the preview shows the alert as it will arrive.
  await ctx.reply(alert, {
    parse_mode: "HTML",
    link_preview_options: linkPreview(draft, ctx.config.linkPreviews),
  });
  const reach = await reachOf(conversation, { topic: draft.topics, region: draft.regions }, draft.lang);
  const targets = chosenNames(entries, { topic: draft.topics, region: draft.regions }, draft.lang);
  const when = at ? `\n${scheduledText(ctx, "sch-preview-at", draft, "", at.setZone(timeZone))}` : "";
  const buttons = choices.map((c) => ({ text: ctx.t(`brk-btn-${c}`), callback_data: `brk:${c}` }));
  await ctx.reply(`${ctx.t("brk-preview", { ...reach, targets })}${when}`, {
    reply_markup: { inline_keyboard: [buttons.slice(0, 2), buttons.slice(2)] },
  });
  const { ctx: tap, match } = await waitForTap(conversation, new RegExp(`^brk:(${choices.join("|")})$`));
  await tap.answerCallbackQuery();
  await ignoreNotModified(tap.editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } }));
  return match[1] as PreviewChoice;
}

async function chooseEdit(conversation: Dialog, ctx: DialogContext) {
  const field = (name: string) => ({
    text: ctx.t(`brk-btn-edit-${name}`),
    callback_data: `brk:edit-${name}`,
  });
  await ctx.reply(ctx.t("brk-ask-edit"), {
    reply_markup: {
      inline_keyboard: [
        [field("headline"), field("teaser")],
        [field("link"), field("targets")],
      ],
    },
  });
  const { ctx: tap, match } = await waitForTap(conversation, /^brk:edit-(headline|teaser|link|targets)$/);
  await tap.answerCallbackQuery();
  await ignoreNotModified(tap.editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } }));
  return { tap, field: match[1] as "headline" | "teaser" | "link" | "targets" };
}

/** The entries to choose from, in the order the readers' menus show them: the most followed first, as of now. */
export function activeEntries(conversation: Dialog, lang: Language): Promise<CatalogEntry[]> {
  return conversation.external(async (o: BotContext) => {
    const [all, subscribers] = await Promise.all([o.stores.catalog.all(), o.stores.subscriptions.counts()]);
    return sortForReader(
      all.filter((e) => e.state === "active"),
      lang,
      subscribers,
    );
  });
}

/** The draft with the one field the editor chose to change asked anew. */
export async function editDraft(
  conversation: Dialog,
  ctx: DialogContext,
  entries: readonly CatalogEntry[],
  draft: BreakingDraft,
): Promise<BreakingDraft> {
  const { tap, field } = await chooseEdit(conversation, ctx);
  const changed = { ...draft };
  if (field === "headline")
    changed.headline = await askHeadline(conversation, tap, tap.t("brk-ask-headline"));
  if (field === "teaser") changed.teaser = await askTeaser(conversation, tap);
  if (field === "link") changed.url = await askLink(conversation, tap);
  if (field === "targets")
    ({ topic: changed.topics, region: changed.regions } = await chooseTargets(
      conversation,
      tap,
      entries,
      draft,
    ));
  return changed;
}

/**
 * Publishes the draft as breaking news, if the person sending is staff still: the role is read
 * again at the moment of sending, not taken from when the dialog began.
 */
async function publishDraft(conversation: Dialog, draft: BreakingDraft) {
  const suffix = Math.floor((await conversation.random()) * 36 ** 4)
    .toString(36)
    .padStart(4, "0");
  return conversation.external(async (o: BotContext) => {
    const role = await o.stores.staff.roleOf(o.from?.id);
    if (role === "reader") return { status: "refused" as const };
    const now = DateTime.utc();
    const article = articleFromDraft(draft, breakingId(now, suffix), now);
    const { count: expected } = await countReach(
      o.stores.subscriptions,
      [...draft.topics, ...draft.regions],
      draft.lang,
    );
    const result = await publishArticle(
      article,
      { catalog: o.stores.catalog, articles: o.stores.articles, texts: o.stores.texts, queues: o.queues },
      now,
    );
    if (result.status === "queued") {
      await recordAudit(o, "push", article.id, draft.headline);
      o.logger.info({ articleId: article.id, seq: result.seq, expected }, "breaking news sent by an editor");
    }
    return { ...result, expected, article };
  });
}

/** The live status message of what was just sent, counting toward the reach the preview showed. */
async function showStatus(
  conversation: Dialog,
  ctx: DialogContext,
  sent: { article: Pick<Article, "id" | "headline" | "breaking">; seq: number; expected: number },
): Promise<void> {
  const progress = deliveryProgress(
    { recipients: 0, done: 0, sent: 0, failed: {}, skipped: {} },
    DateTime.utc(),
    ctx.config.sendRate,
    sent.expected,
  );
  const card = statusCard(sent.article, sent.seq, progress, ctx.t, true);
  const message = await ctx.reply(card.text, { parse_mode: "HTML", reply_markup: card.reply_markup });
  await conversation.external((o: BotContext) =>
    watchCard(o, sent.seq, { chatId: message.chat.id, messageId: message.message_id }, sent.expected),
  );
}

/**
 * Schedule instead of Send: the time asked, then the push kept for it. Answers "again" for a new
 * round of the preview (Back, or a draft publishing would refuse).
 */
async function scheduleRound(
  conversation: Dialog,
  ctx: DialogContext,
  draft: BreakingDraft,
): Promise<"again" | "done"> {
  const at = await askScheduleTime(conversation, ctx, draft.lang);
  if (!at) return "again";
  const scheduled = await scheduleDraft(conversation, draft, at);
  if (scheduled.status === "invalid") {
    await ctx.reply(ctx.t("brk-invalid", { problems: scheduled.problems }));
    return "again";
  }
  if (scheduled.status === "refused") await ctx.reply(ctx.t("unknown-command"));
  else await ctx.reply(scheduledText(ctx, "sch-scheduled", draft, scheduled.id, at), { parse_mode: "HTML" });
  return "done";
}

/**
 * /breaking: headline → teaser → link → topics and regions → preview → Send / Schedule / Edit /
 * Cancel. Schedule keeps it for a time (breaking-schedule.ts). Send publishes through the same `publishArticle` as every other source, as breaking news, and
 * leaves a live status message behind. Each round of the preview (an edit, a refused send) keeps
 * the draft in the session and is rewound out of the dialog's log, so that going back and forth
 * leaves the stored dialog the size of one round.
 */
export async function breakingDialog(conversation: Dialog, ctx: DialogContext): Promise<void> {
  // The edition is the editor's language: the one the preview and the prompts are in.
  const lang = await conversation.external((o: BotContext) => readerLanguage(o));
  const entries = await activeEntries(conversation, lang);
  const first: BreakingDraft = { headline: "", teaser: "", url: "", topics: [], regions: [], lang };
  first.headline = await askHeadline(conversation, ctx, ctx.t("brk-start"));
  first.teaser = await askTeaser(conversation, ctx);
  first.url = await askLink(conversation, ctx);
  ({ topic: first.topics, region: first.regions } = await chooseTargets(conversation, ctx, entries, first));
  const { draft, nextRound } = await draftRounds(conversation, first);
  const done = () => conversation.external((o: BotContext) => forgetBreakingDraft(o));
  const choice = await preview(conversation, ctx, entries, draft, ["send", "schedule", "edit", "cancel"]);
  if (choice === "schedule") {
    const scheduled = await scheduleRound(conversation, ctx, draft);
    if (scheduled === "again") return nextRound(draft);
    return done();
  }
  if (choice === "cancel") {
    await done();
    await ctx.reply(ctx.t("brk-discarded"));
    return;
  }
  if (choice === "edit") return nextRound(await editDraft(conversation, ctx, entries, draft));
  const sent = await publishDraft(conversation, draft);
  if (sent.status === "invalid") {
    const problems = sent.errors.map((e) => `${e.field}: ${e.message}`).join("\n");
    await ctx.reply(ctx.t("brk-invalid", { problems }));
    return nextRound(draft);
  }
  await done();
  if (sent.status === "refused") {
    await ctx.reply(ctx.t("unknown-command"));
    return;
  }
  if (sent.status === "duplicate") {
    await ctx.reply(ctx.t("brk-duplicate"));
    return;
  }
  await showStatus(conversation, ctx, sent);
}
