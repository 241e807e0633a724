import { createHash } from "node:crypto";
import { decodeHTML } from "entities";
import { DateTime } from "luxon";
import {
  type Article,
  BODY_MAX,
  HEADLINE_MAX,
  ID_MAX,
  normaliseImageUrl,
  parseLink,
  SLUGS_MAX,
  URL_MAX,
} from "./article.ts";
import type { CatalogEntry } from "./catalog.ts";
import { type FeedConfig, normaliseTerm } from "./feed-config.ts";
import type { FeedItem } from "./feed-document.ts";
import { shortenAtWordBoundary } from "./fit-text.ts";
import { TEXT_LIMIT } from "./label.ts";

/** What `publishArticle` takes, built from a feed item. */
export type FeedArticleInput = Omit<Article, "publishedAt" | "breaking"> & {
  publishedAt?: string;
  breaking: false;
  /** The item's full text as the feed gave it, uncleaned HTML: cleaning belongs to the article's checks. */
  body?: string;
};

/** A part of an item its article goes without, and why: reported, and the rest still published. */
export interface LeftOut {
  field: "body";
  why: string;
}

export type FeedItemMapping =
  | { kind: "article"; input: FeedArticleInput; leftOut?: LeftOut[] }
  | { kind: "unmapped"; id: string; why: string }
  | { kind: "invalid"; why: string };

export type FeedForMapping = Pick<FeedConfig, "id" | "url" | "edition" | "categories" | "keywords">;

// An alert never shows more than one message's worth of teaser; keeping more only costs Redis.
const TEASER_KEEP = TEXT_LIMIT;
// HTML beyond this is never needed for a teaser of TEASER_KEEP, and the cap keeps stripping cheap.
const HTML_SCAN_MAX = 200_000;
// A date this far ahead is a time-zone mistake in the feed, not a scheduled article.
const FUTURE_TOLERANCE_MINUTES = 60;

/**
 * The id an item is published under: `<feed id>:<guid>`, else `<feed id>:<absolute link>`.
 * Guids are only unique within their feed (many are plain numbers), and API ids live in the
 * same space, so the feed's id keeps them apart. An id longer than an article id may be
 * carries the guid's hash instead, so it stays stable from poll to poll.
 */
export function feedItemId(item: FeedItem, feed: Pick<FeedConfig, "id" | "url">): string | undefined {
  const raw = itemIdentity(item, feed.url);
  if (!raw) return undefined;
  const id = `${feed.id}:${raw}`;
  return id.length <= ID_MAX ? id : `${feed.id}:sha256-${sha256(raw)}`;
}

/**
 * The key an item is remembered by between polls, within its feed. Items with neither guid
 * nor link get one from their text, so each is counted invalid once rather than at every poll.
 * Unlike the article id it carries no feed id: keys stored before ids had one must still match,
 * or every item a feed lists would be taken for new after an upgrade.
 */
export function feedItemSeenKey(item: FeedItem, feedUrl: string): string {
  const raw = itemIdentity(item, feedUrl);
  if (raw) return raw.length <= ID_MAX ? raw : `sha256-${sha256(raw)}`;
  return `text-${sha256(`${item.title ?? ""}\n${item.summary ?? ""}`)}`;
}

function itemIdentity(item: FeedItem, feedUrl: string): string | undefined {
  return item.guid?.trim() || resolveLink(item.link, feedUrl);
}

