import { type AuditAction, oneLine } from "../../domain/audit.ts";
import { STAFF_NAME_MAX } from "../../domain/staff-command.ts";
import type { BotContext, DialogContext } from "../context.ts";
import { displayName } from "./staff-access.ts";

/** Writes an act of the person acting (an editor's push, an admin's change) to the audit trail. */
export async function recordAudit(
  ctx: BotContext | DialogContext,
  action: AuditAction,
  subject: string,
  detail?: string,
): Promise<void> {
  const from = ctx.from;
  if (!from) return;
  await ctx.stores.audit.record({
    at: new Date().toISOString(),
    actorId: from.id,
    actorName: oneLine(displayName(from), STAFF_NAME_MAX),
    action,
    subject,
    ...(detail !== undefined ? { detail: oneLine(detail) } : {}),
  });
}
