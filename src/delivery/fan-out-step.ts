import type { Article } from "../domain/article.ts";
import type { ChatSettings } from "../domain/chat.ts";
import { readsEdition } from "../domain/chat.ts";
import { routeAlert } from "../domain/delivery-routing.ts";
import type { RoutedChat } from "../store/held-store.ts";
import { DELIVER_BATCH, type DeliverJob, deliverJobId } from "./queues.ts";

/** One fan-out step's chats, sorted: sent now (some silently), held for a digest, or dropped. */
export interface SortedChats {
  recipients: number[];
  silent: Set<number>;
  routed: RoutedChat[];
}

/**
 * The readers' options, decided from the settings the step read already: no round trip per chat.
 * Inactive chats, chats of the other edition and chats that moved (a group that became a
 * supergroup, whose new id is in the ledger) get nothing from this step.
 */
export function sortChats(
  article: Article,
  candidates: readonly number[],
  settings: ReadonlyMap<number, ChatSettings>,
  moved: ReadonlySet<number>,
  now: Parameters<typeof routeAlert>[2],
): SortedChats {
  const sorted: SortedChats = { recipients: [], silent: new Set(), routed: [] };
  for (const id of candidates) {
    const chat = settings.get(id);
    if (chat?.active !== true || !readsEdition(chat, article.lang) || moved.has(id)) continue;
    // The default reader (no options) takes the fast path: sent, no work.
    if (chat.options === undefined) {
      sorted.recipients.push(id);
      continue;
    }
    const route = routeAlert(article, chat, now);
    if (route.kind === "send") {
      sorted.recipients.push(id);
      if (route.silent) sorted.silent.add(id);
    } else if (route.kind === "hold") {
      sorted.routed.push({ chatId: id, route: "held", releaseMs: route.release.toMillis() });
    } else {
      sorted.routed.push({ chatId: id, route: route.reason });
    }
  }
  return sorted;
}

export interface DeliverBatch {
  name: "deliver";
  data: DeliverJob;
  opts: { jobId: string; priority: number };
}

/** The step's recipients as delivery jobs of DELIVER_BATCH chats, ids named by their content. */
export function deliverBatches(
  seq: number,
  firstShard: number,
  { recipients, silent }: Pick<SortedChats, "recipients" | "silent">,
  priority: number,
): DeliverBatch[] {
  const batches: DeliverBatch[] = [];
  for (let part = 0; part * DELIVER_BATCH < recipients.length; part++) {
    const chatIds = recipients.slice(part * DELIVER_BATCH, (part + 1) * DELIVER_BATCH);
    const quiet = silent.size > 0 ? chatIds.filter((id) => silent.has(id)) : [];
    batches.push({
      name: "deliver",
      data: quiet.length > 0 ? { seq, chatIds, silent: quiet } : { seq, chatIds },
      opts: { jobId: deliverJobId(seq, firstShard, chatIds), priority },
    });
  }
  return batches;
}

/** How many chats each route took, for the metrics. */
export function countRoutes(routed: readonly RoutedChat[]): Map<RoutedChat["route"], number> {
  const byRoute = new Map<RoutedChat["route"], number>();
  for (const { route } of routed) byRoute.set(route, (byRoute.get(route) ?? 0) + 1);
  return byRoute;
}
