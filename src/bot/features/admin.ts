import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { staffAction } from "../helpers/staff-access.ts";
import { adminAuditFeature } from "./admin-audit.ts";
import { adminCatalogFeature } from "./admin-catalog.ts";
import { adminMirrorsFeature } from "./admin-mirrors.ts";
import { adminStaffFeature } from "./admin-staff.ts";
import { adminStatsFeature } from "./admin-stats.ts";

/**
 * The admins' commands, in private chats only: /catalog, /editors, /admins, /stats, /audit, /mirror,
 * and their buttons. Each part is mounted behind this one guard: anyone else gets the answer an
 * unknown command or a stale button gets; in groups they are ignored like one.
 */
export function adminFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const admins = feature.chatType("private").filter(staffAction("admin"));
  admins.use(
    adminCatalogFeature(),
    adminStaffFeature(),
    adminStatsFeature(),
    adminAuditFeature(),
    adminMirrorsFeature(),
  );
  return feature;
}
