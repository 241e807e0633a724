import type { ChatSettings } from "../domain/chat.ts";
import type { DeliveryLedger } from "../store/delivery-ledger.ts";

/**
 * What the ledger lets a send do: go ahead ("send"), or not, because the chat got the alert under
 * another id ("moved") or has an outcome already ("done").
 */
export type Claim = "send" | "moved" | "done";

/**
 * The ledger claims one chat's send takes right before each try, so that a group gets an
 * article once however many of its batches hold it under its old or its new id:
 * - a group (groups can migrate, so the same group may also sit in this article's batches under
 *   its new id) claims its own ledger entry, once;
 * - after a migration the send goes on under the new id, which it claims as an alias, once: it
 *   may get this article from another batch too, and only one of them sends.
 * Private chats never migrate and claim nothing.
 */
export function targetClaims(
  ledger: Pick<DeliveryLedger, "claimGroup" | "claimAlias">,
  seq: number,
  chatId: number,
): (target: ChatSettings) => Promise<Claim> {
  let claimedId = chatId;
  let ownClaimed = false;
  return async (target) => {
    if (target.id !== claimedId) {
      if (!(await ledger.claimAlias(seq, target.id))) return "moved";
      claimedId = target.id;
    } else if (target.kind !== "private" && !ownClaimed) {
      const claim = await ledger.claimGroup(seq, chatId);
      if (claim !== "send") return claim;
      ownClaimed = true;
    }
    return "send";
  };
}
