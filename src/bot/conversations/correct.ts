import { DateTime } from "luxon";
import { linkPreview } from "../../delivery/send-alert.ts";
import { renderAlert } from "../../domain/alert.ts";
import { checkHeadline, checkTeaser } from "../../domain/breaking-draft.ts";
import type { BotContext, DialogContext } from "../context.ts";
import { recordAudit } from "../helpers/audit-trail.ts";
import { ignoreNotModified } from "../helpers/edit-safely.ts";
import { findArticle, refreshCards, revisable, startRevision } from "../helpers/newsroom-actions.ts";
import { headlineProblem } from "./breaking.ts";
import { askText, type Dialog, waitForTap } from "./dialog-steps.ts";

export const CORRECT_DIALOG = "correct";

const KEEP = "-";

/** "-" keeps what is there; anything else is checked like a new value. */
function orKeep<Refusal>(check: (text: string) => { ok: true; value: string } | Refusal, current: string) {
  return (text: string): { ok: true; value: string } | Refusal =>
    text.trim() === KEEP ? { ok: true, value: current } : check(text);
}

/**
 * A short dialog that corrects a sent alert: a new headline and/or teaser, a preview, then every
 * delivered alert is edited (by a worker, paced like sends, the label kept in place).
 */
export async function correctDialog(conversation: Dialog, ctx: DialogContext, seq: number): Promise<void> {
  const found = await conversation.external((o: BotContext) => findArticle(o, { seq }));
  if (!found) {
    await ctx.reply(ctx.t("nr-not-found"));
    return;
  }
  const { article } = found;
  const headline = await askText(
    conversation,
    ctx,
    ctx.t("cor-ask-headline", { headline: article.headline }),
    orKeep(checkHeadline, article.headline),
    headlineProblem,
  );
  const teaser = await askText(
    conversation,
    ctx,
    ctx.t("cor-ask-teaser"),
    orKeep(checkTeaser, article.teaser),
    ({ why }, c) => c.t(`brk-teaser-${why}`),
  );
  if (headline === article.headline && teaser === article.teaser) {
    await ctx.reply(ctx.t("cor-unchanged"));
    return;
  }
  const corrected = { ...article, headline, teaser };
  const timeZone = await conversation.external(
    (o: BotContext) => o.chatSettings?.timeZone ?? o.config.defaultTimeZone,
  );
  await ctx.reply(renderAlert(corrected, { lang: article.lang, timeZone }, ctx.config.label, ctx.t("read")), {
    parse_mode: "HTML",
    link_preview_options: linkPreview(corrected, ctx.config.linkPreviews),
  });
  await ctx.reply(ctx.t("cor-confirm", { count: found.stats.sent }), {
    reply_markup: {
      inline_keyboard: [
        [
          { text: ctx.t("cor-btn-apply"), callback_data: "cor:apply" },
          { text: ctx.t("brk-btn-cancel"), callback_data: "cor:cancel" },
        ],
      ],
    },
  });
  const { ctx: tap, match } = await waitForTap(conversation, /^cor:(apply|cancel)$/);
  await tap.answerCallbackQuery();
  await ignoreNotModified(tap.editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } }));
  if (match[1] === "cancel") {
    await tap.reply(tap.t("cor-discarded"));
    return;
  }
  const outcome = await conversation.external(async (o: BotContext) => {
    if ((await o.stores.staff.roleOf(o.from?.id)) === "reader") return "refused";
    const now = await findArticle(o, { seq });
    if (!now || !revisable(now, DateTime.utc())) return "too-late";
    await o.stores.articles.replace(seq, corrected);
    await startRevision(o, seq, "correct");
    await recordAudit(o, "correct", article.id, headline);
    await refreshCards(o, seq);
    return "started";
  });
  if (outcome === "refused") await tap.reply(tap.t("unknown-command"));
  else if (outcome === "too-late") await tap.reply(tap.t("nr-too-late"));
  else await tap.reply(tap.t("cor-started", { count: found.stats.sent }));
}
