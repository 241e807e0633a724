import { Composer } from "grammy";
import type { CatalogEntry } from "../../domain/catalog.ts";
import { entryName } from "../../domain/catalog.ts";
import {
  CATALOG_NAME_MAX,
  type CatalogCommand,
  type CatalogCommandError,
  parseCatalogCommand,
} from "../../domain/catalog-command.ts";
import { catalogListing } from "../../domain/catalog-listing.ts";
import { escapeHtml } from "../../domain/html.ts";
import type { BotContext } from "../context.ts";
import { recordAudit } from "../helpers/audit-trail.ts";
import { readerLanguage } from "../helpers/chat-access.ts";
import { PLAIN, replyLines } from "./admin-common.ts";

const bothNames = (e: Pick<CatalogEntry, "nameRu" | "nameEn">) => `${e.nameRu} | ${e.nameEn}`;

/** What the admin is told to fix in a /catalog command. */
function errorText(ctx: BotContext, error: CatalogCommandError): string {
  switch (error.error) {
    case "usage":
      return ctx.t("adm-catalog-usage");
    case "bad-slug":
      return ctx.t("adm-catalog-bad-slug", { slug: error.slug });
    case "bad-kind":
      return ctx.t("adm-catalog-bad-kind", { kind: error.kind });
    case "names":
      return ctx.t("adm-catalog-names");
    case "name-too-long":
      return ctx.t("adm-catalog-name-too-long", { max: CATALOG_NAME_MAX });
  }
}

type Action = CatalogCommand["action"];
type CommandOf<A extends Action> = CatalogCommand & { action: A };

/** The listing: topics, then regions, each with its state and subscriber count. */
async function listCatalog(ctx: BotContext): Promise<void> {
  const [entries, counts] = await Promise.all([ctx.stores.catalog.all(), ctx.stores.subscriptions.counts()]);
  const groups = catalogListing(entries, counts, readerLanguage(ctx));
  const lines = [
    ctx.t("adm-catalog-header", {
      topics: groups[0]?.rows.length ?? 0,
      regions: groups[1]?.rows.length ?? 0,
      archived: entries.filter((e) => e.state === "archived").length,
    }),
  ];
  for (const group of groups) {
    lines.push("", ctx.t("adm-catalog-kind", { kind: group.kind, count: group.rows.length }));
    if (group.rows.length === 0) lines.push(ctx.t("adm-catalog-kind-empty"));
    for (const row of group.rows)
      lines.push(
        ctx.t("adm-catalog-row", {
          name: escapeHtml(row.name),
          slug: escapeHtml(row.slug),
          subscribers: row.subscribers,
          state: row.state,
        }),
      );
  }
  await replyLines(ctx, lines);
}

async function addEntry(ctx: BotContext, command: CommandOf<"add">): Promise<void> {
  const lang = readerLanguage(ctx);
  const entry: CatalogEntry = {
    slug: command.slug,
    kind: command.kind,
    nameRu: command.nameRu,
    nameEn: command.nameEn,
    state: "active",
  };
  if (!(await ctx.stores.catalog.add(entry))) {
    const taken = await ctx.stores.catalog.get(command.slug);
    await ctx.reply(
      ctx.t("adm-catalog-taken", {
        slug: command.slug,
        kind: taken?.kind ?? command.kind,
        name: taken ? entryName(taken, lang) : command.slug,
        state: taken?.state ?? "active",
      }),
      PLAIN,
    );
    return;
  }
  await recordAudit(ctx, "catalog-add", entry.slug, bothNames(entry));
  await ctx.reply(
    ctx.t("adm-catalog-added", {
      kind: entry.kind,
      name: entryName(entry, lang),
      slug: entry.slug,
      bot: ctx.me.username,
    }),
    PLAIN,
  );
}

/** Runs `change` on the entry a command names; an unknown slug is said instead. */
async function withEntry(
  ctx: BotContext,
  slug: string,
  change: (entry: CatalogEntry) => Promise<void>,
): Promise<void> {
  const entry = await ctx.stores.catalog.get(slug);
  if (entry) await change(entry);
  else await ctx.reply(ctx.t("adm-catalog-unknown", { slug }), PLAIN);
}

async function renameEntry(
  ctx: BotContext,
  entry: CatalogEntry,
  command: CommandOf<"rename">,
): Promise<void> {
  const renamed = { ...entry, nameRu: command.nameRu, nameEn: command.nameEn };
  if (renamed.nameRu === entry.nameRu && renamed.nameEn === entry.nameEn) {
    await ctx.reply(ctx.t("adm-catalog-rename-same", { slug: entry.slug, names: bothNames(entry) }), PLAIN);
    return;
  }
  await ctx.stores.catalog.put(renamed);
  await recordAudit(ctx, "catalog-rename", entry.slug, `${bothNames(entry)} → ${bothNames(renamed)}`);
  await ctx.reply(
    ctx.t("adm-catalog-renamed", { slug: entry.slug, before: bothNames(entry), after: bothNames(renamed) }),
    PLAIN,
  );
}

/** Archives an entry (gone from the menus, its subscribers kept) or restores it. */
async function archiveEntry(ctx: BotContext, entry: CatalogEntry, archive: boolean): Promise<void> {
  const name = entryName(entry, readerLanguage(ctx));
  if (entry.state === (archive ? "archived" : "active")) {
    await ctx.reply(
      ctx.t(archive ? "adm-catalog-already-archived" : "adm-catalog-not-archived", {
        name,
        slug: entry.slug,
      }),
      PLAIN,
    );
    return;
  }
  await ctx.stores.catalog.put({ ...entry, state: archive ? "archived" : "active" });
  await recordAudit(ctx, archive ? "catalog-archive" : "catalog-restore", entry.slug, bothNames(entry));
  const subscribers = Math.max(0, (await ctx.stores.subscriptions.counts()).get(entry.slug) ?? 0);
  await ctx.reply(
    ctx.t(archive ? "adm-catalog-archived" : "adm-catalog-restored", {
      name,
      slug: entry.slug,
      subscribers,
      bot: ctx.me.username,
    }),
    PLAIN,
  );
}

/** What each /catalog action does. */
const ACTIONS: { [A in Action]: (ctx: BotContext, command: CommandOf<A>) => Promise<void> } = {
  list: (ctx) => listCatalog(ctx),
  add: addEntry,
  rename: (ctx, command) => withEntry(ctx, command.slug, (entry) => renameEntry(ctx, entry, command)),
  archive: (ctx, command) => withEntry(ctx, command.slug, (entry) => archiveEntry(ctx, entry, true)),
  restore: (ctx, command) => withEntry(ctx, command.slug, (entry) => archiveEntry(ctx, entry, false)),
};

function runAction<A extends Action>(ctx: BotContext, command: CommandOf<A>): Promise<void> {
  const action: (ctx: BotContext, command: CommandOf<A>) => Promise<void> = ACTIONS[command.action];
  return action(ctx, command);
}

/**
 * /catalog: the list with states and subscriber counts, and add, rename, archive, restore. Mounted
 * behind admin.ts's guard (admins, private chats).
 */
export function adminCatalogFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.command("catalog", async (ctx) => {
    const command = parseCatalogCommand(ctx.match);
    if ("error" in command) await ctx.reply(errorText(ctx, command), PLAIN);
    else await runAction(ctx, command);
  });

  return feature;
}
