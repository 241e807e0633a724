import { Composer } from "grammy";
import { LRUCache } from "lru-cache";
import { statusJobId } from "../../delivery/queues.ts";
import { reactionChange } from "../../domain/reactions.ts";
import { STATUS_MIN_INTERVAL_MS } from "../../domain/status-interval.ts";
import type { BotContext } from "../context.ts";

/**
 * After one refresh of an article's status messages is queued, reactions within this long queue
 * none: the queued one runs STATUS_MIN_INTERVAL_MS after it was queued, so it shows them too.
 */
const REFRESH_QUIET_MS = STATUS_MIN_INTERVAL_MS / 2;

/**
 * Puts the article's status messages back in line for one edit, so an editor who keeps the card
 * open sees readers' reactions arrive as they saw the delivery figures. While delivery runs the
 * card's job is waiting already and this changes nothing; once it ended, one more edit is made.
 */
async function refreshCards(ctx: BotContext, seq: number): Promise<void> {
  for (const card of await ctx.stores.cards.cards(seq)) {
    await ctx.queues.status.add(
      "status",
      {
        seq,
        chatId: card.chatId,
        messageId: card.messageId,
        lang: card.lang ?? ctx.config.defaultLanguage,
        expected: 0,
      },
      { jobId: statusJobId(seq, card.chatId, card.messageId), delay: STATUS_MIN_INTERVAL_MS },
    );
  }
}

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
    await refreshCards(ctx, seq);
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
