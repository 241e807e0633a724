import { escapeUTF8 } from "entities";
import { type AnyFeed, parseFeed } from "feedsmith";
import { declaresEntities } from "./feed-entities.ts";
import { withYandexFullText } from "./yandex-full-text.ts";

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

/** Link, title and text, which RSS and RDF items carry alike: the teaser and the body both from content:encoded. */
function rssText(item: RssItem | RdfItem): Pick<FeedItem, "link" | "title" | "summary" | "content" | "body"> {
  return {
    link: item.link,
    title: item.title,
    summary: item.description,
    content: item.content?.encoded,
    body: item.content?.encoded,
  };
}

function fromRss(item: RssItem): FeedItem {
  return compact({
    guid: item.guid?.value,
    guidIsPermaLink: item.guid?.isPermaLink,
    ...rssText(item),
    categories: (item.categories ?? []).flatMap((c) => c.name ?? []),
    published: item.pubDate ?? item.dc?.dates?.[0],
    images: pictures(item.enclosures ?? [], item.media),
  });
}

function fromRdf(item: RdfItem): FeedItem {
  return compact({
    guid: item.rdf?.about,
    ...rssText(item),
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
