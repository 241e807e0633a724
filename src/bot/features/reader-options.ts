import type { Menu } from "@grammyjs/menu";
import { Composer } from "grammy";
import type { InlineKeyboardButton } from "grammy/types";
import { DateTime } from "luxon";
import { MAX_PHRASE_LENGTH, parseFilter } from "../../domain/keyword-filter.ts";
import { MAX_FILTERS, sameFilter } from "../../domain/reader-options.ts";
import { REGION_ZONES, zonesOfCities } from "../../domain/region-zones.ts";
import { isValidTimeZone } from "../../domain/time-zone.ts";
import { searchZones } from "../../domain/zone-search.ts";
import type { BotContext } from "../context.ts";
import {
  canManageChat,
  ensureChat,
  isForManagedChat,
  managedChat,
  managedChatMark,
  readerLanguage,
} from "../helpers/chat-access.ts";
import { ignoreNotModified } from "../helpers/edit-safely.ts";
import type { MenuIntro } from "../helpers/menu-tap.ts";
import {
  changeOptions,
  filterText,
  localTime,
  muteChat,
  optionsOf,
  setZone,
  utcOffset,
} from "../helpers/reader-options.ts";
import { filtersText } from "../menus/settings/filters-menu.ts";
import { muteText } from "../menus/settings/mute-menu.ts";
import type { SettingsMenus } from "../menus/settings/settings-menu.ts";
import { settingsText } from "../menus/settings/settings-text.ts";
import { ZONE_CHOICES, zoneText } from "../menus/settings/zone-menu.ts";

/** How much of a typed query is quoted back. */
const QUOTED_MAX = 64;
/** How many zones a search offers as buttons. */
const ZONE_RESULTS = 8;
/** The longest pause /mute takes: held items are kept 7 days. */
const MUTE_MAX_HOURS = 7 * 24;

const quoted = (s: string) => Array.from(s).slice(0, QUOTED_MAX).join("");

/** Changing commands in a group are for its admins; says so to anyone else. */
async function mayChange(ctx: BotContext): Promise<boolean> {
  if (await canManageChat(ctx)) return true;
  await ctx.reply(ctx.t("rd-admins-only"));
  return false;
}

/** A command without an argument shows its menu, the chat's settings made on first contact. */
async function showMenu(ctx: BotContext, text: MenuIntro, menu: Menu<BotContext>): Promise<void> {
  await ensureChat(ctx);
  await ctx.reply(await text(ctx), { reply_markup: menu });
}

async function filterCommand(ctx: BotContext, arg: string, menus: SettingsMenus): Promise<void> {
  if (arg === "") return showMenu(ctx, filtersText, menus.filters);
  if (!(await mayChange(ctx))) return;
  const [verb = "", rest = ""] = arg.split(/\s+/, 2);
  const filters = optionsOf(await ensureChat(ctx)).filters;
  if (/^(remove|delete|rm|удалить|убрать)$/i.test(verb)) {
    const n = Number(rest);
    const filter = Number.isInteger(n) ? filters[n - 1] : undefined;
    if (!filter) {
      await ctx.reply(ctx.t("rd-filter-bad-number", { n: quoted(rest) }));
      return;
    }
    await changeOptions(ctx, (o) => ({ ...o, filters: o.filters.filter((_, i) => i !== n - 1) }));
    await ctx.reply(ctx.t("rd-filter-removed", { filter: filterText(filter) }));
    return;
  }
  if (/^(clear|очистить)$/i.test(verb) && rest === "") {
    if (filters.length === 0) {
      await ctx.reply(ctx.t("rd-filter-nothing-to-clear"));
      return;
    }
    await changeOptions(ctx, (o) => ({ ...o, filters: [] }));
    await ctx.reply(ctx.t("rd-filter-cleared"));
    return;
  }
  const parsed = parseFilter(arg);
  if (!parsed.ok) {
    const length = "length" in parsed ? parsed.length : 0;
    await ctx.reply(ctx.t(`rd-filter-${parsed.reason}`, { length, max: MAX_PHRASE_LENGTH }));
    return;
  }
  const filter = parsed.filter;
  if (filters.some((f) => sameFilter(f, filter))) {
    await ctx.reply(ctx.t("rd-filter-exists", { filter: filterText(filter) }));
    return;
  }
  if (filters.length >= MAX_FILTERS) {
    await ctx.reply(ctx.t("rd-filter-full", { max: MAX_FILTERS }));
    return;
  }
  await changeOptions(ctx, (o) => ({ ...o, filters: [...o.filters, filter] }));
  await ctx.reply(
    ctx.t("rd-filter-added", {
      filter: filterText(filter),
      phrase: filter.phrase,
      keep: filter.keep ? "yes" : "no",
    }),
  );
}

/** "8h", "8", "8ч", "8 h": hours from 1 to a week; undefined otherwise. */
function parseHours(text: string): number | undefined {
  const m = /^(\d{1,3})\s*(?:h|hours?|ч|час|часа|часов)?$/i.exec(text);
  const hours = m ? Number(m[1]) : Number.NaN;
  return hours >= 1 && hours <= MUTE_MAX_HOURS ? hours : undefined;
}

