import { decodeHTML, escapeUTF8 } from "entities";
import { XMLParser } from "fast-xml-parser";
import { type AnyFeed, parseFeed } from "feedsmith";

/** One entry of an RSS, RDF or Atom document, reduced to what an alert can use. Text is as the feed gave it (may hold HTML). */
export interface FeedItem {
  guid?: string;
  /** RSS's isPermaLink: a guid that is a permalink doubles as the link when there is none. */
  guidIsPermaLink?: boolean;
  link?: string;
  title?: string;
  /** RSS description, Atom summary. */
  summary?: string;
  /** RSS content:encoded, Atom content, as the feed gave them: the teaser's fallback. */
  content?: string;
  /**
   * The full text as HTML, uncleaned: content:encoded, else Atom content (plain text escaped to
   * HTML), else yandex:full-text.
   */
  body?: string;
  categories: string[];
  published?: string;
  updated?: string;
  /** Picture addresses as the feed gave them (maybe relative), the best first; absent when none. */
  images?: string[];
}

export type FeedDocumentResult =
  | { ok: true; format: "rss" | "atom" | "rdf"; items: FeedItem[] }
  | { ok: false; reason: "refused" | "malformed" | "not-a-feed"; message: string };

/**
 * Parses a feed document. feedsmith never expands DTD entities (fast-xml-parser with
 * `processEntities: false`) and does no I/O; the check in front of it is defence in depth.
 */
export function parseFeedDocument(xml: string): FeedDocumentResult {
  if (declaresEntities(xml)) {
    return {
      ok: false,
      reason: "refused",
      message: "refused: the document declares entities (DOCTYPE internal subset)",
    };
  }
  let parsed: AnyFeed;
  try {
    parsed = parseFeed(xml);
  } catch (err) {
    return describeParseError(err);
  }
  switch (parsed.format) {
    case "rss":
      return {
        ok: true,
        format: "rss",
        items: withYandexFullText(xml, (parsed.feed.items ?? []).map(fromRss)),
      };
    case "rdf":
      return { ok: true, format: "rdf", items: (parsed.feed.items ?? []).map(fromRdf) };
    case "atom":
      return { ok: true, format: "atom", items: (parsed.feed.entries ?? []).map(fromAtom) };
    default:
      return { ok: false, reason: "not-a-feed", message: "not an RSS or Atom document" };
  }
}

const DOCTYPE = /<!DOCTYPE\b/iy;
const ENTITY = /<!ENTITY\b/iy;
const ANY_DECLARATION = /<!(?:DOCTYPE|ENTITY)\b/i;

/**
 * Whether the markup declares entities: a DOCTYPE with an internal subset, or an ENTITY
 * declaration. No news feed needs either, and refusing them outright shuts out billion-laughs
 * and external-entity documents whatever the parser would do with them. Comments and CDATA
 * sections are skipped, because they are text: an article about XML may well quote
 * `<!ENTITY` in its description. Text outside them cannot hold a literal `<!`, so every other
 * `<!` is markup. Every character is looked at a bounded number of times, so a hostile 5 MB
 * body costs one pass.
 */
export function declaresEntities(xml: string): boolean {
  let at = xml.indexOf("<!");
  while (at !== -1) {
    const closer = xml.startsWith("<!--", at) ? "-->" : xml.startsWith("<![CDATA[", at) ? "]]>" : undefined;
    if (closer) {
      const end = xml.indexOf(closer, at + 4);
      // Unclosed, the document is broken anyway; whatever follows must not hide a declaration.
      if (end === -1) return ANY_DECLARATION.test(xml.slice(at + 4));
      at = xml.indexOf("<!", end + closer.length);
      continue;
    }
    if (startsAt(ENTITY, xml, at)) return true;
    if (startsAt(DOCTYPE, xml, at)) {
      const doctype = scanDoctype(xml, at + "<!DOCTYPE".length);
      if (doctype === "subset") return true;
      at = xml.indexOf("<!", doctype);
      continue;
    }
    at = xml.indexOf("<!", at + 2);
  }
  return false;
}

function startsAt(pattern: RegExp, text: string, at: number): boolean {
  pattern.lastIndex = at;
  return pattern.test(text);
}

/**
 * Where a DOCTYPE without internal subset ends, or "subset". Its external ids are quoted and
 * may hold ">" or "["; the subset opens with a bare "[". A DOCTYPE left open counts as a
 * subset: its end cannot be trusted.
 */
function scanDoctype(xml: string, from: number): number | "subset" {
  for (let i = from; i < xml.length; i++) {
    const c = xml[i];
    if (c === "[") return "subset";
    if (c === ">") return i + 1;
    if (c === '"' || c === "'") {
      const close = xml.indexOf(c, i + 1);
      if (close === -1) return "subset";
      i = close;
    }
  }
  return "subset";
}

