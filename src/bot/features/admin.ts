import { Composer } from "grammy";
import type { BotContext } from "../context.ts";
import { adminAuditFeature } from "./admin-audit.ts";
import { adminCatalogFeature } from "./admin-catalog.ts";
import { adminMirrorsFeature } from "./admin-mirrors.ts";
import { adminStaffFeature } from "./admin-staff.ts";
import { adminStatsFeature } from "./admin-stats.ts";

/**
 * The admins' commands, in private chats only: /catalog, /editors, /admins, /stats, /audit, /mirror.
 * Anyone else gets the answer an unknown command gets; in groups they are ignored like one.
 */
export function adminFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.use(
    adminCatalogFeature(),
    adminStaffFeature(),
    adminStatsFeature(),
    adminAuditFeature(),
    adminMirrorsFeature(),
  );
  return feature;
}
