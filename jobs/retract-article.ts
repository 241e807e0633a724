import { ledgerWalker, type RevisionDeps, reviseCall, revisionReport } from "../src/delivery/ledger-walk.ts";

/**
 * Deletes every delivered alert of a retracted article and marks each deleted in the ledger; a
 * digest it went out in loses its line (or is deleted, when it was the only one).
 * The ledger holds one alert per chat, so each chat gets one deleteMessage.
 */
export function retractProcessor(deps: RevisionDeps) {
  return ledgerWalker(
    deps,
    async ({ seq, message }) => {
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
