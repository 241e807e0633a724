import { Menu, type MenuRange } from "@grammyjs/menu";
import { type CatalogEntry, type CatalogKind, entryName, sortForReader } from "../../domain/catalog.ts";
import type { BotContext } from "../context.ts";
import {
  ensureChat,
  headed,
  isForManagedChat,
  managedChat,
  managedChatMark,
  readerLanguage,
} from "../helpers/chat-access.ts";
import { redrawMenu } from "../helpers/edit-safely.ts";
import { mayChange } from "../helpers/menu-tap.ts";

export const CATALOG_PAGE_SIZE = 12;
const COLUMNS = 2;

export const catalogMenuId = (kind: CatalogKind) => `${kind}s`;

async function visibleEntries(ctx: BotContext, kind: CatalogKind): Promise<CatalogEntry[]> {
  const [all, subscribers] = await Promise.all([ctx.stores.catalog.all(), ctx.stores.subscriptions.counts()]);
  const active = all.filter((e) => e.kind === kind && e.state === "active");
  return sortForReader(active, readerLanguage(ctx), subscribers);
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

/** A menu's text, under the header of the chat being edited. */
export const catalogIntro = (ctx: BotContext, kind: CatalogKind) =>
  headed(ctx, `${catalogMenuId(kind)}-intro`);

async function toggle(ctx: BotContext, kind: CatalogKind): Promise<void> {
  const [slug = "", mark] = (typeof ctx.match === "string" ? ctx.match : "").split("~");
  if (!(await mayChange(ctx, mark, (c) => catalogIntro(c, kind), "toast-admins-only"))) return;
  const entry = await ctx.stores.catalog.get(slug);
  if (!entry || entry.kind !== kind || entry.state !== "active") {
    await ctx.answerCallbackQuery({ text: ctx.t("toast-gone") });
    ctx.menu.update();
    return;
  }
  const chat = await ensureChat(ctx);
  const name = entryName(entry, readerLanguage(ctx));
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
  const followed = new Set(
    await ctx.stores.subscriptions.slugsOf(
      (await managedChat(ctx)).id,
      shown.map((e) => e.slug),
    ),
  );
  const chatMark = await managedChatMark(ctx);
  const lang = readerLanguage(ctx);
  shown.forEach((entry, i) => {
    const mark = followed.has(entry.slug) ? "✅ " : "";
    range.text({ text: `${mark}${entryName(entry, lang)}`, payload: `${entry.slug}~${chatMark}` }, (c) =>
      toggle(c, kind),
    );
    if (i % COLUMNS === COLUMNS - 1) range.row();
  });
  // Close a half-filled last row; a full one is closed already, and an empty row is not allowed.
  if (shown.length % COLUMNS !== 0) range.row();
  if (pages > 1) {
    const turn = (delta: number) => async (c: BotContext) => {
      // The new page would show the ✅ of the chat edited now under a text that names another.
      if (!(await isForManagedChat(c, typeof c.match === "string" ? c.match : undefined))) {
        await redrawMenu(c, c.t("reach-toast-other-chat"), await catalogIntro(c, kind));
        return;
      }
      c.session.pages = { ...c.session.pages, [kind]: (page + delta + pages) % pages };
      await c.answerCallbackQuery();
      c.menu.update();
    };
    range
      .text({ text: ctx.t("btn-prev"), payload: chatMark }, turn(-1))
      .text(ctx.t("btn-page", { page: page + 1, pages }), (c) => c.answerCallbackQuery())
      .text({ text: ctx.t("btn-next"), payload: chatMark }, turn(1))
      .row();
  }
}

/** A paged toggle list of the active topics or regions; a tap follows or drops one. */
export function createCatalogMenu(kind: CatalogKind): Menu<BotContext> {
  // The text is drawn again too: after a switch with /channel its header named another chat.
  const onOutdated = async (ctx: BotContext) =>
    redrawMenu(ctx, ctx.t("toast-outdated"), await catalogIntro(ctx, kind));
  return new Menu<BotContext>(catalogMenuId(kind), { autoAnswer: false, onMenuOutdated: onOutdated })
    .dynamic((ctx, range) => renderEntries(ctx, range, kind))
    .back(
      (ctx) => ctx.t("btn-back"),
      async (ctx) => {
        await ctx.answerCallbackQuery();
        await ctx.editMessageText(await headed(ctx, "menu-intro"));
      },
    );
}
