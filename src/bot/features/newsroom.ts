import { Composer } from "grammy";
import { DateTime } from "luxon";
import { deliveryProgress } from "../../domain/delivery-progress.ts";
import { escapeHtml } from "../../domain/html.ts";
import { reactionsLine } from "../../domain/reactions.ts";
import { REVISION_WINDOW_HOURS } from "../../domain/revision.ts";
import { newsroomData, parseNewsroomData, statusCard } from "../../telegram/status-card.ts";
import type { BotContext } from "../context.ts";
import { BREAKING_DIALOG } from "../conversations/breaking.ts";
import { CORRECT_DIALOG } from "../conversations/correct.ts";
import { dialogActive, leaveDialogs } from "../conversations/install-dialogs.ts";
import { recordAudit } from "../helpers/audit-trail.ts";
import {
  type FoundArticle,
  findArticle,
  refreshCards,
  revisable,
  startRevision,
  watchCard,
} from "../helpers/newsroom-actions.ts";
import { pushLines, waitingPushes } from "../helpers/scheduled-actions.ts";
import { staffAction } from "../helpers/staff-access.ts";

const RECENT_LIMIT = 20;

/** Sends a fresh status message for an article, kept live by a worker while delivery runs. */
async function sendCard(ctx: BotContext, found: FoundArticle): Promise<void> {
  const progress = deliveryProgress(found.stats, DateTime.utc(), ctx.config.sendRate);
  const reactions = await ctx.stores.reactions.totals(found.seq);
  const card = statusCard(
    found.article,
    found.seq,
    progress,
    ctx.t,
    revisable(found, DateTime.utc()),
    reactions,
  );
  const message = await ctx.reply(card.text, { parse_mode: "HTML", reply_markup: card.reply_markup });
  await watchCard(ctx, found.seq, { chatId: message.chat.id, messageId: message.message_id }, progress.total);
}

async function cancelDelivery(ctx: BotContext, found: FoundArticle): Promise<string> {
  const progress = deliveryProgress(found.stats, DateTime.utc(), ctx.config.sendRate);
  if (progress.state !== "queued" && progress.state !== "sending") return ctx.t("nr-cancel-over");
  if (!(await ctx.stores.articles.cancel(found.seq, DateTime.utc().toISO() ?? "")))
    return ctx.t("nr-cancel-already");
  await recordAudit(ctx, "cancel", found.article.id);
  ctx.logger.info({ seq: found.seq, articleId: found.article.id }, "delivery cancelled by an editor");
  return ctx.t("nr-cancel-done");
}

async function askRetract(ctx: BotContext, found: FoundArticle): Promise<void> {
  if (!revisable(found, DateTime.utc())) {
    await ctx.reply(ctx.t(found.stats.retractedAt ? "nr-retract-already" : "nr-too-late"));
    return;
  }
  await ctx.reply(
    ctx.t("nr-retract-confirm", { count: found.stats.sent, headline: found.article.headline }),
    {
      reply_markup: {
        inline_keyboard: [
          [
            { text: ctx.t("nr-btn-retract-yes"), callback_data: newsroomData("retract-yes", found.seq) },
            { text: ctx.t("nr-btn-retract-no"), callback_data: newsroomData("retract-no", found.seq) },
          ],
        ],
      },
    },
  );
}

async function retract(ctx: BotContext, found: FoundArticle): Promise<string> {
  if (!revisable(found, DateTime.utc()))
    return ctx.t(found.stats.retractedAt ? "nr-retract-already" : "nr-too-late");
  if (!(await ctx.stores.articles.markRetracted(found.seq, DateTime.utc().toISO() ?? "")))
    return ctx.t("nr-retract-already");
  // "Read here" serves a retracted text no more: it is not kept either.
  await ctx.stores.texts.remove(found.seq);
  await startRevision(ctx, found.seq, "retract");
  await recordAudit(ctx, "retract", found.article.id);
  await refreshCards(ctx, found.seq);
  ctx.logger.info({ seq: found.seq, articleId: found.article.id }, "alert retracted by an editor");
  return ctx.t("nr-retract-started", { count: found.stats.sent });
}

async function openCorrection(ctx: BotContext, found: FoundArticle): Promise<void> {
  if (!revisable(found, DateTime.utc())) {
    await ctx.reply(ctx.t(found.stats.retractedAt ? "nr-retract-already" : "nr-too-late"));
    return;
  }
  if (dialogActive(ctx)) await leaveDialogs(ctx);
  await ctx.conversation.enter(CORRECT_DIALOG, found.seq);
}

/** The article a command names: `/correct <id>`; a missing or unknown id gets a pointer to /recent. */
async function articleFromCommand(ctx: BotContext & { match: string }): Promise<FoundArticle | undefined> {
  const id = ctx.match.trim();
  if (id === "") {
    await ctx.reply(ctx.t("nr-need-id"));
    return undefined;
  }
  const found = await findArticle(ctx, { id });
  if (!found) await ctx.reply(ctx.t("nr-not-found-id", { id: [...id].slice(0, 80).join("") }));
  return found;
}

