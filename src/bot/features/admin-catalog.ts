import { Composer } from "grammy";
import type { CatalogEntry } from "../../domain/catalog.ts";
import { entryName } from "../../domain/catalog.ts";
import {
  CATALOG_NAME_MAX,
  type CatalogCommandError,
  parseCatalogCommand,
} from "../../domain/catalog-command.ts";
import { catalogListing } from "../../domain/catalog-listing.ts";
import { escapeHtml } from "../../domain/html.ts";
import type { BotContext } from "../context.ts";
import { recordAudit } from "../helpers/audit-trail.ts";
import { readerLanguage } from "../helpers/chat-access.ts";
import { allowed } from "../helpers/staff-access.ts";
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

/** /catalog: the list with states and subscriber counts, and add, rename, archive, restore. */
export function adminCatalogFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const privateChats = feature.chatType("private");

  privateChats.command("catalog", async (ctx) => {
    if (!(await allowed(ctx, "admin"))) return;
    const command = parseCatalogCommand(ctx.match);
    if ("error" in command) {
      await ctx.reply(errorText(ctx, command), PLAIN);
      return;
    }
    const lang = readerLanguage(ctx);
    const catalog = ctx.stores.catalog;

    if (command.action === "list") {
      const [entries, counts] = await Promise.all([catalog.all(), ctx.stores.subscriptions.counts()]);
      const groups = catalogListing(entries, counts, lang);
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
      return;
    }

    if (command.action === "add") {
      const entry: CatalogEntry = {
        slug: command.slug,
        kind: command.kind,
        nameRu: command.nameRu,
        nameEn: command.nameEn,
        state: "active",
      };
      if (!(await catalog.add(entry))) {
        const taken = await catalog.get(command.slug);
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
      return;
    }

    const entry = await catalog.get(command.slug);
    if (!entry) {
      await ctx.reply(ctx.t("adm-catalog-unknown", { slug: command.slug }), PLAIN);
      return;
    }
    const name = entryName(entry, lang);

    if (command.action === "rename") {
      const renamed = { ...entry, nameRu: command.nameRu, nameEn: command.nameEn };
      if (renamed.nameRu === entry.nameRu && renamed.nameEn === entry.nameEn) {
        await ctx.reply(
          ctx.t("adm-catalog-rename-same", { slug: entry.slug, names: bothNames(entry) }),
          PLAIN,
        );
        return;
      }
      await catalog.put(renamed);
      await recordAudit(ctx, "catalog-rename", entry.slug, `${bothNames(entry)} → ${bothNames(renamed)}`);
      await ctx.reply(
        ctx.t("adm-catalog-renamed", {
          slug: entry.slug,
          before: bothNames(entry),
          after: bothNames(renamed),
        }),
        PLAIN,
      );
      return;
    }

    const archive = command.action === "archive";
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
    await catalog.put({ ...entry, state: archive ? "archived" : "active" });
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
  });

  return feature;
}
