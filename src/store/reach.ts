import type { Language } from "../domain/catalog.ts";
import { readsEdition } from "../domain/chat.ts";
import type { ChatStore } from "./chat-store.ts";
import { SUBSCRIPTION_SHARDS } from "./keys.ts";
import type { SubscriptionStore } from "./subscription-store.ts";

const SHARD_WINDOW = 64;

/**
 * How many chats an article for `slugs` in `edition` would reach now: each active chat of that
 * edition once, however many of the slugs it follows. The same rule as fan-out, counted only.
 */
export async function countReach(
  subscriptions: SubscriptionStore,
  chats: ChatStore,
  slugs: readonly string[],
  edition: Language,
): Promise<number> {
  if (slugs.length === 0) return 0;
  let reach = 0;
  for (let from = 0; from < SUBSCRIPTION_SHARDS; from += SHARD_WINDOW) {
    const ids = (await subscriptions.recipientsInShards(slugs, from, from + SHARD_WINDOW)).flat();
    if (ids.length === 0) continue;
    const settings = await chats.getMany(ids);
    for (const id of ids) {
      const chat = settings.get(id);
      if (chat?.active && readsEdition(chat, edition)) reach++;
    }
  }
  return reach;
}
