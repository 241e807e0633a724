import { Composer } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import { entryName } from "../../domain/catalog.ts";
import { escapeHtml } from "../../domain/html.ts";
import type { KeptPush } from "../../domain/scheduled-push.ts";
import { countReach } from "../../store/reach.ts";
import type { BotContext } from "../context.ts";
import { dialogActive, leaveDialogs } from "../conversations/install-dialogs.ts";
import { SCHEDULED_DIALOG } from "../conversations/scheduled-edit.ts";
import { ignoreNotModified } from "../helpers/edit-safely.ts";
import {
  cancelScheduled,
  editorZone,
  parseScheduledData,
  pushLines,
  pushTime,
  scheduledData,
  sendScheduledNow,
  waitingPushes,
} from "../helpers/scheduled-actions.ts";
import { staffAction } from "../helpers/staff-access.ts";

const HTML = { parse_mode: "HTML" } as const;

/** /scheduled: the pushes waiting for their time, soonest first, a numbered button each. */
async function list(ctx: BotContext): Promise<void> {
  const pushes = await waitingPushes(ctx);
  if (pushes.length === 0) {
    await ctx.reply(ctx.t("sch-list-none"));
    return;
  }
  const { lines, buttons } = pushLines(ctx, pushes, 1, "sch-list-line");
  const rows: InlineKeyboardButton[][] = [];
  for (let i = 0; i < buttons.length; i += 5) rows.push(buttons.slice(i, i + 5));
  await ctx.reply(`${ctx.t("sch-list-head", { zone: editorZone(ctx) })}\n${lines.join("\n")}`, {
    ...HTML,
    reply_markup: { inline_keyboard: rows },
  });
}

/** One push: its text, its time, who gets it now, and what can be done with it. */
async function open(ctx: BotContext, push: KeptPush): Promise<void> {
  const { draft } = push;
  const slugs = [...draft.regions, ...draft.topics];
  const catalog = new Map((await ctx.stores.catalog.all()).map((e) => [e.slug, e]));
  const targets = slugs.map((s) => {
    const entry = catalog.get(s);
    return entry ? entryName(entry, draft.lang) : s;
  });
  const reach = await countReach(ctx.stores.subscriptions, slugs, draft.lang);
  const text = ctx.t("sch-card", {
    headline: escapeHtml(draft.headline),
    id: escapeHtml(push.id),
    when: pushTime(ctx, push.atMs),
    zone: editorZone(ctx),
    targets: escapeHtml(targets.join(", ")),
    count: reach.count,
    about: reach.exact ? "no" : "yes",
    editor: escapeHtml(push.editor.name),
  });
  const button = (action: "now" | "time" | "edit" | "cancel") => ({
    text: ctx.t(`sch-btn-${action}`),
    callback_data: scheduledData(action, push.id),
  });
  await ctx.reply(text, {
    ...HTML,
    link_preview_options: { is_disabled: true },
    reply_markup: {
      inline_keyboard: [
        [button("now"), button("time")],
        [button("edit"), button("cancel")],
      ],
    },
  });
}

async function askCancel(ctx: BotContext, push: KeptPush): Promise<void> {
  await ctx.reply(
    ctx.t("sch-cancel-confirm", {
      headline: escapeHtml(push.draft.headline),
      when: pushTime(ctx, push.atMs),
    }),
    {
      ...HTML,
      reply_markup: {
        inline_keyboard: [
          [
            { text: ctx.t("sch-btn-cancel-yes"), callback_data: scheduledData("cancel-yes", push.id) },
            { text: ctx.t("sch-btn-cancel-no"), callback_data: scheduledData("cancel-no", push.id) },
          ],
        ],
      },
    },
  );
}

/** What a refusal to change a push says: it is going out now, or it is no more. */
const lateWords = (ctx: BotContext, result: string) => ctx.t(result === "send" ? "sch-going" : "sch-gone");

const dropButtons = (ctx: BotContext) =>
  ignoreNotModified(ctx.editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } }));

/** A tap on a push's button, checked against the push as it is now. */
async function onTap(ctx: BotContext & { callbackQuery: { data: string } }): Promise<void> {
  const data = parseScheduledData(ctx.callbackQuery.data);
  const push = data && (await ctx.stores.scheduled.get(data.id));
  if (!data || !push || push.claim) {
    await ctx.answerCallbackQuery({
      text: data ? lateWords(ctx, push?.claim ?? "gone") : ctx.t("toast-stale-button"),
    });
    return;
  }
  switch (data.action) {
    case "open":
      await ctx.answerCallbackQuery();
      return open(ctx, push);
    case "now": {
      const sent = await sendScheduledNow(ctx, push);
      await ctx.answerCallbackQuery();
      await dropButtons(ctx);
      await ctx.reply(sent === "ok" ? ctx.t("sch-sending-now") : lateWords(ctx, sent));
      return;
    }
    case "time":
    case "edit":
      await ctx.answerCallbackQuery();
      if (dialogActive(ctx)) await leaveDialogs(ctx);
      await ctx.conversation.enter(SCHEDULED_DIALOG, push.id, data.action);
      return;
    case "cancel":
      await ctx.answerCallbackQuery();
      return askCancel(ctx, push);
    case "cancel-yes": {
      const cancelled = await cancelScheduled(ctx, push);
      await ctx.answerCallbackQuery();
      await dropButtons(ctx);
      await ctx.reply(cancelled === "ok" ? ctx.t("sch-cancelled") : lateWords(ctx, cancelled));
      return;
    }
    case "cancel-no":
      await ctx.answerCallbackQuery({ text: ctx.t("sch-cancel-kept") });
      await dropButtons(ctx);
      return;
  }
}

/**
 * /scheduled and the buttons of scheduled pushes: send now, change the time, edit, cancel. Every
 * command and tap is checked against the person acting (the editors' guard); the id a button
 * carries only names the push.
 */
export function scheduledFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const editors = feature.filter(staffAction("editor"));
  editors.chatType("private").command("scheduled", list);
  editors.callbackQuery(/^sch:/, onTap);
  return feature;
}
