/**
 * Readers' reactions, summed per article: only totals per reaction, never who reacted. Telegram
 * reports a reader's change in a private chat or a group as the old and the new list, and a
 * channel's reactions as the current counts of one message.
 */

/** A reaction as Telegram describes it (ReactionType); only its kind and emoji matter here. */
export type ReactionLike =
  | { type: "emoji"; emoji: string }
  | { type: "custom_emoji"; custom_emoji_id: string }
  | { type: "paid" };

export interface ReactionCountLike {
  type: ReactionLike;
  total_count: number;
}

/** Totals by reaction key: the emoji itself; all custom emoji share one key, paid stars another. */
export type ReactionTotals = Record<string, number>;

export const CUSTOM_EMOJI_KEY = "✨";
export const PAID_KEY = "⭐";

export function reactionKey(reaction: ReactionLike): string {
  if (reaction.type === "emoji") return reaction.emoji;
  return reaction.type === "paid" ? PAID_KEY : CUSTOM_EMOJI_KEY;
}

function countKeys(reactions: readonly ReactionLike[]): ReactionTotals {
  const counts: ReactionTotals = {};
  for (const reaction of reactions) {
    const key = reactionKey(reaction);
    counts[key] = (counts[key] ?? 0) + 1;
  }
  return counts;
}

/** What one reader's change adds to and takes from the totals; reactions kept on both sides cancel. */
export function reactionChange(
  before: readonly ReactionLike[],
  after: readonly ReactionLike[],
): ReactionTotals {
  return difference(countKeys(before), countKeys(after));
}

/**
 * What a channel message's new counts add to the article's totals, given the counts this message
 * last reported (stored per message, so a second report of the same counts adds nothing).
 */
export function countsChange(before: ReactionTotals, counts: readonly ReactionCountLike[]): ReactionTotals {
  return difference(before, countsOf(counts));
}

export function countsOf(counts: readonly ReactionCountLike[]): ReactionTotals {
  const totals: ReactionTotals = {};
  for (const count of counts) {
    const key = reactionKey(count.type);
    totals[key] = (totals[key] ?? 0) + Math.max(0, Math.trunc(count.total_count));
  }
  return totals;
}

function difference(before: ReactionTotals, after: ReactionTotals): ReactionTotals {
  const change: ReactionTotals = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    const delta = (after[key] ?? 0) - (before[key] ?? 0);
    if (delta !== 0) change[key] = delta;
  }
  return change;
}

/** The top reactions, most first (ties in key order), as the status message and /recent show them. */
export function topReactions(totals: ReactionTotals, max = 5): [string, number][] {
  return Object.entries(totals)
    .filter(([, count]) => count > 0)
    .sort(([a, x], [b, y]) => y - x || (a < b ? -1 : a > b ? 1 : 0))
    .slice(0, max);
}

/** «👍 120 · 😢 45 · 🔥 12»; empty when nobody reacted. */
export function reactionsLine(totals: ReactionTotals, max = 5): string {
  return topReactions(totals, max)
    .map(([key, count]) => `${key} ${count}`)
    .join(" · ");
}

/** The sum of every reaction, for ranking articles. */
export function reactionSum(totals: ReactionTotals): number {
  return Object.values(totals).reduce((sum, n) => sum + Math.max(0, n), 0);
}
