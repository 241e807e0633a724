import type { Menu } from "@grammyjs/menu";
import { DateTime } from "luxon";
import { entryName } from "../../../domain/catalog.ts";
import { REGION_ZONES, zonesOfRegions } from "../../../domain/region-zones.ts";
import type { BotContext } from "../../context.ts";
import { editingHeader, managedChat, readerLanguage } from "../../helpers/chat-access.ts";
import { ignoreNotModified } from "../../helpers/edit-safely.ts";
import { mayChange } from "../../helpers/menu-tap.ts";
import { localTime, setZone, utcOffset } from "../../helpers/reader-options.ts";
import { optionsMenu, splitPayload, withMark } from "./menu-steps.ts";

export const ZONE_MENU_ID = "settings-zone";

/**
 * The zones the region buttons may set, in a fixed order: a button carries its index here, since
 * a menu button's data cannot hold the "/" of a zone name.
 */
export const ZONE_CHOICES: readonly string[] = [...new Set(Object.values(REGION_ZONES))];

export async function zoneText(ctx: BotContext): Promise<string> {
  const zone = (await managedChat(ctx)).settings?.timeZone ?? ctx.config.defaultTimeZone;
  const now = DateTime.now();
  return `${await editingHeader(ctx)}${ctx.t("rd-zone-intro", { zone, time: localTime(now, zone, readerLanguage(ctx), now) })}`;
}

/** A button per zone of the catalogue's regions, named by its offset and a few of its regions. */
export function createZoneMenu(): Menu<BotContext> {
  return optionsMenu(ZONE_MENU_ID, zoneText, async (ctx, range) => {
    const current = (await managedChat(ctx)).settings?.timeZone ?? ctx.config.defaultTimeZone;
    const lang = readerLanguage(ctx);
    const regions = (await ctx.stores.catalog.all())
      .filter((e) => e.kind === "region" && e.state === "active")
      .map((e) => ({ slug: e.slug, name: entryName(e, lang) }));
    for (const { zone, regions: names } of zonesOfRegions(regions)) {
      const index = ZONE_CHOICES.indexOf(zone);
      if (index < 0) continue;
      const shown = names.length > 2 ? `${names.slice(0, 2).join(", ")}…` : names.join(", ");
      range
        .text(
          { text: `${zone === current ? "● " : ""}${utcOffset(zone)} · ${shown}`, payload: withMark(index) },
          async (c) => {
            const [value, mark] = splitPayload(c);
            if (!(await mayChange(c, mark, zoneText))) return;
            const picked = ZONE_CHOICES[Number(value)];
            if (!picked) return;
            await setZone(c, picked);
            await c.answerCallbackQuery({ text: c.t("rd-toast-zone", { zone: picked }) });
            c.menu.update();
            await ignoreNotModified(c.editMessageText(await zoneText(c)));
          },
        )
        .row();
    }
  });
}