function describeParseError(err: unknown): FeedDocumentResult {
  const error = err as Error & { cause?: unknown };
  if (error.name === "DetectError") {
    return { ok: false, reason: "not-a-feed", message: "not an RSS or Atom document" };
  }
  const cause = error.cause instanceof Error ? error.cause.message : error.message;
  return { ok: false, reason: "malformed", message: `malformed XML: ${oneLine(cause, 160)}` };
}

function oneLine(text: string, max: number): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

type RssItem = NonNullable<Extract<AnyFeed, { format: "rss" }>["feed"]["items"]>[number];
type RdfItem = NonNullable<Extract<AnyFeed, { format: "rdf" }>["feed"]["items"]>[number];
type AtomEntry = NonNullable<Extract<AnyFeed, { format: "atom" }>["feed"]["entries"]>[number];

function fromRss(item: RssItem): FeedItem {
  return compact({
    guid: item.guid?.value,
    guidIsPermaLink: item.guid?.isPermaLink,
    link: item.link,
    title: item.title,
    summary: item.description,
    content: item.content?.encoded,
    body: item.content?.encoded,
    categories: (item.categories ?? []).flatMap((c) => c.name ?? []),
    published: item.pubDate ?? item.dc?.dates?.[0],
    images: pictures(item.enclosures ?? [], item.media),
  });
}

function fromRdf(item: RdfItem): FeedItem {
  return compact({
    guid: item.rdf?.about,
    link: item.link,
    title: item.title,
    summary: item.description,
    content: item.content?.encoded,
    body: item.content?.encoded,
    categories: item.dc?.subjects ?? [],
    published: item.dc?.dates?.[0],
    images: pictures([], item.media),
  });
}

function fromAtom(entry: AtomEntry): FeedItem {
  const links = entry.links ?? [];
  const alternate = links.find((l) => l.rel === undefined || l.rel === "alternate") ?? links[0];
  return compact({
    guid: entry.id,
    link: alternate?.href,
    title: entry.title?.value,
    summary: entry.summary?.value,
    content: entry.content?.value,
    body: atomBody(entry.content),
    categories: (entry.categories ?? []).flatMap((c) => c.term ?? c.label ?? []),
    published: entry.published,
    updated: entry.updated,
    images: pictures(
      links.filter((l) => l.rel === "enclosure").map((l) => ({ url: l.href, type: l.type })),
      entry.media,
    ),
  });
}

/**
 * Atom content as HTML. Without a type it is plain text (RFC 4287), so it is escaped rather than
 * read as markup; xhtml comes as the markup inside its div. Content given by `src`, or of another
 * media type (often base64), has no text here.
 */
function atomBody(content: AtomEntry["content"]): string | undefined {
  if (!content?.value || content.src) return undefined;
  const type = content.type?.trim().toLowerCase() || "text";
  if (["html", "xhtml", "text/html", "application/xhtml+xml"].includes(type)) return content.value;
  if (type === "text" || type.startsWith("text/")) return escapeUTF8(content.value);
  return undefined;
}

/**
 * Yandex's namespace for news feeds. The Russian news sites list the whole article in its
 * yandex:full-text; feedsmith knows no such namespace and drops the element.
 */
const YANDEX_NEWS_NS = /^https?:\/\/news\.yandex\.ru\/?$/i;
const MENTIONS_FULL_TEXT = /:full-text\b/i;
const NS_DECLARATION = /\bxmlns:([\w.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g;

// Every child of an item is kept as its raw markup, as feedsmith keeps content:encoded: an unclosed
// <br> in a description then cannot reshape the items around it. Entities stay as written, and
// the document was checked for entity declarations before either parse.
const rawItemParser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: "@",
  processEntities: false,
  htmlEntities: false,
  parseTagValue: false,
  parseAttributeValue: false,
  trimValues: false,
  ignoreDeclaration: true,
  ignorePiTags: true,
  transformTagName: (name) => name.toLowerCase(),
  transformAttributeName: (name) => name.toLowerCase(),
  stopNodes: ["rss.channel.item.*", "rss.item.*"],
});

type RawItem = Record<string, unknown>;

/**
 * Gives the items of an RSS document the yandex:full-text they carry as their body, unless
 * content:encoded gave them one. feedsmith drops the element, so the document is parsed a second
 * time, with feedsmith's own XML parser, and only when it mentions a full-text at all. The two
 * lists are matched by place, and feedsmith leaves out an item it finds nothing in, so a text
 * goes to an item only when both lists are as long and every guid and link agrees: otherwise
 * no item gets one, rather than one article's text under another's headline.
 */
function withYandexFullText(xml: string, items: FeedItem[]): FeedItem[] {
  if (!MENTIONS_FULL_TEXT.test(xml)) return items;
  const raw = rawItems(xml);
  if (raw?.length !== items.length) return items;
  const aligned = items.every((item, i) => {
    const other = raw[i] as RawItem;
    const sameGuid = item.guid === undefined || item.guid === elementText(other.guid);
    return sameGuid && (item.link === undefined || item.link === elementText(other.link));
  });
  if (!aligned) return items;
  const tags = yandexPrefixes(xml).map((prefix) => `${prefix}:full-text`);
  return items.map((item, i) => {
    if (item.body) return item;
    const other = raw[i] as RawItem;
    const text = tags.map((tag) => elementText(other[tag])).find((t) => t !== undefined);
    return text ? { ...item, body: text } : item;
  });
}

