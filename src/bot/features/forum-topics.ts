import { Composer } from "grammy";
import type { ChatSettings } from "../../domain/chat.ts";
import type { BotContext } from "../context.ts";
import { canManageChat, ensureChat } from "../helpers/chat-access.ts";

/** The forum topic a message was written in; undefined in General or in a chat without topics. */
export function topicOf(ctx: BotContext): number | undefined {
  const message = ctx.msg;
  return ctx.chat?.type === "supergroup" && ctx.chat.is_forum && message?.is_topic_message
    ? message.message_thread_id
    : undefined;
}

/** Makes `threadId` (undefined: General) where the group's alerts go. */
export async function sendAlertsTo(
  ctx: BotContext,
  settings: ChatSettings,
  threadId: number | undefined,
): Promise<void> {
  if (settings.threadId === threadId) return;
  const { threadId: _previous, ...rest } = settings;
  ctx.chatSettings = threadId === undefined ? rest : { ...rest, threadId };
  await ctx.stores.chats.save(ctx.chatSettings);
}

/** /here: in a forum group, the topic it is sent in gets the alerts; sent in General, General does. */
export function forumTopicsFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("here", async (ctx) => {
    if (ctx.chat.type !== "supergroup" || !ctx.chat.is_forum) {
      await ctx.reply(ctx.t("reach-here-not-forum"));
      return;
    }
    if (!(await canManageChat(ctx))) {
      await ctx.reply(ctx.t("admins-only"));
      return;
    }
    const threadId = topicOf(ctx);
    await sendAlertsTo(ctx, await ensureChat(ctx), threadId);
    await ctx.reply(
      ctx.t(threadId === undefined ? "reach-here-general" : "reach-here-topic", { title: ctx.chat.title }),
    );
  });
  return feature;
}
