import { once } from "node:events";
import type { Writable } from "node:stream";
import type { Redis } from "ioredis";
import { formatSubscriberLine, SUBSCRIBER_CSV_HEADER } from "../domain/subscriber-csv.ts";
import { CatalogStore } from "./catalog-store.ts";
import { ChatStore } from "./chat-store.ts";
import { type RedisKeys, SUBSCRIPTION_SHARDS } from "./keys.ts";
import { SubscriptionStore } from "./subscription-store.ts";

export interface ExportSummary {
  chats: number;
  subscriptions: number;
}

/**
 * Writes every chat with at least one subscription as subscriber CSV. A chat's subscriptions
 * all live in the shard its id falls in, so reading one shard of every slug gives complete
 * lines while holding only about 1/1024 of the subscribers in memory; archived slugs are
 * included so the export is a full backup.
 */
export async function exportSubscribers(
  redis: Redis,
  keys: RedisKeys,
  out: Writable,
): Promise<ExportSummary> {
  const slugs = (await new CatalogStore(redis, keys).all()).map((e) => e.slug);
  const chats = new ChatStore(redis, keys);
  const subscriptions = new SubscriptionStore(redis, keys);
  const summary: ExportSummary = { chats: 0, subscriptions: 0 };
  await write(out, `${SUBSCRIBER_CSV_HEADER}\n`);
  for (let shard = 0; shard < SUBSCRIPTION_SHARDS; shard++) {
    const slugsByChat = groupByChat(await subscriptions.membersInShard(slugs, shard));
    if (slugsByChat.size === 0) continue;
    const ids = [...slugsByChat.keys()].sort((a, b) => a - b);
    const settings = await chats.getMany(ids);
    let text = "";
    for (const id of ids) {
      const chatSlugs = slugsByChat.get(id) ?? [];
      text += `${formatSubscriberLine(id, chatSlugs, settings.get(id))}\n`;
      summary.subscriptions += chatSlugs.length;
    }
    summary.chats += ids.length;
    await write(out, text);
  }
  return summary;
}

function groupByChat(membersBySlug: ReadonlyMap<string, readonly number[]>): Map<number, string[]> {
  const byChat = new Map<number, string[]>();
  for (const [slug, ids] of membersBySlug) {
    for (const id of ids) {
      const list = byChat.get(id);
      if (list) list.push(slug);
      else byChat.set(id, [slug]);
    }
  }
  return byChat;
}

/** Waits for 'drain' when the stream's buffer is full, so a slow reader never makes us buffer the export. */
async function write(out: Writable, text: string): Promise<void> {
  // A reader that went away (`export | head`) ends the export instead of it writing into nothing.
  if (out.destroyed) throw new Error(`output closed${out.errored ? `: ${out.errored.message}` : ""}`);
  if (!out.write(text)) await once(out, "drain");
}
