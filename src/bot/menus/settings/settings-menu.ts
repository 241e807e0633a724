import { Menu } from "@grammyjs/menu";
import type { BotContext } from "../../context.ts";
import { managedChat } from "../../helpers/chat-access.ts";
import { optionsOf } from "../../helpers/reader-options.ts";
import { createFiltersMenu, FILTERS_MENU_ID, filtersText } from "./filters-menu.ts";
import { changeOnTap, onOutdated, openWith, withMark } from "./menu-steps.ts";
import { createModeMenu, MODE_MENU_ID, modeIntro } from "./mode-menu.ts";
import { createMuteMenu, MUTE_MENU_ID, muteText } from "./mute-menu.ts";
import { pinToggle } from "./pin-toggle.ts";
import { createQuietMenu, QUIET_MENU_ID, quietText } from "./quiet-menu.ts";
import { settingsText, yesNo } from "./settings-text.ts";
import { createZoneMenu, ZONE_MENU_ID, zoneText } from "./zone-menu.ts";

export const SETTINGS_MENU_ID = "settings";

export interface SettingsMenus {
  settings: Menu<BotContext>;
  mode: Menu<BotContext>;
  quiet: Menu<BotContext>;
  filters: Menu<BotContext>;
  zone: Menu<BotContext>;
  mute: Menu<BotContext>;
}

/** The summary's one toggle: whether breaking news comes at once whatever the mode. */
const toggleBreakingAtOnce = changeOnTap(
  settingsText,
  (o) => ({ ...o, breakingAtOnce: !o.breakingAtOnce }),
  (ctx, changed) => ctx.t("rd-toast-breaking", { on: yesNo(changed.breakingAtOnce) }),
  true,
);

/** /settings: a summary of the chat's options with a button per part; installing `settings` installs all. */
export function createSettingsMenus(): SettingsMenus {
  const mode = createModeMenu();
  const quiet = createQuietMenu();
  const filters = createFiltersMenu();
  const zone = createZoneMenu();
  const muteMenu = createMuteMenu();
  const settings = new Menu<BotContext>(SETTINGS_MENU_ID, {
    autoAnswer: false,
    onMenuOutdated: onOutdated(settingsText),
  })
    .submenu((ctx) => ctx.t("rd-btn-mode"), MODE_MENU_ID, openWith(modeIntro))
    .text(
      {
        text: async (ctx) =>
          ctx.t("rd-btn-breaking-at-once", {
            on: yesNo(optionsOf((await managedChat(ctx)).settings).breakingAtOnce),
          }),
        payload: withMark("b"),
      },
      toggleBreakingAtOnce,
    )
    .row()
    .dynamic(pinToggle)
    .submenu((ctx) => ctx.t("rd-btn-quiet"), QUIET_MENU_ID, openWith(quietText))
    .submenu((ctx) => ctx.t("rd-btn-mute"), MUTE_MENU_ID, openWith(muteText))
    .row()
    .submenu((ctx) => ctx.t("rd-btn-filters"), FILTERS_MENU_ID, openWith(filtersText))
    .submenu((ctx) => ctx.t("rd-btn-zone"), ZONE_MENU_ID, openWith(zoneText))
    .row();
  settings.register([mode, quiet, filters, zone, muteMenu]);
  return { settings, mode, quiet, filters, zone, mute: muteMenu };
}
