import type { DateTime } from "luxon";
import { digestJobId, type Queues } from "../src/delivery/queues.ts";
import type { Logger } from "../src/logger.ts";
import type { HeldStore } from "../src/store/held-store.ts";

/** Chats taken from the due set per round trip. */
const BATCH = 500;
/** Rounds per tick: a tick queues at most BATCH × ROUNDS digests, the next tick the rest. */
const ROUNDS = 40;
/**
 * How long a queued digest keeps its chat out of the next ticks. A job lost before it claims
 * the chat's items (it never is, short of a wiped queue) is queued again after this.
 */
export const DIGEST_LEASE_MS = 15 * 60 * 1000;

export interface DigestTickDeps {
  held: HeldStore;
  queues: Pick<Queues, "digests">;
  now: () => DateTime;
  logger: Logger;
}

/**
 * The digest clock: a BullMQ job scheduler runs this every few seconds (not one timer per chat).
 * It takes the chats whose held articles are due and queues one "send-digest" job each, in
 * bulk, with ids naming chat and due time, so a tick re-run after a crash adds nothing twice.
 */
export function digestTickProcessor(deps: DigestTickDeps) {
  return async (): Promise<void> => {
    let queued = 0;
    for (let round = 0; round < ROUNDS; round++) {
      const due = await deps.held.due(deps.now().toMillis(), DIGEST_LEASE_MS, BATCH);
      if (due.length === 0) break;
      await deps.queues.digests.addBulk(
        due.map(({ chatId, dueMs }) => ({
          name: "send-digest" as const,
          data: { chatId, dueMs },
          opts: { jobId: digestJobId(chatId, dueMs) },
        })),
      );
      queued += due.length;
      if (due.length < BATCH) break;
    }
    if (queued > 0) deps.logger.info({ queued }, "digests queued");
  };
}
