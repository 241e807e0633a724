import type { Reader } from "../src/domain/alert.ts";
import { renderAlert } from "../src/domain/alert.ts";
import { ledgerWalker, type RevisionDeps, reviseCall, revisionReport } from "./ledger-walk.ts";

/**
 * Edits every delivered alert of an article to its corrected text (already stored by the bot),
 * each in its reader's language and time zone, the label in place as in the first send.
 */
export function correctProcessor(deps: RevisionDeps & { defaultReader: Reader }) {
  return ledgerWalker(
    deps,
    ({ message, chat, article }) => {
      // A reader who said /stop since keeps the alert they got: it is corrected in the default form.
      const reader = chat ?? deps.defaultReader;
      const text = renderAlert(article, reader, deps.label, deps.readWord(reader.lang));
      return reviseCall(
        deps,
        message.targetId,
        () => deps.api.editMessageText(message.targetId, message.messageId, text, { parse_mode: "HTML" }),
        "edited",
      );
    },
    (figures, t) => revisionReport(figures, t, "edited", "nr-corrected-report"),
  );
}