async function muteCommand(ctx: BotContext, arg: string, menus: SettingsMenus): Promise<void> {
  if (arg === "") return showMenu(ctx, muteText, menus.mute);
  const words = arg.toLowerCase().split(/\s+/);
  const first = words[0] ?? "";
  if (/^(off|0|снять|выкл)$/.test(first) && words.length === 1) {
    if (!(await mayChange(ctx))) return;
    const options = optionsOf((await managedChat(ctx)).settings);
    const muted = options.muteUntil !== undefined && options.muteUntil > Date.now();
    if (!muted) {
      await ctx.reply(ctx.t("rd-not-muted"));
      return;
    }
    await muteChat(ctx, 0);
    await ctx.reply(ctx.t("rd-unmuted"));
    return;
  }
  // "8h", "8 h", "8 h drop": the hours may be split from their unit.
  const unitApart = words.length > 1 && /^(h|hours?|ч|час|часа|часов)$/.test(words[1] ?? "");
  const hours = parseHours(unitApart ? `${first}${words[1]}` : first);
  const choice = words.slice(unitApart ? 2 : 1);
  const keep =
    choice.length === 0
      ? true
      : choice.length === 1 && /^(drop|не|выбросить|удалить)$/.test(choice[0] ?? "")
        ? false
        : choice.length === 1 && /^(keep|сохранить|дайджест)$/.test(choice[0] ?? "")
          ? true
          : undefined;
  if (hours === undefined || keep === undefined) {
    await ctx.reply(ctx.t("rd-mute-usage"));
    return;
  }
  if (!(await mayChange(ctx))) return;
  await muteChat(ctx, hours, keep);
  await ctx.reply(await muteText(ctx), { reply_markup: menus.mute });
}

/** The zones of catalogue regions whose name starts like the query (Чечня, Georgia), for /timezone. */
async function regionZonesFor(ctx: BotContext, query: string): Promise<string[]> {
  const q = query.toLocaleLowerCase();
  if (q.length < 3) return [];
  const regions = (await ctx.stores.catalog.all()).filter((e) => e.kind === "region" && e.state === "active");
  return regions
    .filter((e) => [e.nameRu, e.nameEn, e.slug].some((name) => name.toLocaleLowerCase().startsWith(q)))
    .flatMap((e) => REGION_ZONES[e.slug] ?? []);
}

/** The regions' zones that match first (by region or city name), then the IANA search's. */
async function zoneCandidates(ctx: BotContext, query: string): Promise<string[]> {
  const found = [
    ...(await regionZonesFor(ctx, query)),
    ...zonesOfCities(query),
    ...searchZones(query, DateTime.now(), ZONE_RESULTS, ZONE_CHOICES),
  ];
  return [...new Set(found)].filter(isValidTimeZone).slice(0, ZONE_RESULTS);
}

async function zoneSet(ctx: BotContext, zone: string): Promise<string> {
  const now = DateTime.now();
  return ctx.t("rd-zone-set", { zone, time: localTime(now, zone, readerLanguage(ctx), now) });
}

async function timezoneCommand(ctx: BotContext, arg: string, menus: SettingsMenus): Promise<void> {
  if (arg === "") return showMenu(ctx, zoneText, menus.zone);
  if (!(await mayChange(ctx))) return;
  const zones = await zoneCandidates(ctx, arg.slice(0, 100));
  if (zones.length === 0) {
    await ctx.reply(ctx.t("rd-zone-none", { query: quoted(arg) }));
    return;
  }
  if (zones.length === 1 && zones[0]) {
    await setZone(ctx, zones[0]);
    await ctx.reply(await zoneSet(ctx, zones[0]));
    return;
  }
  const mark = await managedChatMark(ctx);
  const now = DateTime.now();
  const lang = readerLanguage(ctx);
  const rows: InlineKeyboardButton[][] = zones.map((zone) => [
    {
      text: `${zone} · ${utcOffset(zone, now)} · ${localTime(now, zone, lang, now)}`,
      callback_data: `tz:${mark}:${zone}`,
    },
  ]);
  await ctx.reply(ctx.t("rd-zone-choose", { query: quoted(arg) }), {
    reply_markup: { inline_keyboard: rows },
  });
}

/** A tap on one of /timezone's search results. */
async function chooseZone(ctx: BotContext, mark: string, zone: string): Promise<void> {
  if (!(await isForManagedChat(ctx, mark))) {
    await ctx.answerCallbackQuery({ text: ctx.t("reach-toast-other-chat") });
    return;
  }
  if (!(await canManageChat(ctx))) {
    await ctx.answerCallbackQuery({ text: ctx.t("rd-toast-admins-only") });
    return;
  }
  if (!isValidTimeZone(zone)) {
    await ctx.answerCallbackQuery({ text: ctx.t("toast-stale-button") });
    return;
  }
  await setZone(ctx, zone);
  await ctx.answerCallbackQuery({ text: ctx.t("rd-toast-zone", { zone }) });
  await ignoreNotModified(ctx.editMessageText(await zoneSet(ctx, zone)));
}

/** /settings and its parts as commands: /mute, /timezone, /filter. */
export function readerOptionsFeature(menus: SettingsMenus): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("settings", (ctx) => showMenu(ctx, settingsText, menus.settings));
  feature.command("filter", (ctx) => filterCommand(ctx, ctx.match.trim(), menus));
  feature.command("mute", (ctx) => muteCommand(ctx, ctx.match.trim(), menus));
  feature.command("timezone", (ctx) => timezoneCommand(ctx, ctx.match.trim(), menus));
  feature.callbackQuery(/^tz:([0-9a-z]*):(.+)$/, (ctx) =>
    chooseZone(ctx, ctx.match[1] ?? "", ctx.match[2] ?? ""),
  );
  return feature;
}
