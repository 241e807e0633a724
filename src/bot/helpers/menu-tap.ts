import type { BotContext } from "../context.ts";
import { canManageChat, isForManagedChat } from "./chat-access.ts";
import { redrawMenu } from "./edit-safely.ts";

/** The text a menu is drawn under. */
export type MenuIntro = (ctx: BotContext) => Promise<string>;

/**
 * Whether a tap may change the chat being edited: the menu must be of that chat (not one left on
 * screen from before a /channel switch; it is drawn again under `intro`) and, in a group, the
 * person must be an admin (`adminsOnly` says what only they change). Says why not.
 */
export async function mayChange(
  ctx: BotContext,
  mark: string | undefined,
  intro: MenuIntro,
  adminsOnly = "rd-toast-admins-only",
): Promise<boolean> {
  if (!(await isForManagedChat(ctx, mark))) {
    await redrawMenu(ctx, ctx.t("reach-toast-other-chat"), await intro(ctx));
    return false;
  }
  if (!(await canManageChat(ctx))) {
    await ctx.answerCallbackQuery({ text: ctx.t(adminsOnly) });
    return false;
  }
  return true;
}
