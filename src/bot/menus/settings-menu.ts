import { Menu, type MenuRange } from "@grammyjs/menu";
import { DateTime } from "luxon";
import { entryName } from "../../domain/catalog.ts";
import type { KeywordFilter } from "../../domain/keyword-filter.ts";
import {
  type DeliveryMode,
  MAX_DIGEST_TIMES,
  type QuietHours,
  type ReaderOptions,
  sameFilter,
} from "../../domain/reader-options.ts";
import { REGION_ZONES, zonesOfRegions } from "../../domain/region-zones.ts";
import { formatDayTime } from "../../domain/time-input.ts";
import type { BotContext } from "../context.ts";
import { dialogActive, leaveDialogs } from "../conversations/install-dialogs.ts";
import { READER_TIME_DIALOG } from "../conversations/reader-time.ts";
import {
  canManageChat,
  editingHeader,
  ensureChat,
  isForManagedChat,
  managedChat,
  managedChatMark,
  readerLanguage,
  saveManagedChat,
} from "../helpers/chat-access.ts";
import { ignoreNotModified, redrawMenu } from "../helpers/edit-safely.ts";
import {
  changeOptions,
  filterText,
  localTime,
  optionsOf,
  rescheduleHeld,
  utcOffset,
} from "../helpers/reader-options.ts";

export const SETTINGS_MENU_ID = "settings";
export const MODE_MENU_ID = "settings-mode";
export const QUIET_MENU_ID = "settings-quiet";
export const FILTERS_MENU_ID = "settings-filters";
export const ZONE_MENU_ID = "settings-zone";
export const MUTE_MENU_ID = "settings-mute";

/** The digest times offered as buttons; any other is typed (✏️). */
export const DIGEST_TIME_CHOICES = [7, 8, 9, 12, 18, 19, 21].map((h) => h * 60);
/** Quiet hours offered as buttons: 22–7, 23–7, 23–8, 0–8. */
export const QUIET_CHOICES: readonly QuietHours[] = [
  { from: 22 * 60, to: 7 * 60 },
  { from: 23 * 60, to: 7 * 60 },
  { from: 23 * 60, to: 8 * 60 },
  { from: 0, to: 8 * 60 },
];
/** The pauses /mute offers, in hours. */
export const MUTE_CHOICES = [1, 8, 24] as const;
/**
 * The zones the region buttons may set, in a fixed order: a button carries its index here, since
 * a menu button's data cannot hold the "/" of a zone name.
 */
export const ZONE_CHOICES: readonly string[] = [...new Set(Object.values(REGION_ZONES))];

export function digestTimesText(ctx: BotContext, times: readonly number[]): string {
  return times.map((m) => formatDayTime(m, readerLanguage(ctx))).join(` ${ctx.t("rd-and")} `);
}

export function modeText(ctx: BotContext, options: ReaderOptions): string {
  if (options.mode === "breaking") return ctx.t("rd-mode-breaking");
  if (options.mode === "instant") return ctx.t("rd-mode-instant");
  return options.digestTimes.length === 0
    ? ctx.t("rd-mode-digest-hourly")
    : ctx.t("rd-mode-digest-at", { times: digestTimesText(ctx, options.digestTimes) });
}

const yesNo = (on: boolean) => (on ? "yes" : "no");

/** The options of the chat being edited, one line each, under the header naming it. */
export async function settingsText(ctx: BotContext): Promise<string> {
  const settings = (await managedChat(ctx)).settings;
  const options = optionsOf(settings);
  const zone = settings?.timeZone ?? ctx.config.defaultTimeZone;
  const lang = readerLanguage(ctx);
  const now = DateTime.now();
  const lines = [
    ctx.t("rd-settings-title"),
    ctx.t("rd-line-mode", { value: modeText(ctx, options) }),
    ctx.t("rd-line-breaking", { on: yesNo(options.breakingAtOnce) }),
    options.quiet
      ? ctx.t("rd-line-quiet", {
          from: formatDayTime(options.quiet.from, lang),
          to: formatDayTime(options.quiet.to, lang),
          hold: yesNo(options.quietHoldsBreaking),
        })
      : ctx.t("rd-line-quiet-off"),
  ];
  if (options.muteUntil !== undefined && options.muteUntil > now.toMillis())
    lines.push(
      ctx.t("rd-line-mute", {
        until: localTime(DateTime.fromMillis(options.muteUntil), zone, lang, now),
        keep: yesNo(options.muteKeep),
      }),
    );
  lines.push(
    options.filters.length === 0
      ? ctx.t("rd-line-filters-none")
      : ctx.t("rd-line-filters", { list: options.filters.map(filterText).join(", ") }),
    ctx.t("rd-line-zone", { zone, time: localTime(now, zone, lang, now) }),
  );
  return `${await editingHeader(ctx)}${lines.join("\n")}`;
}