/** Maps a parsed feed item to an article input, or says why it cannot be one. */
export function mapFeedItem(
  item: FeedItem,
  feed: FeedForMapping,
  catalog: readonly CatalogEntry[],
  now: DateTime,
): FeedItemMapping {
  const id = feedItemId(item, feed);
  if (!id) return { kind: "invalid", why: "has neither guid nor link" };
  const url = articleUrl(item, feed.url);
  if (!url.ok) return { kind: "invalid", why: url.why };
  const title = oneLine(htmlToText(item.title ?? ""));
  if (title === "") return { kind: "invalid", why: "has no title" };
  const slugs = slugsFor(item.categories, title, feed);
  const { topics, regions, ignored } = splitByKind(slugs, catalog);
  if (topics.length + regions.length === 0) {
    return { kind: "unmapped", id, why: unmappedWhy(item.categories, ignored) };
  }
  const publishedAt = publishedIso(item, now);
  const imageUrl = pictureUrl(item, feed.url);
  const body = bodyOf(item);
  return {
    kind: "article",
    input: {
      id,
      url: url.value,
      headline: shortenAtWordBoundary(title, HEADLINE_MAX),
      teaser: shortenAtWordBoundary(teaserText(item), TEASER_KEEP),
      topics: topics.slice(0, SLUGS_MAX),
      regions: regions.slice(0, SLUGS_MAX),
      lang: feed.edition,
      ...(publishedAt ? { publishedAt } : {}),
      breaking: false,
      ...(imageUrl ? { imageUrl } : {}),
      ...(body.ok && body.value !== undefined ? { body: body.value } : {}),
    },
    ...(body.ok ? {} : { leftOut: [{ field: "body", why: body.why }] }),
  };
}

/**
 * The item's full text, when it has one worth keeping. One over the article's cap is left out
 * rather than cut: a cut could fall inside a tag, and the alert is worth sending without it.
 */
function bodyOf(item: FeedItem): Checked<string | undefined> {
  const body = item.body;
  if (body === undefined || body.trim() === "") return { ok: true, value: undefined };
  if (body.length > BODY_MAX) {
    return {
      ok: false,
      why: `body is ${body.length} characters, more than the ${BODY_MAX} an article may have`,
    };
  }
  return { ok: true, value: body };
}

/**
 * The first of the item's pictures an article accepts (absolute, https): a picture that is not
 * one only costs the alert its photo, never the alert itself.
 */
function pictureUrl(item: FeedItem, feedUrl: string): string | undefined {
  for (const candidate of item.images ?? []) {
    const resolved = resolveLink(candidate, feedUrl);
    const accepted = resolved && normaliseImageUrl(resolved);
    if (accepted) return accepted;
  }
  return undefined;
}

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

type Checked<T> = { ok: true; value: T } | { ok: false; why: string };

function articleUrl(item: FeedItem, feedUrl: string): Checked<string> {
  const link = item.link?.trim();
  // RSS: a guid is a permalink unless it says otherwise, so it can stand in for a missing link.
  const candidate = link || (item.guidIsPermaLink !== false ? item.guid?.trim() : undefined);
  if (!candidate) return { ok: false, why: "has no link" };
  const resolved = resolveLink(candidate, feedUrl);
  if (!resolved) return { ok: false, why: `link is not an http(s) URL: ${preview(candidate)}` };
  // The same rule as every other source's links, on the link made absolute.
  const checked = parseLink(resolved, ["http:", "https:"]);
  if (checked.ok) return { ok: true, value: checked.href };
  if (checked.why === "too-long") return { ok: false, why: `link is longer than ${URL_MAX} characters` };
  if (checked.why === "userinfo") return { ok: false, why: "link has a user name or password" };
  return { ok: false, why: `link is not an http(s) URL: ${preview(candidate)}` };
}

/** The link made absolute against the feed's URL; only http(s) links to a host count. */
function resolveLink(link: string | undefined, base: string): string | undefined {
  const trimmed = link?.trim();
  if (!trimmed) return undefined;
  try {
    const url = new URL(trimmed, base);
    if ((url.protocol !== "http:" && url.protocol !== "https:") || url.hostname === "") return undefined;
    return url.href;
  } catch {
    return undefined;
  }
}

function preview(text: string): string {
  return text.length > 60 ? `${text.slice(0, 59)}…` : text;
}

function teaserText(item: FeedItem): string {
  for (const html of [item.summary, item.content]) {
    const text = htmlToText(html ?? "");
    if (text !== "") return text;
  }
  return "";
}

function slugsFor(categories: readonly string[], title: string, feed: FeedForMapping): string[] {
  const found = new Set<string>();
  for (const category of categories) {
    for (const slug of feed.categories.get(normaliseTerm(category)) ?? []) found.add(slug);
  }
  for (const [phrase, slugs] of feed.keywords) {
    if (containsPhrase(title, phrase)) for (const slug of slugs) found.add(slug);
  }
  return [...found];
}

