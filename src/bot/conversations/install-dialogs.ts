import {
  type ConversationData,
  conversations,
  createConversation,
  type VersionedState,
} from "@grammyjs/conversations";
import { RedisAdapter } from "@grammyjs/storage-redis";
import type { Composer } from "grammy";
import { createI18n } from "../../telegram/i18n.ts";
import { installLabel } from "../../telegram/label-transformer.ts";
import type { BotContext, BotDeps, DialogContext } from "../context.ts";
import { readerLanguage } from "../helpers/chat-access.ts";
import { BREAKING_DIALOG, breakingDialog } from "./breaking.ts";
import { forgetBreakingDraft } from "./breaking-session.ts";
import { CORRECT_DIALOG, correctDialog } from "./correct.ts";
import { isQuietExit, markExpiryNotice, markQuietExit } from "./dialog-steps.ts";
import { READER_TIME_DIALOG, READER_TIME_IDLE_MS, readerTimeDialog } from "./reader-time.ts";
import { SCHEDULED_DIALOG, scheduledDialog } from "./scheduled-edit.ts";

/** A dialog nobody answers for this long ends, and says so at the next message. */
export const DIALOG_IDLE_MS = 15 * 60 * 1000;
/** Abandoned dialog state is dropped from Redis after a day. */
const DIALOG_STATE_TTL_S = 24 * 3600;
/** Bump when a dialog's steps change, so a stored half-finished dialog of the old shape is dropped. */
const DIALOG_VERSION = 1;

export async function leaveDialogs(ctx: BotContext): Promise<void> {
  markQuietExit(ctx);
  await ctx.conversation.exitAll();
}

export function dialogActive(ctx: BotContext): boolean {
  return Object.keys(ctx.conversation.active()).length > 0;
}

/**
 * The newsroom's dialogs (@grammyjs/conversations): their state lives in Redis, so a restarted bot
 * continues where the editor was. Contexts inside a dialog are rebuilt from stored updates and
 * pass through none of the bot's middleware, so the label and the project's extras are put back here.
 */
export function installDialogs(
  composer: Composer<BotContext>,
  deps: Pick<BotDeps, "config" | "logger" | "stores" | "queues" | "redis">,
): void {
  const { config, stores, queues } = deps;
  const dialogI18n = createI18n<DialogContext>(config.defaultLanguage, (ctx) => readerLanguage(ctx));
  composer.use(
    conversations<BotContext, DialogContext>({
      storage: {
        type: "key",
        version: DIALOG_VERSION,
        prefix: `${config.redisPrefix}:dialog:`,
        adapter: new RedisAdapter<VersionedState<ConversationData>>({
          instance: deps.redis,
          ttl: DIALOG_STATE_TTL_S,
        }),
      },
      plugins: [
        async (ctx, next) => {
          // Only the label: auto-retry here would sleep again on every replay of a recorded 429.
          installLabel(ctx.api, config.label);
          Object.assign(ctx, { config, stores, queues, logger: deps.logger.child({ chatId: ctx.chat?.id }) });
          ctx.chatSettings = ctx.chat ? await stores.chats.get(ctx.chat.id) : undefined;
          await next();
        },
        dialogI18n,
      ],
      onExit: async (id, ctx) => {
        // What the dialog kept in the session (see readAnswer and breaking.ts) goes with it.
        delete ctx.session.wrongAnswers;
        if (id === BREAKING_DIALOG || id === SCHEDULED_DIALOG) forgetBreakingDraft(ctx);
        // A reader's unanswered time question just lapses; the newsroom's drafts say they closed.
        if (isQuietExit(ctx) || id === READER_TIME_DIALOG) return;
        if (ctx.chat?.type !== "private") return;
        await ctx.reply(ctx.t("dlg-expired"));
        // The late text was meant for the closed draft: the notice is its one answer.
        markExpiryNotice(ctx);
      },
    }),
  );
  // Bare /cancel leaves whatever dialog is open; `/cancel <id>` is the newsroom's and goes on.
  composer.command("cancel", async (ctx, next) => {
    if (ctx.match.trim() !== "" || !dialogActive(ctx)) return next();
    // Said for the dialog left: a reader's time question sent nothing, a draft did not go out.
    const active = ctx.conversation.active();
    const left =
      [BREAKING_DIALOG, CORRECT_DIALOG, SCHEDULED_DIALOG].find((id) => id in active) ?? "reader-time";
    await leaveDialogs(ctx);
    await ctx.reply(ctx.t("dlg-cancelled", { dialog: left }));
  });
  composer.use(
    createConversation<BotContext, DialogContext>(breakingDialog, {
      id: BREAKING_DIALOG,
      maxMillisecondsToWait: DIALOG_IDLE_MS,
    }),
    createConversation<BotContext, DialogContext>(correctDialog, {
      id: CORRECT_DIALOG,
      maxMillisecondsToWait: DIALOG_IDLE_MS,
    }),
    createConversation<BotContext, DialogContext>(scheduledDialog, {
      id: SCHEDULED_DIALOG,
      maxMillisecondsToWait: DIALOG_IDLE_MS,
    }),
    createConversation<BotContext, DialogContext>(readerTimeDialog, {
      id: READER_TIME_DIALOG,
      maxMillisecondsToWait: READER_TIME_IDLE_MS,
    }),
  );
}