async function recent(ctx: BotContext): Promise<void> {
  const since = DateTime.utc().minus({ hours: REVISION_WINDOW_HOURS }).toMillis();
  const seqs = await ctx.stores.articles.recent(since, RECENT_LIMIT);
  const found = (await Promise.all(seqs.map((seq) => findArticle(ctx, { seq })))).filter(
    (f): f is FoundArticle => f !== undefined,
  );
  // The pushes waiting for their time come first, marked 🕒, numbered with the rest.
  const waiting = pushLines(ctx, await waitingPushes(ctx), 1, "sch-recent-line");
  if (found.length === 0 && waiting.lines.length === 0) {
    await ctx.reply(ctx.t("nr-recent-none"));
    return;
  }
  const reactions = await ctx.stores.reactions.totalsOfMany(found.map((f) => f.seq));
  const lines = found.map((f, i) => {
    const p = deliveryProgress(f.stats, DateTime.utc(), ctx.config.sendRate);
    const reads = p.reads > 0 ? ` · ${ctx.t("nr-reads", { count: p.reads })}` : "";
    const reacted = reactionsLine(reactions[i] ?? {});
    const line = ctx.t("nr-recent-line", {
      n: waiting.lines.length + i + 1,
      mark: f.article.breaking ? "🔴 " : "",
      headline: escapeHtml(f.article.headline),
      id: escapeHtml(f.article.id),
      sent: p.sent,
      failed: p.failed,
      state: p.state,
    });
    return `${line}${reads}${reacted ? ` · ${reacted}` : ""}`;
  });
  const buttons = [
    ...waiting.buttons,
    ...found.map((f, i) => ({
      text: String(waiting.lines.length + i + 1),
      callback_data: newsroomData("card", f.seq),
    })),
  ];
  const rows = [];
  for (let i = 0; i < buttons.length; i += 5) rows.push(buttons.slice(i, i + 5));
  await ctx.reply(`${ctx.t("nr-recent-head")}\n${[...waiting.lines, ...lines].join("\n")}`, {
    parse_mode: "HTML",
    reply_markup: { inline_keyboard: rows },
  });
}

/**
 * Editors' commands and the buttons of status messages. Every command and every tap checks the
 * person acting (the guard of `editors`); the article a button names is only a reference, never a
 * permission.
 */
export function newsroomFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const editors = feature.filter(staffAction("editor"));
  const privateChats = editors.chatType("private");

  privateChats.command("breaking", async (ctx) => {
    if (dialogActive(ctx)) await leaveDialogs(ctx);
    await ctx.conversation.enter(BREAKING_DIALOG);
  });

  privateChats.command("cancel", async (ctx) => {
    if (ctx.match.trim() === "") {
      await ctx.reply(ctx.t("nr-cancel-nothing"));
      return;
    }
    const found = await articleFromCommand(ctx);
    if (found) await ctx.reply(await cancelDelivery(ctx, found));
  });

  privateChats.command("correct", async (ctx) => {
    const found = await articleFromCommand(ctx);
    if (found) await openCorrection(ctx, found);
  });

  privateChats.command("retract", async (ctx) => {
    const found = await articleFromCommand(ctx);
    if (found) await askRetract(ctx, found);
  });

  privateChats.command("recent", async (ctx) => {
    await recent(ctx);
  });

  editors.callbackQuery(/^nr:/, async (ctx) => {
    const data = parseNewsroomData(ctx.callbackQuery.data);
    if (!data) {
      await ctx.answerCallbackQuery({ text: ctx.t("toast-stale-button") });
      return;
    }
    const found = await findArticle(ctx, { seq: data.seq });
    if (!found) {
      await ctx.answerCallbackQuery({ text: ctx.t("nr-not-found") });
      return;
    }
    switch (data.action) {
      case "cancel":
        await ctx.answerCallbackQuery({ text: await cancelDelivery(ctx, found) });
        return;
      case "correct":
        await ctx.answerCallbackQuery();
        await openCorrection(ctx, found);
        return;
      case "retract":
        await ctx.answerCallbackQuery();
        await askRetract(ctx, found);
        return;
      case "retract-yes": {
        await ctx.answerCallbackQuery();
        await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } }).catch(() => undefined);
        await ctx.reply(await retract(ctx, found));
        return;
      }
      case "retract-no":
        await ctx.answerCallbackQuery({ text: ctx.t("nr-retract-kept") });
        await ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } }).catch(() => undefined);
        return;
      case "card":
        await ctx.answerCallbackQuery();
        await sendCard(ctx, found);
        return;
    }
  });

  return feature;
}