/** Case-insensitive whole-word match; `\b` knows only ASCII letters, so Cyrillic needs Unicode classes. */
export function containsPhrase(text: string, phrase: string): boolean {
  const words = normaliseTerm(phrase)
    .split(" ")
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  if (words.join("") === "") return false;
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}_])${words.join("\\s+")}(?![\\p{L}\\p{N}_])`, "iu");
  return pattern.test(text);
}

function splitByKind(slugs: readonly string[], catalog: readonly CatalogEntry[]) {
  const bySlug = new Map(catalog.map((e) => [e.slug, e]));
  const topics: string[] = [];
  const regions: string[] = [];
  const ignored: string[] = [];
  for (const slug of slugs) {
    const entry = bySlug.get(slug);
    if (entry?.state !== "active") ignored.push(slug);
    else if (entry.kind === "topic") topics.push(slug);
    else regions.push(slug);
  }
  return { topics, regions, ignored };
}

function unmappedWhy(categories: readonly string[], ignored: readonly string[]): string {
  if (ignored.length > 0) return `its slugs are unknown or archived: ${ignored.join(", ")}`;
  const list = categories.length > 0 ? categories.map((c) => `"${c.trim()}"`).join(", ") : "none";
  return `no category or keyword matched (categories: ${list})`;
}

function publishedIso(item: FeedItem, now: DateTime): string | undefined {
  for (const raw of [item.published, item.updated]) {
    const when = parseFeedDate(raw);
    if (when && when <= now.plus({ minutes: FUTURE_TOLERANCE_MINUTES })) return when.toISO() ?? undefined;
  }
  return undefined;
}

/** RSS dates are RFC 822 (often loosely), Atom's are ISO 8601. */
export function parseFeedDate(raw: string | undefined): DateTime | undefined {
  const text = raw?.trim();
  if (!text) return undefined;
  const parsers = [
    () => DateTime.fromISO(text, { setZone: true }),
    () => DateTime.fromRFC2822(text, { setZone: true }),
    () => DateTime.fromHTTP(text, { setZone: true }),
  ];
  for (const parse of parsers) {
    const when = parse();
    if (when.isValid) return when;
  }
  return undefined;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

const BLOCK_TAG =
  /<\/?(?:br|p|div|li|ul|ol|h[1-6]|tr|blockquote|section|article|figure|figcaption|hr)\b[^<>]*>/gi;
const ANY_TAG = /<\/?[a-zA-Z][^<>]*>/g;

/**
 * The visible text of a fragment of feed HTML: scripts, styles and comments dropped, block
 * ends become line breaks, other tags vanish, every HTML entity is decoded, spaces tidied.
 */
export function htmlToText(html: string): string {
  const scanned = dropInvisible(html.slice(0, HTML_SCAN_MAX));
  // Decoding last, so an escaped "&lt;b&gt;" survives as the literal text "<b>".
  const text = decodeHTML(scanned.replace(BLOCK_TAG, "\n").replace(ANY_TAG, ""));
  return text
    .replace(/\r\n?/g, "\n")
    .split("\n")
    .map((line) => line.replace(/[^\S\n]+/g, " ").trim())
    .join("\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

const INVISIBLE_OPEN = /<!--|<(script|style)\b[^<>]*>/gi;

// A scan by indexOf rather than a lazy regex, which turns quadratic on many unclosed openers.
function dropInvisible(html: string): string {
  const lower = html.toLowerCase();
  let out = "";
  let from = 0;
  INVISIBLE_OPEN.lastIndex = 0;
  for (let m = INVISIBLE_OPEN.exec(html); m !== null; m = INVISIBLE_OPEN.exec(html)) {
    out += html.slice(from, m.index);
    const closer = m[1] ? `</${m[1].toLowerCase()}` : "-->";
    const end = lower.indexOf(closer, m.index + m[0].length);
    if (end === -1) return out;
    const close = m[1] ? html.indexOf(">", end) : end + 2;
    if (close === -1) return out;
    from = close + 1;
    INVISIBLE_OPEN.lastIndex = from;
  }
  return out + html.slice(from);
}
