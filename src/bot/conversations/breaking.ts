import type { InlineKeyboardButton } from "grammy/types";
import { DateTime } from "luxon";
import { publishArticle } from "../../delivery/publish-article.ts";
import { linkPreview } from "../../delivery/send-alert.ts";
import { renderAlert } from "../../domain/alert.ts";
import { HEADLINE_MAX } from "../../domain/article.ts";
import {
  articleFromDraft,
  type BreakingDraft,
  breakingId,
  checkHeadline,
  checkLink,
  checkTeaser,
  type HeadlineCheck,
  toggled,
} from "../../domain/breaking-draft.ts";
import {
  type CatalogEntry,
  type CatalogKind,
  entryName,
  type Language,
  sortForReader,
} from "../../domain/catalog.ts";
import { deliveryProgress } from "../../domain/delivery-progress.ts";
import { countReach } from "../../store/reach.ts";
import { statusCard } from "../../telegram/status-card.ts";
import type { BotContext, DialogContext, SessionData, TargetsView } from "../context.ts";
import { recordAudit } from "../helpers/audit-trail.ts";
import { readerLanguage } from "../helpers/chat-access.ts";
import { ignoreNotModified } from "../helpers/edit-safely.ts";
import { watchCard } from "../helpers/newsroom-actions.ts";
import { askText, type Dialog, waitForTap } from "./dialog-steps.ts";

export const BREAKING_DIALOG = "breaking";

const PAGE_SIZE = 12;
const COLUMNS = 2;

type Selection = Record<CatalogKind, string[]>;

/**
 * The multi-select of step 4: one kind at a time, paged, ✅ on what is chosen, and Done. The
 * entries come in the order they are shown (see {@link sortForReader}).
 */
export function targetsKeyboard(
  entries: readonly CatalogEntry[],
  kind: CatalogKind,
  page: number,
  selection: Selection,
  lang: Language,
  t: DialogContext["t"],
): InlineKeyboardButton[][] {
  const ofKind = entries.filter((e) => e.kind === kind);
  const pages = Math.max(1, Math.ceil(ofKind.length / PAGE_SIZE));
  const current = Math.min(Math.max(page, 0), pages - 1);
  const mark = (on: boolean) => (on ? "✅ " : "");
  const rows: InlineKeyboardButton[][] = [
    (["topic", "region"] as const).map((k) => ({
      text: `${mark(k === kind)}${t(k === "topic" ? "brk-btn-topics" : "brk-btn-regions")}`,
      callback_data: `brk:kind:${k}`,
    })),
  ];
  const shown = ofKind.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);
  for (let i = 0; i < shown.length; i += COLUMNS) {
    rows.push(
      shown.slice(i, i + COLUMNS).map((e) => ({
        text: `${mark(selection[kind].includes(e.slug))}${entryName(e, lang)}`,
        callback_data: `brk:slug:${e.slug}`,
      })),
    );
  }
  if (pages > 1) {
    rows.push([
      { text: "◀", callback_data: `brk:page:${(current - 1 + pages) % pages}` },
      { text: `${current + 1} / ${pages}`, callback_data: `brk:page:${current}` },
      { text: "▶", callback_data: `brk:page:${(current + 1) % pages}` },
    ]);
  }
  rows.push([{ text: t("brk-btn-done"), callback_data: "brk:done" }]);
  return rows;
}

function chosenNames(entries: readonly CatalogEntry[], selection: Selection, lang: Language): string {
  const bySlug = new Map(entries.map((e) => [e.slug, e]));
  return [...selection.region, ...selection.topic]
    .map((slug) => bySlug.get(slug))
    .filter((e): e is CatalogEntry => e !== undefined)
    .map((e) => entryName(e, lang))
    .join(", ");
}

