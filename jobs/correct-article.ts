import { ledgerWalker, type RevisionDeps, reviseCall, revisionReport } from "../src/delivery/ledger-walk.ts";
import { alertLinks, linkPreview } from "../src/delivery/send-alert.ts";
import type { Reader } from "../src/domain/alert.ts";
import { renderAlert, renderAlertCaption } from "../src/domain/alert.ts";

/**
 * Edits every delivered alert of an article to its corrected text (already stored by the bot),
 * each in its reader's language and time zone, the label in place as in the first send. A photo
 * alert gets its caption edited, within the caption's 1024 units; a digest it went out in shows the
 * corrected line.
 */
export function correctProcessor(deps: RevisionDeps & { defaultReader: Reader }) {
  return ledgerWalker(
    deps,
    async ({ seq, message, chat, article: stored, mirrors }) => {
      // A reader who said /stop since keeps the alert they got: it is corrected in the default form.
      const reader = chat ?? deps.defaultReader;
      const readWord = deps.readWord(reader.lang);
      const { targetId, messageId } = message;
      const { article, markup } = await alertLinks(seq, stored, targetId, reader.lang, mirrors, deps);
      if (message.photo) {
        const caption = renderAlertCaption(article, reader, deps.label, readWord);
        // Headline, label and link no longer fit a caption, and none of them may be cut.
        if (caption === undefined) return "refused";
        return reviseCall(
          deps,
          targetId,
          () => deps.api.editMessageCaption(targetId, messageId, { caption, parse_mode: "HTML", ...markup }),
          "edited",
        );
      }
      const text = renderAlert(article, reader, deps.label, readWord);
      return reviseCall(
        deps,
        targetId,
        () =>
          deps.api.editMessageText(targetId, messageId, text, {
            parse_mode: "HTML",
            link_preview_options: linkPreview(article, deps.linkPreviews),
            ...markup,
          }),
        "edited",
      );
    },
    (figures, t) => revisionReport(figures, t, "edited", "nr-corrected-report"),
    "correct",
  );
}
