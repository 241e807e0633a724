import { escapeHtml, visibleLength } from "./html.ts";

/** One character, so a shortened text costs exactly one unit more than the prefix it keeps. */
export const ELLIPSIS = "…";

export interface HtmlMessageParts {
  /** Ready HTML (label, headline); never shortened. */
  head: string;
  /** Plain text; the only part that gets shortened, escaped here afterwards. */
  body: string;
  /** Ready HTML (link line); never shortened. */
  tail: string;
}

// What may dangle before the "…" without meaning anything: separators and openers.
const TRAILING_JUNK = /[\s,;:.…\-–—([{«]+$/u;
const WHITESPACE = /\s/;

/**
 * Shortens `text` to at most `maxUnits` UTF-16 code units, ending with "…".
 * Prefers the end of a word; cuts inside a word only when no word end fits, and even then
 * never between the halves of a surrogate pair.
 */
export function shortenAtWordBoundary(text: string, maxUnits: number): string {
  if (maxUnits <= 0) return "";
  if (text.length <= maxUnits) return text;
  const budget = maxUnits - 1;
  return `${prefixAtWordEnd(text, budget) ?? prefixInsideWord(text, budget)}${ELLIPSIS}`;
}

/** The longest prefix of at most `budget` units that is followed by whitespace, tidied up. */
function prefixAtWordEnd(text: string, budget: number): string | undefined {
  for (let end = Math.min(budget, text.length - 1); end > 0; end--) {
    if (!WHITESPACE.test(text.charAt(end))) continue;
    const prefix = text.slice(0, end).replace(TRAILING_JUNK, "");
    // Everything before this point is junk too, so no shorter boundary can do better.
    return prefix === "" ? undefined : prefix;
  }
  return undefined;
}

function prefixInsideWord(text: string, budget: number): string {
  const end = isHighSurrogate(text.charCodeAt(budget - 1)) ? budget - 1 : budget;
  return text.slice(0, Math.max(end, 0));
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Joins the non-empty parts with "\n" and shortens only the body so that the visible length
 * stays within `limit`. Throws RangeError when head and tail alone don't fit: the caller has
 * to prevent that, because neither may legally be shortened.
 */
export function fitHtmlMessage(parts: HtmlMessageParts, limit: number): string {
  const { head, tail } = parts;
  const fixed = joinLines([head, tail]);
  const fixedLength = visibleLength(fixed);
  if (fixedLength > limit) {
    throw new RangeError(
      `Message head and tail are ${fixedLength} visible characters, over the limit of ${limit}; they must never be shortened`,
    );
  }
  if (parts.body.trim() === "") return fixed;
  // One more "\n" joins the body to the parts around it.
  const budget = limit - fixedLength - (head === "" && tail === "" ? 0 : 1);
  const body = shortenAtWordBoundary(parts.body, budget);
  if (body === "" || (body === ELLIPSIS && parts.body !== ELLIPSIS)) return fixed;
  return joinLines([head, escapeHtml(body), tail]);
}

function joinLines(parts: readonly string[]): string {
  return parts.filter((part) => part !== "").join("\n");
}