/** The reach as the locales take it: the count, and "yes" when it is "about" that many. */
const reachOf = async (conversation: Dialog, selection: Selection, lang: Language) => {
  const { count, exact } = await conversation.external((o: BotContext) =>
    countReach(o.stores.subscriptions, [...selection.topic, ...selection.region], lang),
  );
  return { count, about: exact ? "no" : "yes" };
};

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

/** The targets view after a tap on one of its buttons other than Done. */
function afterTap(
  view: TargetsView,
  what: string,
  arg: string,
  entries: readonly CatalogEntry[],
): TargetsView {
  if (what === "kind" && (arg === "topic" || arg === "region")) return { ...view, kind: arg, page: 0 };
  if (what === "page") return { ...view, page: Number(arg) || 0 };
  const entry = what === "slug" ? entries.find((e) => e.slug === arg) : undefined;
  if (!entry) return view;
  return {
    ...view,
    selection: { ...view.selection, [entry.kind]: toggled(view.selection[entry.kind], entry.slug) },
  };
}

/** Keeps what a round of the dialog changed outside its log, for the round after the rewind. */
const keep = (conversation: Dialog, change: (kept: NonNullable<SessionData["breaking"]>) => void) =>
  conversation.external((o: BotContext) => {
    o.session.breaking ??= {};
    change(o.session.breaking);
  });

/** The dialog's draft and views leave the session with it. */
export function forgetBreakingDraft(ctx: BotContext): void {
  delete ctx.session.breaking;
}

/**
 * Step 4: topics and regions, toggled on a paged keyboard, then Done. The view lives in the
 * session and each tap is rewound out of the dialog's log: however many taps it takes, the
 * stored dialog stays the size of one.
 */
async function chooseTargets(
  conversation: Dialog,
  ctx: DialogContext,
  entries: readonly CatalogEntry[],
  draft: BreakingDraft,
): Promise<Selection> {
  const selection: Selection = { topic: [...draft.topics], region: [...draft.regions] };
  const start: TargetsView = {
    selection,
    kind: selection.topic.length > 0 && selection.region.length === 0 ? "topic" : "region",
    page: 0,
  };
  const render = async (c: DialogContext, { selection, kind, page }: TargetsView) => {
    const chosen = chosenNames(entries, selection, draft.lang);
    // Nothing chosen reaches nobody: no names, no count of 0 chats.
    const text =
      chosen === ""
        ? c.t("brk-ask-targets-none")
        : c.t("brk-ask-targets", { chosen, ...(await reachOf(conversation, selection, draft.lang)) });
    return {
      text,
      reply_markup: { inline_keyboard: targetsKeyboard(entries, kind, page, selection, draft.lang, c.t) },
    };
  };
  const first = await render(ctx, start);
  await ctx.reply(first.text, { reply_markup: first.reply_markup });
  await keep(conversation, (kept) => {
    kept.targets = start;
  });
  const beforeTap = conversation.checkpoint();
  const view = await conversation.external((o: BotContext) => o.session.breaking?.targets ?? start);
  const { ctx: tap, match } = await waitForTap(conversation, /^brk:(kind|slug|page|done):?([a-z0-9-]*)$/);
  const [, what = "", arg = ""] = match;
  if (what === "done") {
    if (view.selection.topic.length + view.selection.region.length === 0) {
      await tap.answerCallbackQuery({ text: tap.t("brk-choose-one") });
      return conversation.rewind(beforeTap);
    }
    await tap.answerCallbackQuery();
    await ignoreNotModified(tap.editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } }));
    await keep(conversation, (kept) => {
      delete kept.targets;
    });
    return view.selection;
  }
  const next = afterTap(view, what, arg, entries);
  await keep(conversation, (kept) => {
    kept.targets = next;
  });
  await tap.answerCallbackQuery();
  const shown = await render(tap, next);
  await ignoreNotModified(tap.editMessageText(shown.text, { reply_markup: shown.reply_markup }));
  return conversation.rewind(beforeTap);
}