export async function filtersText(ctx: BotContext): Promise<string> {
  const options = optionsOf((await managedChat(ctx)).settings);
  const list =
    options.filters.length === 0
      ? ctx.t("rd-filters-none-now")
      : [ctx.t("rd-filters-now"), ...options.filters.map((f, i) => `${i + 1}. ${filterText(f)}`)].join("\n");
  return `${await editingHeader(ctx)}${ctx.t("rd-filters-intro")}\n\n${list}`;
}

export async function zoneText(ctx: BotContext): Promise<string> {
  const zone = (await managedChat(ctx)).settings?.timeZone ?? ctx.config.defaultTimeZone;
  const now = DateTime.now();
  return `${await editingHeader(ctx)}${ctx.t("rd-zone-intro", { zone, time: localTime(now, zone, readerLanguage(ctx), now) })}`;
}

async function quietText(ctx: BotContext): Promise<string> {
  const zone = (await managedChat(ctx)).settings?.timeZone ?? ctx.config.defaultTimeZone;
  return `${await editingHeader(ctx)}${ctx.t("rd-quiet-intro", { zone })}`;
}

export async function muteText(ctx: BotContext): Promise<string> {
  const settings = (await managedChat(ctx)).settings;
  const options = optionsOf(settings);
  const now = DateTime.now();
  const header = await editingHeader(ctx);
  if (options.muteUntil === undefined || options.muteUntil <= now.toMillis())
    return `${header}${ctx.t("rd-mute-ask")}`;
  const zone = settings?.timeZone ?? ctx.config.defaultTimeZone;
  return `${header}${ctx.t("rd-muted", {
    until: localTime(DateTime.fromMillis(options.muteUntil), zone, readerLanguage(ctx), now),
    zone,
    keep: yesNo(options.muteKeep),
  })}`;
}

const modeIntro = async (ctx: BotContext) => `${await editingHeader(ctx)}${ctx.t("rd-mode-intro")}`;

/**
 * Whether a tap may change the chat being edited: the menu must be of that chat (not one left on
 * screen from before a /channel switch) and, in a group, the person must be an admin. Says why not.
 */
async function mayChange(
  ctx: BotContext,
  mark: string | undefined,
  intro: (c: BotContext) => Promise<string>,
) {
  if (!(await isForManagedChat(ctx, mark))) {
    await redrawMenu(ctx, ctx.t("reach-toast-other-chat"), await intro(ctx));
    return false;
  }
  if (!(await canManageChat(ctx))) {
    await ctx.answerCallbackQuery({ text: ctx.t("rd-toast-admins-only") });
    return false;
  }
  return true;
}

/** A button's data: the value, then the mark of the chat the menu was drawn for. */
function splitPayload(ctx: BotContext): [string, string | undefined] {
  const [value = "", mark] = (typeof ctx.match === "string" ? ctx.match : "").split("~");
  return [value, mark];
}

const withMark = (value: string | number) => async (ctx: BotContext) =>
  `${value}~${await managedChatMark(ctx)}`;

const onOutdated = (intro: (c: BotContext) => Promise<string>) => async (ctx: BotContext) =>
  redrawMenu(ctx, ctx.t("toast-outdated"), await intro(ctx));

/** A submenu's back button: the summary again, which the submenu may have changed. */
function backToSettings(menu: Menu<BotContext>): Menu<BotContext> {
  return menu.back(
    (ctx) => ctx.t("btn-back"),
    async (ctx) => {
      await ctx.answerCallbackQuery();
      await ignoreNotModified(ctx.editMessageText(await settingsText(ctx)));
    },
  );
}

/** Opens a submenu with its own text. */
const openWith = (intro: (c: BotContext) => Promise<string>) => async (ctx: BotContext) => {
  await ctx.answerCallbackQuery();
  await ignoreNotModified(ctx.editMessageText(await intro(ctx)));
};

