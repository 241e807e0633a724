import { Menu, type MenuRange } from "@grammyjs/menu";
import { type CatalogEntry, type CatalogKind, entryName, sortForReader } from "../../domain/catalog.ts";
import type { BotContext } from "../context.ts";
import { canManageChat, ensureChat } from "../helpers/chat-access.ts";

export const CATALOG_PAGE_SIZE = 12;
const COLUMNS = 2;

export const catalogMenuId = (kind: CatalogKind) => `${kind}s`;

async function visibleEntries(ctx: BotContext, kind: CatalogKind): Promise<CatalogEntry[]> {
  const all = await ctx.stores.catalog.all();
  const active = all.filter((e) => e.kind === kind && e.state === "active");
  return sortForReader(active, ctx.chatSettings?.lang ?? ctx.config.defaultLanguage);
}

/**
 * Makes the menu of the entry's kind open at the page that shows it, so that a reader who just
 * followed it from a link sees its ✅.
 */
export async function openAtEntry(ctx: BotContext, entry: CatalogEntry): Promise<void> {
  const index = (await visibleEntries(ctx, entry.kind)).findIndex((e) => e.slug === entry.slug);
  if (index < 0) return;
  ctx.session.pages = { ...ctx.session.pages, [entry.kind]: Math.floor(index / CATALOG_PAGE_SIZE) };
}

function pageCount(entries: readonly unknown[]): number {
  return Math.max(1, Math.ceil(entries.length / CATALOG_PAGE_SIZE));
}

function currentPage(ctx: BotContext, kind: CatalogKind, pages: number): number {
  const page = ctx.session.pages[kind] ?? 0;
  return Math.min(Math.max(page, 0), pages - 1);
}

async function toggle(ctx: BotContext, kind: CatalogKind): Promise<void> {
  const slug = typeof ctx.match === "string" ? ctx.match : "";
  if (!(await canManageChat(ctx))) {
    await ctx.answerCallbackQuery({ text: ctx.t("toast-admins-only") });
    return;
  }
  const entry = await ctx.stores.catalog.get(slug);
  if (!entry || entry.kind !== kind || entry.state !== "active") {
    await ctx.answerCallbackQuery({ text: ctx.t("toast-gone") });
    ctx.menu.update();
    return;
  }
  const chat = await ensureChat(ctx);
  const name = entryName(entry, chat.lang);
  const [followed] = await ctx.stores.subscriptions.slugsOf(chat.id, [slug]);
  if (followed) {
    await ctx.stores.subscriptions.unsubscribe(chat.id, slug);
    await ctx.answerCallbackQuery({ text: ctx.t("toast-unsubscribed", { name }) });
  } else {
    await ctx.stores.subscriptions.subscribe(chat.id, slug);
    await ctx.answerCallbackQuery({ text: ctx.t("toast-subscribed", { name }) });
  }
  ctx.menu.update();
}

async function renderEntries(
  ctx: BotContext,
  range: MenuRange<BotContext>,
  kind: CatalogKind,
): Promise<void> {
  const entries = await visibleEntries(ctx, kind);
  const pages = pageCount(entries);
  const page = currentPage(ctx, kind, pages);
  const shown = entries.slice(page * CATALOG_PAGE_SIZE, (page + 1) * CATALOG_PAGE_SIZE);
  const chatId = ctx.chat?.id;
  const followed = new Set(
    chatId === undefined
      ? []
      : await ctx.stores.subscriptions.slugsOf(
          chatId,
          shown.map((e) => e.slug),
        ),
  );
  const lang = ctx.chatSettings?.lang ?? ctx.config.defaultLanguage;
  shown.forEach((entry, i) => {
    const mark = followed.has(entry.slug) ? "✅ " : "";
    range.text({ text: `${mark}${entryName(entry, lang)}`, payload: entry.slug }, (c) => toggle(c, kind));
    if (i % COLUMNS === COLUMNS - 1) range.row();
  });
  // Close a half-filled last row; a full one is closed already, and an empty row is not allowed.
  if (shown.length % COLUMNS !== 0) range.row();
  if (pages > 1) {
    const turn = (delta: number) => async (c: BotContext) => {
      c.session.pages = { ...c.session.pages, [kind]: (page + delta + pages) % pages };
      await c.answerCallbackQuery();
      c.menu.update();
    };
    range
      .text(ctx.t("btn-prev"), turn(-1))
      .text(ctx.t("btn-page", { page: page + 1, pages }), (c) => c.answerCallbackQuery())
      .text(ctx.t("btn-next"), turn(1))
      .row();
  }
}

async function onOutdated(ctx: BotContext): Promise<void> {
  await ctx.answerCallbackQuery({ text: ctx.t("toast-outdated") });
  ctx.menu.update();
}

/** A paged toggle list of the active topics or regions; a tap follows or drops one. */
export function createCatalogMenu(kind: CatalogKind): Menu<BotContext> {
  return new Menu<BotContext>(catalogMenuId(kind), { autoAnswer: false, onMenuOutdated: onOutdated })
    .dynamic((ctx, range) => renderEntries(ctx, range, kind))
    .back(
      (ctx) => ctx.t("btn-back"),
      async (ctx) => {
        await ctx.answerCallbackQuery();
        await ctx.editMessageText(ctx.t("menu-intro"));
      },
    );
}