/** The alert exactly as a subscriber in the editor's language gets it, then the reach and the choice. */
async function preview(
  conversation: Dialog,
  ctx: DialogContext,
  entries: readonly CatalogEntry[],
  draft: BreakingDraft,
): Promise<"send" | "edit" | "cancel"> {
  const now = DateTime.fromMillis(await conversation.now()).toUTC();
  const timeZone = await conversation.external(
    (o: BotContext) => o.chatSettings?.timeZone ?? o.config.defaultTimeZone,
  );
  const alert = renderAlert(
    { ...draft, publishedAt: now.toISO() ?? "", breaking: true },
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
  await ctx.reply(ctx.t("brk-preview", { ...reach, targets }), {
    reply_markup: {
      inline_keyboard: [
        [
          { text: ctx.t("brk-btn-send"), callback_data: "brk:send" },
          { text: ctx.t("brk-btn-edit"), callback_data: "brk:edit" },
          { text: ctx.t("brk-btn-cancel"), callback_data: "brk:cancel" },
        ],
      ],
    },
  });
  const { ctx: tap, match } = await waitForTap(conversation, /^brk:(send|edit|cancel)$/);
  await tap.answerCallbackQuery();
  await ignoreNotModified(tap.editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } }));
  return match[1] as "send" | "edit" | "cancel";
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

/**
 * /breaking: headline → teaser → link → topics and regions → preview → Send / Edit / Cancel.
 * Send publishes through the same `publishArticle` as every other source, as breaking news, and
 * leaves a live status message behind. Each round of the preview (an edit, a refused send) keeps
 * the draft in the session and is rewound out of the dialog's log, so that going back and forth
 * leaves the stored dialog the size of one round.
 */
export async function breakingDialog(conversation: Dialog, ctx: DialogContext): Promise<void> {
  // The edition is the editor's language: the one the preview and the prompts are in.
  const lang = await conversation.external((o: BotContext) => readerLanguage(o));
  // In the order the readers' menus show them: the most followed first, as of the dialog's start.
  const entries = await conversation.external(async (o: BotContext) => {
    const [all, subscribers] = await Promise.all([o.stores.catalog.all(), o.stores.subscriptions.counts()]);
    return sortForReader(
      all.filter((e) => e.state === "active"),
      lang,
      subscribers,
    );
  });
  const first: BreakingDraft = { headline: "", teaser: "", url: "", topics: [], regions: [], lang };
  first.headline = await askHeadline(conversation, ctx, ctx.t("brk-start"));
  first.teaser = await askTeaser(conversation, ctx);
  first.url = await askLink(conversation, ctx);
  ({ topic: first.topics, region: first.regions } = await chooseTargets(conversation, ctx, entries, first));
  await keep(conversation, (kept) => {
    kept.draft = first;
  });
  const round = conversation.checkpoint();
  const draft = await conversation.external((o: BotContext) => o.session.breaking?.draft ?? first);
  const nextRound = async (changed: BreakingDraft): Promise<never> => {
    await keep(conversation, (kept) => {
      kept.draft = changed;
    });
    return conversation.rewind(round);
  };
  const done = () => conversation.external((o: BotContext) => forgetBreakingDraft(o));
  const choice = await preview(conversation, ctx, entries, draft);
  if (choice === "cancel") {
    await done();
    await ctx.reply(ctx.t("brk-discarded"));
    return;
  }
  if (choice === "edit") {
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
    return nextRound(changed);
  }
  const suffix = Math.floor((await conversation.random()) * 36 ** 4)
    .toString(36)
    .padStart(4, "0");
  const sent = await conversation.external(async (o: BotContext) => {
    const role = await o.stores.staff.roleOf(o.from?.id);
    if (role === "reader") return { status: "refused" as const };
    const now = DateTime.utc();
    const article = articleFromDraft(draft, breakingId(now, suffix), now);
    const { count: expected } = await countReach(
      o.stores.subscriptions,
      [...draft.topics, ...draft.regions],
      lang,
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
