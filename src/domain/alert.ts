import { DateTime } from "luxon";
import type { Article } from "./article.ts";
import type { Language } from "./catalog.ts";
import { dayAndTime } from "./clock.ts";
import { fitHtmlMessage } from "./fit-text.ts";
import { escapeHtml } from "./html.ts";
import { CAPTION_LIMIT, TEXT_LIMIT } from "./label.ts";

export interface Reader {
  lang: Language;
  timeZone: string;
}

/** When the article came out, as the reader's clock and language put it. */
export function localTime(publishedAt: string, reader: Reader): string {
  return dayAndTime(DateTime.fromISO(publishedAt, { setZone: true }).setZone(reader.timeZone), reader.lang, {
    year: true,
  });
}

type AlertArticle = Pick<Article, "headline" | "teaser" | "url" | "publishedAt" | "breaking">;

/**
 * The alert as a subscriber sees it (HTML): headline, the label right under it, the teaser
 * shortened to fit `limit` (Telegram's, after entities), then the link and time. Only the teaser
 * is ever shortened; throws RangeError when the rest alone is over `limit`.
 */
export function renderAlert(
  article: AlertArticle,
  reader: Reader,
  label: string,
  readWord: string,
  limit: number = TEXT_LIMIT,
): string {
  const headline = `${article.breaking ? "🔴 " : ""}<b>${escapeHtml(article.headline)}</b>`;
  const head = `${headline}\n<b>${escapeHtml(label)}</b>`;
  const tail = `<a href="${escapeHtml(article.url)}">${escapeHtml(readWord)}</a> · ${escapeHtml(localTime(article.publishedAt, reader))}`;
  return fitHtmlMessage({ head, body: article.teaser, tail }, limit);
}

/**
 * The same alert as a photo's caption (1024 units). Undefined when headline, label and link
 * alone are longer (a long FOREIGN_AGENT_LABEL): none of them may be cut, so the alert is text.
 */
export function renderAlertCaption(
  article: AlertArticle,
  reader: Reader,
  label: string,
  readWord: string,
): string | undefined {
  try {
    return renderAlert(article, reader, label, readWord, CAPTION_LIMIT);
  } catch (error) {
    if (error instanceof RangeError) return undefined;
    throw error;
  }
}
