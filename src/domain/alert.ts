import { DateTime } from "luxon";
import type { Article } from "./article.ts";
import type { Language } from "./catalog.ts";
import { fitHtmlMessage } from "./fit-text.ts";
import { escapeHtml } from "./html.ts";
import { TEXT_LIMIT } from "./label.ts";

export interface Reader {
  lang: Language;
  timeZone: string;
}

/** When the article came out, as the reader's clock and language put it. */
export function localTime(publishedAt: string, reader: Reader): string {
  return DateTime.fromISO(publishedAt, { setZone: true })
    .setZone(reader.timeZone)
    .setLocale(reader.lang)
    .toLocaleString(DateTime.DATETIME_MED);
}

/**
 * The alert as a subscriber sees it (HTML): headline, the label right under it, the teaser
 * shortened to fit, then the link and time. Only the teaser is ever shortened.
 */
export function renderAlert(
  article: Pick<Article, "headline" | "teaser" | "url" | "publishedAt" | "breaking">,
  reader: Reader,
  label: string,
  readWord: string,
): string {
  const headline = `${article.breaking ? "🔴 " : ""}<b>${escapeHtml(article.headline)}</b>`;
  const head = `${headline}\n<b>${escapeHtml(label)}</b>`;
  const tail = `<a href="${escapeHtml(article.url)}">${escapeHtml(readWord)}</a> · ${escapeHtml(localTime(article.publishedAt, reader))}`;
  return fitHtmlMessage({ head, body: article.teaser, tail }, TEXT_LIMIT);
}
