import { DateTime } from "luxon";
import { type DigestItem, type DigestWords, renderDigest } from "../src/domain/digest.ts";
import { escapeHtml } from "../src/domain/html.ts";
import type { Language } from "../src/domain/language.ts";
import { type MirrorMap, mirrorUrl, NO_MIRRORS } from "../src/domain/mirrors.ts";
import { readLink } from "../src/domain/read-here.ts";
import type { ArticleStore } from "../src/store/article-store.ts";
import type { DigestPart } from "../src/store/held-store.ts";

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

/**
 * The digest lines of these articles as they read now (a correction shows its new text), without
 * `leaveOut` and articles gone; articles cancelled or retracted are left out too, unless
 * `keepStopped` (a sent digest keeps a cancelled article's line: only a retraction removes it).
 */
/** What a digest's links go through: the admins' mirrors, and the bot's name for "Read here" links. */
export interface DigestLinks {
  mirrors: MirrorMap;
  username: string | undefined;
}

export async function digestItems(
  articles: Pick<ArticleStore, "get" | "control">,
  lines: readonly { seq: number; breaking: boolean }[],
  opts: { leaveOut?: ReadonlySet<number>; keepStopped?: boolean; links?: DigestLinks } = {},
): Promise<DigestItem[]> {
  const { mirrors = NO_MIRRORS, username } = opts.links ?? {};
  const items = await Promise.all(
    lines.map(async ({ seq, breaking }): Promise<DigestItem | undefined> => {
      if (opts.leaveOut?.has(seq)) return undefined;
      const [article, control] = await Promise.all([articles.get(seq), articles.control(seq)]);
      if (!article || (control.stopped && !opts.keepStopped)) return undefined;
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
 * notes which articles' lines each message holds, so the ledger can point at that message.
 */
export function digestParts(
  items: readonly DigestItem[],
  reader: { lang: Language; timeZone: string },
  fellOut: number,
  label: string,
  words: DigestWords,
): DigestPart[] {
  const html = renderDigest(items, { label, zone: reader.timeZone, lang: reader.lang, fellOut, words });
  const placed = new Set<number>();
  return html.map((text) => {
    const seqs: number[] = [];
    for (const item of items) {
      if (placed.has(item.seq) || !text.includes(`href="${escapeHtml(item.url)}"`)) continue;
      placed.add(item.seq);
      seqs.push(item.seq);
    }
    return { html: text, seqs };
  });
}
