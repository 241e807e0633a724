import { Composer } from "grammy";
import { LRUCache } from "lru-cache";
import { reactionChange } from "../../domain/reactions.ts";
import { STATUS_MIN_INTERVAL_MS } from "../../domain/status-interval.ts";
import type { BotContext } from "../context.ts";
import { refreshCards } from "../helpers/newsroom-actions.ts";

/**
 * After one refresh of an article's status messages is queued, reactions within this long queue
 * none: the queued one runs STATUS_MIN_INTERVAL_MS after it was queued, so it shows them too.
 */
const REFRESH_QUIET_MS = STATUS_MIN_INTERVAL_MS / 2;

/**
 * Readers' reactions to alerts, summed per article. A reader's change (private chats, groups
 * where the bot is an admin) and a channel message's counts each count against the article the
 * message was the alert of; other messages are ignored. Who reacted is neither kept nor logged.
 */
export function reactionsFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const refreshed = new LRUCache<number, true>({ max: 1000, ttl: REFRESH_QUIET_MS });
  const counted = async (ctx: BotContext, seq: number): Promise<void> => {
    if (refreshed.has(seq)) return;
    refreshed.set(seq, true);
    // An editor who keeps the card open sees reactions arrive as the delivery figures did: while
    // delivery runs the card's job is waiting already and this changes nothing.
    await refreshCards(ctx, seq, ctx.config.defaultLanguage);
  };

  feature.on("message_reaction", async (ctx) => {
    const { chat, message_id, old_reaction, new_reaction } = ctx.messageReaction;
    const seq = await ctx.stores.alerts.articleOf(chat.id, message_id);
    if (seq === undefined) return;
    await ctx.stores.reactions.add(seq, reactionChange(old_reaction, new_reaction));
    await counted(ctx, seq);
  });

  feature.on("message_reaction_count", async (ctx) => {
    const { chat, message_id, reactions } = ctx.messageReactionCount;
    const seq = await ctx.stores.alerts.articleOf(chat.id, message_id);
    if (seq === undefined) return;
    await ctx.stores.reactions.setMessageCounts(seq, { chatId: chat.id, messageId: message_id }, reactions);
    await counted(ctx, seq);
  });

  return feature;
}
