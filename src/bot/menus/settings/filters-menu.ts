import type { Menu } from "@grammyjs/menu";
import type { BotContext } from "../../context.ts";
import { editingHeader, managedChat } from "../../helpers/chat-access.ts";
import { ignoreNotModified } from "../../helpers/edit-safely.ts";
import { mayChange } from "../../helpers/menu-tap.ts";
import { filterText, optionsOf, removeFilter } from "../../helpers/reader-options.ts";
import { flagButton, optionsMenu, splitPayload, withMark } from "./menu-steps.ts";

export const FILTERS_MENU_ID = "settings-filters";

export async function filtersText(ctx: BotContext): Promise<string> {
  const options = optionsOf((await managedChat(ctx)).settings);
  const list =
    options.filters.length === 0
      ? ctx.t("rd-filters-none-now")
      : [ctx.t("rd-filters-now"), ...options.filters.map((f, i) => `${i + 1}. ${filterText(f)}`)].join("\n");
  return `${await editingHeader(ctx)}${ctx.t("rd-filters-intro")}\n\n${list}`;
}

/** The chat's keyword filters, a ✖ button each, and whether breaking news is filtered too. */
export function createFiltersMenu(): Menu<BotContext> {
  return optionsMenu(FILTERS_MENU_ID, filtersText, (ctx, range, options) => {
    options.filters.forEach((filter, i) => {
      range.text({ text: `✖ ${filterText(filter)}`, payload: withMark(i) }, async (c) => {
        const [, mark] = splitPayload(c);
        if (!(await mayChange(c, mark, filtersText))) return;
        // The index is only where the filter stood when drawn: the text names which one is meant.
        const removed = await removeFilter(c, filter);
        await c.answerCallbackQuery({
          text: removed
            ? c.t("rd-toast-filter-removed", { filter: filterText(filter) })
            : c.t("rd-toast-filter-gone"),
        });
        c.menu.update();
        await ignoreNotModified(c.editMessageText(await filtersText(c)));
      });
      if (i % 2 === 1) range.row();
    });
    flagButton(
      range.row(),
      options,
      "filterBreaking",
      filtersText,
      (on) => ctx.t("rd-btn-filter-breaking", { on }),
      (c, on) => c.t("rd-toast-filter-breaking", { on }),
    ).row();
  });
}
