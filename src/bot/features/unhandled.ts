import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { answeredByExpiryNotice } from "../conversations/dialog-steps.ts";

/** Last in line: everything no feature took gets a short pointer, never silence or an error. */
export function unhandledFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const privateChats = feature.chatType("private");
  privateChats.on("message::bot_command", (ctx) => ctx.reply(ctx.t("unknown-command")));
  privateChats.on("message", async (ctx) => {
    // A text that came after its draft timed out was told so; a second reply would only confuse.
    if (answeredByExpiryNotice(ctx)) return;
    await ctx.reply(ctx.t("unknown-text"));
  });
  feature.on("callback_query", (ctx) => ctx.answerCallbackQuery({ text: ctx.t("toast-stale-button") }));
  return feature;
}
