import { Composer } from "grammy";
import type { MessageOrigin, User } from "grammy/types";
import { escapeHtml } from "../../domain/html.ts";
import {
  adminRows,
  memberLabel,
  parseStaffCommand,
  type StaffCommand,
  type StandIn,
  unnamed,
} from "../../domain/staff-command.ts";
import type { BotContext } from "../context.ts";
import { recordAudit } from "../helpers/audit-trail.ts";
import { displayName } from "../helpers/staff-access.ts";
import { publishStaffCommands } from "../staff-commands.ts";
import { PLAIN, replyLines } from "./admin-common.ts";

type Change = Extract<StaffCommand, { userId: number }>;

const NONE: StandIn = { kind: "none" };

function userStandIn(user: User): StandIn {
  return { kind: "user", userId: user.id, name: displayName(user), isBot: user.is_bot };
}

function originStandIn(origin: MessageOrigin): StandIn {
  if (origin.type === "user") return userStandIn(origin.sender_user);
  if (origin.type === "hidden_user") return { kind: "hidden", name: origin.sender_user_name };
  return NONE;
}

/**
 * The person the command's message points at: the sender of a forwarded message it replies to
 * (or quotes from another chat), else the sender of the message it replies to, never the bot.
 */
function standInOf(ctx: BotContext): StandIn {
  const message = ctx.msg;
  const replied = message?.reply_to_message;
  if (replied?.forward_origin) return originStandIn(replied.forward_origin);
  if (message?.external_reply) return originStandIn(message.external_reply.origin);
  if (replied?.from && replied.from.id !== ctx.me.id) return userStandIn(replied.from);
  return NONE;
}

/**
 * /editors and /admins: who is staff, and adding or removing them by id or by a replied-to message.
 * Mounted behind admin.ts's guard (admins, private chats).
 */
export function adminStaffFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  for (const kind of ["editors", "admins"] as const) {
    feature.command(kind, async (ctx) => {
      const command = parseStaffCommand(ctx.match, standInOf(ctx));
      if ("error" in command) {
        const text =
          command.error === "usage"
            ? ctx.t("adm-staff-usage")
            : command.error === "bad-id"
              ? ctx.t("adm-staff-bad-id", { text: command.text, command: kind })
              : command.error === "hidden"
                ? ctx.t("adm-staff-hidden", { name: command.name, command: kind })
                : ctx.t("adm-staff-bot");
        await ctx.reply(text, PLAIN);
        return;
      }
      if (command.action === "list") await listStaff(ctx);
      else
        await ctx.reply(
          kind === "editors" ? await changeEditor(ctx, command) : await changeAdmin(ctx, command),
          PLAIN,
        );
    });
  }

  return feature;
}

async function listStaff(ctx: BotContext): Promise<void> {
  const staff = ctx.stores.staff;
  const [editors, promoted, configNames] = await Promise.all([
    staff.editors(),
    staff.admins(),
    staff.configAdminNames(),
  ]);
  const admins = adminRows(ctx.config.adminIds, promoted, configNames);
  const lines = [ctx.t("adm-staff-editors", { count: editors.length })];
  if (editors.length === 0) lines.push(ctx.t("adm-staff-none"));
  for (const editor of editors) lines.push(ctx.t("adm-staff-row", { who: escapeHtml(memberLabel(editor)) }));
  lines.push("", ctx.t("adm-staff-admins", { count: admins.length }));
  if (admins.length === 0) lines.push(ctx.t("adm-staff-none"));
  for (const admin of admins)
    lines.push(
      ctx.t(admin.configured ? "adm-staff-row-configured" : "adm-staff-row", {
        who: escapeHtml(memberLabel(admin)),
      }),
    );
  lines.push("", ctx.t("adm-staff-hint"));
  await replyLines(ctx, lines);
}

/** The best name known for a user: the replied-to message's, else the one kept when they were promoted. */
async function nameFor(ctx: BotContext, change: Change): Promise<string> {
  if (change.known) return change.name;
  const [editors, admins] = await Promise.all([ctx.stores.staff.editors(), ctx.stores.staff.admins()]);
  return [...admins, ...editors].find((m) => m.userId === change.userId)?.name ?? change.name;
}

/** The audit line names the person only when their name is known: "id 123" would repeat the subject. */
function knownName(userId: number, name: string): string | undefined {
  return name === unnamed(userId) ? undefined : name;
}

/** The person's "/" menu follows their new role. */
function refreshMenu(ctx: BotContext, userId: number): Promise<void> {
  return publishStaffCommands(ctx.api, ctx.stores.staff, userId, ctx.config.defaultLanguage, ctx.logger);
}

/** Adds or removes an editor; returns what to tell the admin. */
async function changeEditor(ctx: BotContext, change: Change): Promise<string> {
  const staff = ctx.stores.staff;
  const name = await nameFor(ctx, change);
  const who = memberLabel({ userId: change.userId, name });
  const role = await staff.roleOf(change.userId);
  const isEditor = (await staff.editors()).some((m) => m.userId === change.userId);

  if (change.action === "add") {
    if (role === "admin") return ctx.t("adm-editor-is-admin", { who });
    if (isEditor || !(await staff.addEditor({ userId: change.userId, name })))
      return ctx.t("adm-editor-already", { who });
    await recordAudit(ctx, "editor-add", String(change.userId), knownName(change.userId, name));
    await refreshMenu(ctx, change.userId);
    return ctx.t("adm-editor-added", { who });
  }

  if (!isEditor || !(await staff.removeEditor(change.userId)))
    return ctx.t(role === "admin" ? "adm-editor-not-but-admin" : "adm-editor-not", { who });
  await recordAudit(ctx, "editor-remove", String(change.userId), knownName(change.userId, name));
  await refreshMenu(ctx, change.userId);
  return ctx.t("adm-editor-removed", { who, admin: role === "admin" ? "yes" : "no" });
}

/** Promotes or demotes an admin; ADMIN_IDS admins and the acting admin stay. Returns what to tell the admin. */
async function changeAdmin(ctx: BotContext, change: Change): Promise<string> {
  const staff = ctx.stores.staff;
  const name = await nameFor(ctx, change);
  const who = memberLabel({ userId: change.userId, name });
  const configured = staff.isConfigAdmin(change.userId);
  const promoted = (await staff.admins()).some((m) => m.userId === change.userId);

  if (change.action === "add") {
    if (configured || promoted || !(await staff.addAdmin({ userId: change.userId, name })))
      return ctx.t("adm-admin-already", { who });
    await recordAudit(ctx, "admin-add", String(change.userId), knownName(change.userId, name));
    await refreshMenu(ctx, change.userId);
    return ctx.t("adm-admin-added", { who });
  }

  if (configured) return ctx.t("adm-admin-configured", { who });
  if (change.userId === ctx.from?.id) return ctx.t("adm-admin-self");
  if (!promoted || !(await staff.removeAdmin(change.userId))) return ctx.t("adm-admin-not", { who });
  await recordAudit(ctx, "admin-remove", String(change.userId), knownName(change.userId, name));
  await refreshMenu(ctx, change.userId);
  const stillEditor = (await staff.roleOf(change.userId)) === "editor";
  return ctx.t("adm-admin-removed", { who, editor: stillEditor ? "yes" : "no" });
}
