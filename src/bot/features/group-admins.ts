import { Composer, GrammyError } from "grammy";
import type { BotContext } from "../context.ts";
import { canManageChat } from "../helpers/chat-access.ts";

const inGroup = (ctx: BotContext) => ctx.chat?.type === "group" || ctx.chat?.type === "supergroup";

/** Whether a message starts with a command to this bot: `/help@other_bot` is another bot's. */
function commandToBot(ctx: BotContext): boolean {
  const message = ctx.message;
  const text = message?.text ?? message?.caption;
  const entities = message?.entities ?? message?.caption_entities;
  const command = entities?.find((e) => e.type === "bot_command" && e.offset === 0);
  if (text === undefined || command === undefined) return false;
  const target = text.slice(1, command.length).split("@")[1];
  return target === undefined || target.toLowerCase() === ctx.me.username.toLowerCase();
}

/** Whether Telegram says the person administers the group; if it will not say, they are not taken for one. */
async function groupAdmin(ctx: BotContext): Promise<boolean> {
  try {
    return await canManageChat(ctx);
  } catch (error) {
    if (error instanceof GrammyError) return false;
    throw error;
  }
}

/**
 * In a group the bot speaks for its admins only: whatever anyone else does there, it posts
 * nothing the whole group would read. A member's command to the bot gets no answer at all (not
 * /help, not /latest, not a refusal), and their tap on a button of the group's menus a toast that
 * only the group's admins can use them, the menu staying on its screen. Everything else (plain
 * messages, service messages, the bot's own membership) goes on as before.
 */
export function groupAdminsFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.use(async (ctx, next) => {
    if (!inGroup(ctx)) return next();
    if (ctx.callbackQuery) {
      if (await groupAdmin(ctx)) return next();
      await ctx.answerCallbackQuery({ text: ctx.t("toast-group-admins-only") });
      return;
    }
    if (commandToBot(ctx) && !(await groupAdmin(ctx))) {
      ctx.logger.debug({ userId: ctx.from?.id }, "a group member's command left unanswered");
      return;
    }
    return next();
  });
  return feature;
}
