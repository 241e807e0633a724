import type { Role } from "../../domain/roles.ts";
import type { BotContext } from "../context.ts";

type StaffRole = Exclude<Role, "reader">;

// One lookup per update, however many staff composers it passes.
const roles = new WeakMap<BotContext, Promise<Role>>();

function roleOfSender(ctx: BotContext): Promise<Role> {
  let role = roles.get(ctx);
  if (!role) {
    role = ctx.stores.staff.roleOf(ctx.from?.id);
    roles.set(ctx, role);
  }
  return role;
}

/**
 * The guard of the newsroom's composers (`composer.filter(staffAction("admin"))`): lets through a
 * command or a button tap only when the person acting (never the chat, never the button's data)
 * holds the role. Anyone else's update goes on down the chain, where the last feature gives it the
 * answer an unknown command or a stale button gets, so nothing tells them the newsroom exists.
 * The newsroom has no other routes, so any other update (a busy group's talk) costs no lookup.
 */
export function staffAction(need: StaffRole): (ctx: BotContext) => Promise<boolean> {
  return async (ctx) => {
    const command = ctx.message?.entities?.some((e) => e.type === "bot_command" && e.offset === 0);
    if (!command && !ctx.callbackQuery) return false;
    const role = await roleOfSender(ctx);
    return need === "editor" ? role === "editor" || role === "admin" : role === "admin";
  };
}

/** The name staff lists and the audit trail show for a user. */
export function displayName(user: { first_name: string; last_name?: string; username?: string }): string {
  const name = [user.first_name, user.last_name].filter(Boolean).join(" ");
  return user.username ? `${name} (@${user.username})` : name;
}
