import type { Role } from "../../domain/roles.ts";
import type { BotContext } from "../context.ts";

/**
 * Lets the update through only when the person acting (never the chat, never the button's data)
 * holds the role. Anyone else gets the answer an unknown command or a stale button gets, so
 * nothing tells them the newsroom exists.
 */
export async function allowed(ctx: BotContext, need: Exclude<Role, "reader">): Promise<boolean> {
  const role = await ctx.stores.staff.roleOf(ctx.from?.id);
  const ok = need === "editor" ? role === "editor" || role === "admin" : role === "admin";
  if (ok) return true;
  ctx.logger.info({ userId: ctx.from?.id, need }, "newsroom action refused");
  if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("toast-stale-button") });
  else if (ctx.chat?.type === "private") await ctx.reply(ctx.t("unknown-command"));
  return false;
}

/** The name staff lists and the audit trail show for a user. */
export function displayName(user: { first_name: string; last_name?: string; username?: string }): string {
  const name = [user.first_name, user.last_name].filter(Boolean).join(" ");
  return user.username ? `${name} (@${user.username})` : name;
}
