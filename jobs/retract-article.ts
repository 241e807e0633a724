import { ledgerWalker, type RevisionDeps, reviseCall, revisionReport } from "../src/delivery/ledger-walk.ts";

/**
 * Deletes every delivered alert of a retracted article and marks each deleted in the ledger; a
 * digest it went out in loses its line (or is deleted, when it was the only one).
 * The ledger holds one alert per chat, so each chat gets one deleteMessage. A breaking alert the
 * bot pinned in a group or channel is unpinned before, even where Telegram will not delete it.
 */
export function retractProcessor(deps: RevisionDeps) {
  return ledgerWalker(
    deps,
    async ({ seq, message, article }) => {
      // Groups and channels have negative ids: only they pin.
      if (article.breaking && message.targetId < 0)
        await deps.pinner?.unpinIfCurrent(message.targetId, message.messageId);
      const result = await reviseCall(
        deps,
        message.targetId,
        () => deps.api.deleteMessage(message.targetId, message.messageId),
        "deleted",
      );
      if (result === "deleted") await deps.deliveries.markDeleted(seq, message);
      return result;
    },
    (figures, t) => revisionReport(figures, t, "deleted", "nr-retracted-report"),
    "retract",
  );
}