/** Starts the short dialog that reads a typed time; the chat's mark goes along, checked when saving. */
async function askTyped(ctx: BotContext, what: "times" | "quiet", intro: (c: BotContext) => Promise<string>) {
  const [, mark] = splitPayload(ctx);
  if (!(await mayChange(ctx, mark, intro))) return;
  const user = ctx.from?.id;
  if (user === undefined) return;
  await ctx.answerCallbackQuery();
  if (dialogActive(ctx)) await leaveDialogs(ctx);
  await ctx.conversation.enter(READER_TIME_DIALOG, what, user, await managedChatMark(ctx));
}

function modeButtons(ctx: BotContext, range: MenuRange<BotContext>, options: ReaderOptions): void {
  const modes: [DeliveryMode, string][] = [
    ["instant", "rd-btn-instant"],
    ["digest", "rd-btn-digest"],
    ["breaking", "rd-btn-breaking-only"],
  ];
  for (const [mode, key] of modes)
    range.text(
      { text: `${options.mode === mode ? "● " : ""}${ctx.t(key)}`, payload: withMark(mode) },
      async (c) => {
        const [value, mark] = splitPayload(c);
        if (!(await mayChange(c, mark, modeIntro))) return;
        const next = modes.find(([m]) => m === value)?.[0] ?? "instant";
        const changed = await changeOptions(c, (o) => ({ ...o, mode: next }));
        await c.answerCallbackQuery({ text: c.t("rd-toast-mode", { value: modeText(c, changed) }) });
        c.menu.update();
      },
    );
  range.row();
}

/** Every hour, the offered times (✅ on the chosen ones; a tap on one switches to digest mode), ✏️. */
function timeButtons(ctx: BotContext, range: MenuRange<BotContext>, options: ReaderOptions): void {
  const digest = options.mode === "digest";
  range
    .text(
      {
        text: `${digest && options.digestTimes.length === 0 ? "● " : ""}${ctx.t("rd-btn-hourly")}`,
        payload: withMark("h"),
      },
      async (c) => {
        const [, mark] = splitPayload(c);
        if (!(await mayChange(c, mark, modeIntro))) return;
        const changed = await changeOptions(c, (o) => ({ ...o, mode: "digest", digestTimes: [] }));
        await c.answerCallbackQuery({ text: c.t("rd-toast-times", { value: modeText(c, changed) }) });
        c.menu.update();
      },
    )
    .row();
  DIGEST_TIME_CHOICES.forEach((minute, i) => {
    const chosen = digest && options.digestTimes.includes(minute);
    range.text(
      {
        text: `${chosen ? "✅ " : ""}${formatDayTime(minute, readerLanguage(ctx))}`,
        payload: withMark(minute),
      },
      (c) => toggleTime(c, Number(splitPayload(c)[0])),
    );
    if (i % 4 === 3) range.row();
  });
  range
    .row()
    .text({ text: ctx.t("rd-btn-other-time"), payload: withMark("t") }, (c) =>
      askTyped(c, "times", modeIntro),
    );
  range.row();
}

async function toggleTime(ctx: BotContext, minute: number): Promise<void> {
  const [, mark] = splitPayload(ctx);
  if (!(await mayChange(ctx, mark, modeIntro))) return;
  if (!DIGEST_TIME_CHOICES.includes(minute)) {
    await ctx.answerCallbackQuery({ text: ctx.t("toast-outdated") });
    ctx.menu.update();
    return;
  }
  const current = optionsOf((await managedChat(ctx)).settings);
  const chosen = current.mode === "digest" ? current.digestTimes : [];
  if (!chosen.includes(minute) && chosen.length >= MAX_DIGEST_TIMES) {
    await ctx.answerCallbackQuery({ text: ctx.t("rd-toast-times-max") });
    return;
  }
  const times = chosen.includes(minute)
    ? chosen.filter((m) => m !== minute)
    : [...chosen, minute].sort((a, b) => a - b);
  const changed = await changeOptions(ctx, (o) => ({ ...o, mode: "digest", digestTimes: times }));
  await ctx.answerCallbackQuery({ text: ctx.t("rd-toast-times", { value: modeText(ctx, changed) }) });
  ctx.menu.update();
}

function createModeMenu(): Menu<BotContext> {
  const menu = new Menu<BotContext>(MODE_MENU_ID, {
    autoAnswer: false,
    onMenuOutdated: onOutdated(modeIntro),
  });
  menu.dynamic(async (ctx, range) => {
    const options = optionsOf((await managedChat(ctx)).settings);
    modeButtons(ctx, range, options);
    timeButtons(ctx, range, options);
  });
  return backToSettings(menu);
}

const sameQuiet = (a: QuietHours | undefined, b: QuietHours) => a?.from === b.from && a?.to === b.to;

