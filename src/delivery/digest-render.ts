import { DateTime } from "luxon";
import { DIGEST_MAX_LINES, type DigestItem, type DigestWords, renderDigest } from "../domain/digest.ts";
import { escapeHtml } from "../domain/html.ts";
import type { Language } from "../domain/language.ts";
import { type MirrorMap, mirrorUrl, NO_MIRRORS } from "../domain/mirrors.ts";
import { readLink } from "../domain/read-here.ts";
import type { ArticleStore } from "../store/article-store.ts";
import type { DigestPart } from "../store/held-store.ts";

/** The Fluent words of a digest in one language (locales/<lang>/digest.ftl). */
export function digestWords(
  translate: (lang: Language, key: string, vars?: Record<string, string | number>) => string,
  lang: Language,
): DigestWords {
  return {
    title: translate(lang, "digest-title"),
    more: (count) => translate(lang, "digest-more", { count }),
    fellOut: (count) => translate(lang, "digest-fell-out", { count }),
  };
}

/** What a digest's links go through: the admins' mirrors, and the bot's name for "Read here" links. */
export interface DigestLinks {
  mirrors: MirrorMap;
  username: string | undefined;
}

/**
 * The digest lines of these articles as they read now (a correction shows its new text), without
 * articles gone or retracted; articles cancelled are left out too, unless `keepStopped` (a digest
 * rendered already keeps a cancelled article's line: only a retraction removes it).
 */
export async function digestItems(
  articles: Pick<ArticleStore, "get" | "control">,
  lines: readonly { seq: number; breaking: boolean }[],
  opts: { keepStopped?: boolean; links?: DigestLinks } = {},
): Promise<DigestItem[]> {
  const { mirrors = NO_MIRRORS, username } = opts.links ?? {};
  const items = await Promise.all(
    lines.map(async ({ seq, breaking }): Promise<DigestItem | undefined> => {
      const [article, control] = await Promise.all([articles.get(seq), articles.control(seq)]);
      if (!article || control.retracted || (control.stopped && !opts.keepStopped)) return undefined;
      const at = DateTime.fromISO(article.publishedAt);
      const url = mirrorUrl(article.url, mirrors);
      const readUrl = article.hasText && username !== undefined ? readLink(username, seq) : undefined;
      return { seq, headline: article.headline, url, breaking, at, ...(readUrl ? { readUrl } : {}) };
    }),
  );
  return items.filter((item): item is DigestItem => item !== undefined);
}

/**
 * Renders a digest (renderDigest: newest first, split at 4096 with the label on every part) and
 * notes which articles' lines each message holds, so the ledger can point at that message, and
 * the "N more" the last one counts, so that one message can be rendered again on its own.
 */
export function digestParts(
  items: readonly DigestItem[],
  reader: { lang: Language; timeZone: string },
  fellOut: number,
  label: string,
  words: DigestWords,
  more = 0,
): DigestPart[] {
  const html = renderDigest(items, { label, zone: reader.timeZone, lang: reader.lang, fellOut, words, more });
  const placed = new Set<number>();
  const parts = html.map((text): DigestPart => {
    const seqs: number[] = [];
    for (const item of items) {
      if (placed.has(item.seq) || !text.includes(`href="${escapeHtml(item.url)}"`)) continue;
      placed.add(item.seq);
      seqs.push(item.seq);
    }
    return { html: text, seqs };
  });
  const unlisted = Math.max(0, items.length - DIGEST_MAX_LINES) + more;
  const last = parts.at(-1);
  if (last && unlisted > 0) last.more = unlisted;
  return parts;
}

/** What one digest message is rendered from: its lines, its reader's language and zone. */
export interface DigestMessageContent {
  lines: readonly { seq: number; breaking: boolean }[];
  lang: Language;
  zone: string;
  fellOut: number;
  more?: number;
}

/**
 * One digest message as its articles read now: corrected lines show the new text, retracted ones
 * are gone. Undefined when no line is left (the message goes). A message is never split: when a
 * correction makes it outgrow 4096, the lines past the first part are left out.
 */
export async function renderDigestMessage(
  articles: Pick<ArticleStore, "get" | "control">,
  message: DigestMessageContent,
  label: string,
  words: DigestWords,
  links?: DigestLinks,
): Promise<string | undefined> {
  const items = await digestItems(articles, message.lines, {
    keepStopped: true,
    ...(links ? { links } : {}),
  });
  if (items.length === 0) return undefined;
  const [part] = digestParts(
    items,
    { lang: message.lang, timeZone: message.zone },
    message.fellOut,
    label,
    words,
    message.more ?? 0,
  );
  return part?.html;
}
