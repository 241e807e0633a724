import { Composer } from "grammy";
import { DateTime } from "luxon";
import type { Article } from "../../domain/article.ts";
import { type CatalogEntry, entryName, findEntry, type Language } from "../../domain/catalog.ts";
import { readsEdition } from "../../domain/chat.ts";
import { type DigestItem, renderDigest } from "../../domain/digest.ts";
import { passesFilters } from "../../domain/keyword-filter.ts";
import { LANGUAGES } from "../../domain/language.ts";
import { mirrorUrl } from "../../domain/mirrors.ts";
import { readLink } from "../../domain/read-here.ts";
import type { LatestArticle, LatestArticles } from "../../store/latest-articles.ts";
import type { RateLimiter } from "../../store/rate-limiter.ts";
import type { BotContext } from "../context.ts";
import { managedChat, readerLanguage } from "../helpers/chat-access.ts";
import { optionsOf } from "../helpers/reader-options.ts";

/** How many articles /latest shows. */
export const LATEST_COUNT = 5;
/** How much of an unknown slug is quoted back. */
const QUOTED_MAX = 64;
/** A chat gets one /latest per this many milliseconds; a second call is told to wait, the rest are ignored. */
export const LATEST_EVERY_MS = 3000;

export interface LatestDeps {
  latest: LatestArticles;
  /** The one sending schedule of every process: /latest is paced like alerts. */
  limiter: RateLimiter;
}

/** The active catalogue's slugs by kind, sorted, with their names, for an unknown name's answer. */
function slugLists(catalog: readonly CatalogEntry[], lang: Language): { topics: string; regions: string } {
  const active = catalog.filter((e) => e.state === "active");
  const list = (kind: string) =>
    active
      .filter((e) => e.kind === kind)
      .sort((a, b) => (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0))
      .map((e) => `${e.slug} (${entryName(e, lang)})`)
      .join(", ");
  return { topics: list("topic"), regions: list("region") };
}

/**
 * What /latest shows: the one entry a typed name or slug names, or else all the chat follows.
 * Says why not and returns undefined when there is nothing to show.
 */
async function latestScope(
  ctx: BotContext,
  chatId: number,
  arg: string,
  lang: Language,
): Promise<{ slugs: Set<string>; name?: string } | undefined> {
  const catalog = await ctx.stores.catalog.all();
  if (arg !== "") {
    const entry = findEntry(catalog, arg);
    if (!entry) {
      const slug = Array.from(arg).slice(0, QUOTED_MAX).join("");
      await ctx.reply(ctx.t("rd-latest-unknown", { slug, ...slugLists(catalog, lang) }));
      return undefined;
    }
    return { slugs: new Set([entry.slug]), name: entryName(entry, lang) };
  }
  const slugs = new Set(
    await ctx.stores.subscriptions.slugsOf(
      chatId,
      catalog.map((e) => e.slug),
    ),
  );
  if (slugs.size === 0) {
    await ctx.reply(ctx.t("rd-latest-nothing-followed"));
    return undefined;
  }
  return { slugs };
}

/** The articles found, as the one digest message (or more) /latest sends. */
async function latestMessages(
  ctx: BotContext,
  found: readonly LatestArticle[],
  title: string,
  zone: string,
  lang: Language,
): Promise<string[]> {
  const mirrors = await ctx.stores.mirrors.current();
  const items: DigestItem[] = found.map(({ seq, article }) => ({
    seq,
    headline: article.headline,
    url: mirrorUrl(article.url, mirrors),
    breaking: article.breaking,
    at: DateTime.fromISO(article.publishedAt, { setZone: true }),
    ...(article.hasText ? { readUrl: readLink(ctx.me.username, seq) } : {}),
  }));
  return renderDigest(items, {
    label: ctx.config.label,
    zone,
    lang,
    fellOut: 0,
    words: {
      title,
      more: (n) => ctx.t("rd-latest-more", { n }),
      fellOut: (n) => ctx.t("rd-latest-fell-out", { n }),
    },
  });
}

/**
 * /latest: the last 5 articles of what the chat being edited follows, and /latest <slug or name>:
 * of one topic or region; in the chat's editions, through its word filters; one message rendered
 * as a digest (label first). One call per chat every 3 s: a second is told to wait, quietly.
 */
export function latestFeature(deps: LatestDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("latest", async (ctx) => {
    const turn = await deps.latest.claimCall(ctx.chat.id, LATEST_EVERY_MS);
    if (turn === "quiet") return;
    if (turn === "wait") {
      await ctx.reply(ctx.t("rd-latest-wait"), { disable_notification: true });
      return;
    }
    const managed = await managedChat(ctx);
    const lang = readerLanguage(ctx);
    const settings = managed.settings;
    const editions = settings ?? { editions: lang };
    const zone = settings?.timeZone ?? ctx.config.defaultTimeZone;
    const scope = await latestScope(ctx, managed.id, ctx.match.trim(), lang);
    if (!scope) return;
    const { slugs, name } = scope;
    const options = optionsOf(settings);
    const wanted = (a: Article) =>
      readsEdition(editions, a.lang) &&
      [...a.topics, ...a.regions].some((s) => slugs.has(s)) &&
      ((a.breaking && !options.filterBreaking) ||
        passesFilters(options.filters, { headline: a.headline, teaser: a.teaser }));
    const where = { slugs, editions: LANGUAGES.filter((e) => readsEdition(editions, e)) };
    const found = await deps.latest.find(where, wanted, LATEST_COUNT);
    if (found.length === 0) {
      await ctx.reply(name === undefined ? ctx.t("rd-latest-none") : ctx.t("rd-latest-none-slug", { name }));
      return;
    }
    const title = name === undefined ? ctx.t("rd-latest-title") : `${ctx.t("rd-latest-title")}: ${name}`;
    const isGroup = ctx.chat.type !== "private";
    for (const text of await latestMessages(ctx, found, title, zone, lang)) {
      await deps.limiter.acquire(ctx.chat.id, isGroup);
      await ctx.reply(text, { parse_mode: "HTML", link_preview_options: { is_disabled: true } });
    }
  });
  return feature;
}