function createQuietMenu(): Menu<BotContext> {
  const menu = new Menu<BotContext>(QUIET_MENU_ID, {
    autoAnswer: false,
    onMenuOutdated: onOutdated(quietText),
  });
  menu.dynamic(async (ctx, range) => {
    const options = optionsOf((await managedChat(ctx)).settings);
    QUIET_CHOICES.forEach((choice, i) => {
      const label = `${formatDayTime(choice.from, readerLanguage(ctx))}–${formatDayTime(choice.to, readerLanguage(ctx))}`;
      range.text(
        { text: `${sameQuiet(options.quiet, choice) ? "● " : ""}${label}`, payload: withMark(i) },
        async (c) => {
          const [value, mark] = splitPayload(c);
          if (!(await mayChange(c, mark, quietText))) return;
          const picked = QUIET_CHOICES[Number(value)];
          if (!picked) return;
          await changeOptions(c, (o) => ({ ...o, quiet: picked }));
          await c.answerCallbackQuery({
            text: c.t("rd-toast-quiet", {
              from: formatDayTime(picked.from, readerLanguage(c)),
              to: formatDayTime(picked.to, readerLanguage(c)),
            }),
          });
          c.menu.update();
        },
      );
      if (i % 2 === 1) range.row();
    });
    range
      .row()
      .text(
        { text: `${options.quiet ? "" : "● "}${ctx.t("rd-btn-quiet-off")}`, payload: withMark("off") },
        async (c) => {
          const [, mark] = splitPayload(c);
          if (!(await mayChange(c, mark, quietText))) return;
          await changeOptions(c, ({ quiet: _, ...o }) => o);
          await c.answerCallbackQuery({ text: c.t("rd-toast-quiet-off") });
          c.menu.update();
        },
      )
      .text({ text: ctx.t("rd-btn-quiet-custom"), payload: withMark("t") }, (c) =>
        askTyped(c, "quiet", quietText),
      )
      .row()
      .text(
        {
          text: ctx.t("rd-btn-quiet-hold", { hold: yesNo(options.quietHoldsBreaking) }),
          payload: withMark("b"),
        },
        async (c) => {
          const [, mark] = splitPayload(c);
          if (!(await mayChange(c, mark, quietText))) return;
          const changed = await changeOptions(c, (o) => ({
            ...o,
            quietHoldsBreaking: !o.quietHoldsBreaking,
          }));
          await c.answerCallbackQuery({
            text: c.t("rd-toast-quiet-hold", { hold: yesNo(changed.quietHoldsBreaking) }),
          });
          c.menu.update();
        },
      )
      .row();
  });
  return backToSettings(menu);
}

/** Removes the filter a button names, if it is still there (it may have been removed with /filter since). */
export async function removeFilter(ctx: BotContext, filter: KeywordFilter): Promise<boolean> {
  const current = optionsOf((await managedChat(ctx)).settings);
  const index = current.filters.findIndex((f) => sameFilter(f, filter));
  if (index < 0) return false;
  await changeOptions(ctx, (o) => ({ ...o, filters: o.filters.filter((_, i) => i !== index) }));
  return true;
}

function createFiltersMenu(): Menu<BotContext> {
  const menu = new Menu<BotContext>(FILTERS_MENU_ID, {
    autoAnswer: false,
    onMenuOutdated: onOutdated(filtersText),
  });
  menu.dynamic(async (ctx, range) => {
    const options = optionsOf((await managedChat(ctx)).settings);
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
    range
      .row()
      .text(
        {
          text: ctx.t("rd-btn-filter-breaking", { on: yesNo(options.filterBreaking) }),
          payload: withMark("b"),
        },
        async (c) => {
          const [, mark] = splitPayload(c);
          if (!(await mayChange(c, mark, filtersText))) return;
          const changed = await changeOptions(c, (o) => ({ ...o, filterBreaking: !o.filterBreaking }));
          await c.answerCallbackQuery({
            text: c.t("rd-toast-filter-breaking", { on: yesNo(changed.filterBreaking) }),
          });
          c.menu.update();
        },
      )
      .row();
  });
  return backToSettings(menu);
}

/**
 * Sets the chat's zone: its whole settings string is written, as /language does. Digest times and
 * quiet hours are read on the new zone's clock, so what the chat holds is due anew.
 */
export async function setZone(ctx: BotContext, zone: string): Promise<void> {
  const chat = await ensureChat(ctx);
  const updated = { ...chat, timeZone: zone };
  await saveManagedChat(ctx, updated);
  if (chat.timeZone !== zone) await rescheduleHeld(ctx, updated);
}

