import type { SingleBar } from "cli-progress";
import { newChat } from "../domain/chat.ts";
import type { ChatStore } from "../store/chat-store.ts";
import type { SubscriptionStore } from "../store/subscription-store.ts";
import { seededRandom } from "./seeded-random.ts";

/**
 * Who follows what. "spread": 1–3 of every slug, the article to all of them. "three-slugs": the
 * shape of a newsroom whose main region dominates: each reader follows Chechnya (60 %), Dagestan
 * and Ingushetia (50 % each, at least one of the three), and the article goes to Chechnya and
 * Dagestan; the big slug's subscription shards then hold hundreds of chats each.
 */
export const AUDIENCES = ["spread", "three-slugs"] as const;
export type Audience = (typeof AUDIENCES)[number];

function followed(audience: Audience, rnd: () => number, slugs: readonly string[]): Set<string> {
  const picked = new Set<string>();
  if (audience === "three-slugs") {
    if (rnd() < 0.6) picked.add("chechnya");
    if (rnd() < 0.5) picked.add("dagestan");
    if (rnd() < 0.5) picked.add("ingushetia");
    if (picked.size === 0)
      picked.add(["chechnya", "dagestan", "ingushetia"][Math.floor(rnd() * 3)] as string);
    return picked;
  }
  const count = 1 + Math.floor(rnd() * 3);
  while (picked.size < count) picked.add(slugs[Math.floor(rnd() * slugs.length)] as string);
  return picked;
}

/** Saves `n` synthetic subscribers (the same ones every run) and their subscriptions; returns the seconds it took. */
export async function importSubscribers(
  stores: { chats: ChatStore; subs: SubscriptionStore },
  audience: { n: number; audience: Audience; slugs: readonly string[] },
  bar: SingleBar,
): Promise<number> {
  const { n, slugs } = audience;
  const rnd = seededRandom(42);
  const importStart = performance.now();
  bar.start(n, 0, { phase: "import  ", rate: 0 });
  for (let i = 0; i < n; i += 1000) {
    const batch: Promise<unknown>[] = [];
    for (let id = 1_000_000 + i; id < 1_000_000 + Math.min(n, i + 1000); id++) {
      batch.push(stores.chats.save(newChat(id, "private", "ru", "Europe/Moscow")));
      for (const slug of followed(audience.audience, rnd, slugs)) batch.push(stores.subs.subscribe(id, slug));
    }
    await Promise.all(batch);
    bar.update(Math.min(n, i + 1000), {
      rate: Math.round((i + 1000) / ((performance.now() - importStart) / 1000)),
    });
  }
  bar.stop();
  return (performance.now() - importStart) / 1000;
}
