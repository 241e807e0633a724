import type { Language } from "../domain/catalog.ts";
import { SUBSCRIPTION_SHARDS } from "./keys.ts";
import type { SubscriptionStore } from "./subscription-store.ts";

/** A reach as the editor is shown it: exact, or "about" a rounded figure. */
export interface Reach {
  count: number;
  exact: boolean;
}

/**
 * A count looks at no more followers than about this: an audience that fits is counted exactly,
 * a bigger one is estimated from the shards counted so far ("about N").
 */
export const REACH_SAMPLE = 20_000;
/** Followers per script call, about: each call keeps Redis busy for a few milliseconds at most. */
const CALL_FOLLOWERS = 5_000;
/** Shards in the first call, before the audience's size per shard is known. */
const FIRST_WINDOW = 4;
/** Shards per call at most, so a call for a small audience never names thousands of keys. */
const MAX_WINDOW = 256;

/** Two significant figures: what an estimate from a sample can honestly claim. */
export function roughly(n: number): number {
  if (n < 100) return Math.round(n);
  const unit = 10 ** (Math.floor(Math.log10(n)) - 1);
  return Math.round(n / unit) * unit;
}

/**
 * How many chats an article for `slugs` in `edition` would reach now: each active chat of that
 * edition once, however many of the slugs it follows (fan-out's rule). Counted inside Redis a
 * few shards per call, so the bot reads no chat's settings; the shards are read in turn until
 * about `sample` followers were seen. A chat's shard is its id mod 1024, so those shards are a
 * fair sample of the audience: past it, the figure is scaled up from them and marked not exact.
 * The exact figure is fan-out's, on the status message.
 */
export async function countReach(
  subscriptions: SubscriptionStore,
  slugs: readonly string[],
  edition: Language,
  sample = REACH_SAMPLE,
): Promise<Reach> {
  if (slugs.length === 0) return { count: 0, exact: true };
  let reached = 0;
  let followers = 0;
  let shard = 0;
  let window = FIRST_WINDOW;
  while (shard < SUBSCRIPTION_SHARDS) {
    const to = Math.min(shard + window, SUBSCRIPTION_SHARDS);
    const found = await subscriptions.reachInShards(slugs, edition, shard, to);
    reached += found.reached;
    followers += found.followers;
    shard = to;
    if (shard === SUBSCRIPTION_SHARDS) break;
    if (followers >= sample) return { count: roughly((reached * SUBSCRIPTION_SHARDS) / shard), exact: false };
    const perShard = Math.max(followers / shard, 1);
    const wanted = Math.min(CALL_FOLLOWERS, sample - followers);
    window = Math.min(MAX_WINDOW, Math.max(1, Math.ceil(wanted / perShard)));
  }
  return { count: reached, exact: true };
}
