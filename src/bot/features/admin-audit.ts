import { Composer, InlineKeyboard } from "grammy";
import { DateTime } from "luxon";
import {
  AUDIT_CALLBACK,
  AUDIT_PAGE_SIZE,
  auditCallbackData,
  auditNav,
  auditTime,
  parseAuditPage,
  shownDetail,
} from "../../domain/audit-page.ts";
import { escapeHtml } from "../../domain/html.ts";
import { memberLabel } from "../../domain/staff-command.ts";
import type { BotContext } from "../context.ts";
import { readerLanguage } from "../helpers/chat-access.ts";
import { ignoreNotModified } from "../helpers/edit-safely.ts";
import { adminTimeZone, HTML } from "./admin-common.ts";

/** One page of the audit trail, newest first, with ◀ (newer) and ▶ (older) buttons. */
async function auditPage(ctx: BotContext, page: number): Promise<{ text: string; keyboard: InlineKeyboard }> {
  const { entries, more } = await ctx.stores.audit.page(page, AUDIT_PAGE_SIZE);
  const lang = readerLanguage(ctx);
  const zone = adminTimeZone(ctx);
  const now = DateTime.utc();
  const lines = [ctx.t("adm-audit-title", { page: page + 1 })];
  if (entries.length === 0) lines.push(ctx.t(page === 0 ? "adm-audit-empty" : "adm-audit-page-empty"));
  for (const entry of entries) {
    const detail = shownDetail(entry.detail);
    lines.push(
      ctx.t("adm-audit-row", {
        time: auditTime(entry.at, zone, lang, now),
        who: escapeHtml(memberLabel({ userId: entry.actorId, name: entry.actorName })),
        action: entry.action,
        subject: escapeHtml(shownDetail(entry.subject)),
        detail: escapeHtml(detail),
        hasDetail: detail === "" ? "no" : "yes",
      }),
    );
  }
  const nav = auditNav(page, more);
  const keyboard = new InlineKeyboard();
  if (nav.prev !== undefined) keyboard.text(ctx.t("btn-prev"), auditCallbackData(nav.prev));
  if (nav.next !== undefined) keyboard.text(ctx.t("btn-next"), auditCallbackData(nav.next));
  return { text: lines.join("\n"), keyboard };
}

/**
 * /audit and its page buttons; every tap is checked against the tapping user's own rights (by
 * admin.ts's guard, which every admin feature is mounted behind).
 */
export function adminAuditFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.command("audit", async (ctx) => {
    const { text, keyboard } = await auditPage(ctx, 0);
    await ctx.reply(text, { ...HTML, reply_markup: keyboard });
  });

  feature.callbackQuery(AUDIT_CALLBACK, async (ctx) => {
    const page = parseAuditPage(ctx.callbackQuery.data);
    if (page === undefined) {
      await ctx.answerCallbackQuery({ text: ctx.t("toast-stale-button") });
      return;
    }
    const { text, keyboard } = await auditPage(ctx, page);
    await ignoreNotModified(ctx.editMessageText(text, { ...HTML, reply_markup: keyboard }));
    await ctx.answerCallbackQuery();
  });

  return feature;
}