function createZoneMenu(): Menu<BotContext> {
  const menu = new Menu<BotContext>(ZONE_MENU_ID, {
    autoAnswer: false,
    onMenuOutdated: onOutdated(zoneText),
  });
  menu.dynamic(async (ctx, range) => {
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
  return backToSettings(menu);
}

/** Mutes the chat being edited for `hours` from now, or ends the pause with 0. */
export async function mute(ctx: BotContext, hours: number, keep?: boolean): Promise<ReaderOptions> {
  const options = await changeOptions(ctx, ({ muteUntil: _, ...o }) => ({
    ...o,
    ...(hours > 0 ? { muteUntil: DateTime.now().plus({ hours }).toMillis() } : {}),
    muteKeep: keep ?? o.muteKeep,
  }));
  // Ended early, what the pause held comes now (or at the next digest time, or when quiet hours
  // end), not when it would have ended: changeOptions sets the chat's due time anew.
  return options;
}

function createMuteMenu(): Menu<BotContext> {
  const menu = new Menu<BotContext>(MUTE_MENU_ID, {
    autoAnswer: false,
    onMenuOutdated: onOutdated(muteText),
  });
  menu.dynamic(async (ctx, range) => {
    const options = optionsOf((await managedChat(ctx)).settings);
    const muted = options.muteUntil !== undefined && options.muteUntil > Date.now();
    for (const hours of MUTE_CHOICES)
      range.text({ text: ctx.t(`rd-btn-mute-${hours}h`), payload: withMark(hours) }, async (c) => {
        const [value, mark] = splitPayload(c);
        if (!(await mayChange(c, mark, muteText))) return;
        await mute(c, Number(value));
        await c.answerCallbackQuery();
        c.menu.update();
        await ignoreNotModified(c.editMessageText(await muteText(c)));
      });
    range.row();
    if (muted)
      range
        .text({ text: ctx.t("rd-btn-mute-off"), payload: withMark("off") }, async (c) => {
          const [, mark] = splitPayload(c);
          if (!(await mayChange(c, mark, muteText))) return;
          await mute(c, 0);
          await c.answerCallbackQuery({ text: c.t("rd-unmuted") });
          c.menu.update();
          await ignoreNotModified(c.editMessageText(await muteText(c)));
        })
        .row();
    for (const keep of [true, false])
      range.text(
        {
          text: ctx.t(keep ? "rd-btn-mute-keep" : "rd-btn-mute-drop", {
            on: yesNo(options.muteKeep === keep),
          }),
          payload: withMark(keep ? "k" : "d"),
        },
        async (c) => {
          const [value, mark] = splitPayload(c);
          if (!(await mayChange(c, mark, muteText))) return;
          await changeOptions(c, (o) => ({ ...o, muteKeep: value === "k" }));
          await c.answerCallbackQuery();
          c.menu.update();
          await ignoreNotModified(c.editMessageText(await muteText(c)));
        },
      );
    range.row();
  });
  return backToSettings(menu);
}

export interface SettingsMenus {
  settings: Menu<BotContext>;
  mode: Menu<BotContext>;
  quiet: Menu<BotContext>;
  filters: Menu<BotContext>;
  zone: Menu<BotContext>;
  mute: Menu<BotContext>;
}

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
      async (ctx) => {
        if (!(await mayChange(ctx, splitPayload(ctx)[1], settingsText))) return;
        const changed = await changeOptions(ctx, (o) => ({ ...o, breakingAtOnce: !o.breakingAtOnce }));
        await ctx.answerCallbackQuery({
          text: ctx.t("rd-toast-breaking", { on: yesNo(changed.breakingAtOnce) }),
        });
        ctx.menu.update();
        await ignoreNotModified(ctx.editMessageText(await settingsText(ctx)));
      },
    )
    .row()
    .submenu((ctx) => ctx.t("rd-btn-quiet"), QUIET_MENU_ID, openWith(quietText))
    .submenu((ctx) => ctx.t("rd-btn-mute"), MUTE_MENU_ID, openWith(muteText))
    .row()
    .submenu((ctx) => ctx.t("rd-btn-filters"), FILTERS_MENU_ID, openWith(filtersText))
    .submenu((ctx) => ctx.t("rd-btn-zone"), ZONE_MENU_ID, openWith(zoneText))
    .row();
  settings.register([mode, quiet, filters, zone, muteMenu]);
  return { settings, mode, quiet, filters, zone, mute: muteMenu };
}