/** The document's items that are elements with content, as feedsmith finds them; undefined if it does not parse. */
function rawItems(xml: string): RawItem[] | undefined {
  let parsed: Record<string, unknown>;
  try {
    parsed = rawItemParser.parse(xml) as Record<string, unknown>;
  } catch {
    return undefined;
  }
  const rss = first(parsed.rss) as Record<string, unknown> | undefined;
  const channel = first(rss?.channel) as Record<string, unknown> | undefined;
  const list = channel?.item ?? rss?.item;
  const all = Array.isArray(list) ? list : list === undefined ? [] : [list];
  return all.filter((i): i is RawItem => typeof i === "object" && i !== null && !Array.isArray(i));
}

/** "yandex", as the Yandex guidelines write it, and any other prefix a document binds to the namespace. */
function yandexPrefixes(xml: string): string[] {
  const prefixes = new Set(["yandex"]);
  for (const m of xml.matchAll(NS_DECLARATION)) {
    if (YANDEX_NEWS_NS.test((m[2] ?? m[3] ?? "").trim())) prefixes.add(m[1]?.toLowerCase() ?? "yandex");
  }
  return [...prefixes];
}

function first(value: unknown): unknown {
  return Array.isArray(value) ? value[0] : value;
}

/**
 * The text of an element kept as raw markup, read as feedsmith reads its own: CDATA sections
 * verbatim, comments dropped, entities decoded everywhere else, trimmed; undefined when empty. A
 * repeated element counts once, by its first occurrence.
 */
function elementText(value: unknown): string | undefined {
  const element = first(value);
  const raw =
    typeof element === "string" ? element : (element as Record<string, unknown> | undefined)?.["#text"];
  if (typeof raw !== "string") return undefined;
  let text = "";
  let at = 0;
  // Each opener is looked for again only once passed, so many sections cost one pass, not one each.
  let cdata = raw.indexOf("<![CDATA[");
  let comment = raw.indexOf("<!--");
  while (cdata !== -1 || comment !== -1) {
    const isCdata = cdata !== -1 && (comment === -1 || cdata < comment);
    const start = isCdata ? cdata : comment;
    const end = raw.indexOf(isCdata ? "]]>" : "-->", start + (isCdata ? 9 : 4));
    // Left open, the rest is ordinary text, as feedsmith takes it.
    if (end === -1) break;
    text += decodeHTML(raw.slice(at, start));
    if (isCdata) text += raw.slice(start + 9, end);
    at = end + 3;
    if (cdata !== -1 && cdata < at) cdata = raw.indexOf("<![CDATA[", at);
    if (comment !== -1 && comment < at) comment = raw.indexOf("<!--", at);
  }
  text += decodeHTML(raw.slice(at));
  return text.trim() || undefined;
}

type Media = NonNullable<RssItem["media"]>;
type MediaContent = NonNullable<Media["contents"]>[number];
type MediaThumbnail = NonNullable<Media["thumbnails"]>[number];

const isImageType = (type: string | undefined) => type?.trim().toLowerCase().startsWith("image/") === true;

/**
 * The item's pictures, best first: an image enclosure (the item's own picture), then
 * media:content images, then media:thumbnail, the wider before the narrower. Enclosures and
 * media:content count only when they say they are images: a podcast's audio is not a picture.
 */
function pictures(
  enclosures: readonly { url?: string | undefined; type?: string | undefined }[],
  media: Media | undefined,
): string[] | undefined {
  const groups = media?.groups ?? [];
  const contents = [...(media?.contents ?? []), ...groups.flatMap((g) => g.contents ?? [])];
  const thumbnails: MediaThumbnail[] = [
    ...(media?.thumbnails ?? []),
    ...groups.flatMap((g) => g.thumbnails ?? []),
    ...contents.flatMap((c) => c.thumbnails ?? []),
  ];
  const widest = <T extends { width?: number | undefined }>(list: T[]) =>
    [...list].sort((a, b) => (b.width ?? 0) - (a.width ?? 0));
  const images = contents.filter((c: MediaContent) => c.medium === "image" || isImageType(c.type));
  const urls = [
    ...enclosures.filter((e) => isImageType(e.type)).map((e) => e.url),
    ...widest(images).map((c) => c.url),
    ...widest(thumbnails).map((t) => t.url),
  ].flatMap((u) => (u?.trim() ? [u.trim()] : []));
  return urls.length > 0 ? [...new Set(urls)] : undefined;
}

// Leaves undefined fields out, so items compare and log cleanly.
function compact(item: FeedItem): FeedItem {
  return Object.fromEntries(Object.entries(item).filter(([, v]) => v !== undefined)) as unknown as FeedItem;
}
