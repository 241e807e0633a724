import type { CatalogStore } from "./catalog-store.ts";
import type { ChatStore } from "./chat-store.ts";
import type { SubscriptionStore } from "./subscription-store.ts";

export interface ChatMigrationStores {
  catalog: Pick<CatalogStore, "all">;
  subscriptions: Pick<SubscriptionStore, "moveChat">;
  chats: Pick<ChatStore, "move">;
}

/**
 * A group became a supergroup: its subscriptions (to every slug of the catalogue, archived ones
 * too) and its settings move to the new id, and the old id forwards there (see move-chat.lua).
 * The bot calls this on Telegram's service message, delivery on a send refused with the new id.
 * Returns the slugs that moved.
 */
export async function migrateChat(stores: ChatMigrationStores, from: number, to: number): Promise<string[]> {
  const slugs = (await stores.catalog.all()).map((e) => e.slug);
  const moved = await stores.subscriptions.moveChat(from, to, slugs);
  await stores.chats.move(from, to);
  return moved;
}
