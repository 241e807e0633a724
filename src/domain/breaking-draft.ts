import type { DateTime } from "luxon";
import { HEADLINE_MAX, oneLineHeadline, parseLink, TEASER_MAX, tidyTeaser } from "./article.ts";
import type { Language } from "./catalog.ts";

/** What an editor has typed so far in /breaking. */
export interface BreakingDraft {
  headline: string;
  teaser: string;
  url: string;
  topics: string[];
  regions: string[];
  lang: Language;
}

export type Checked<T, Why extends string> = { ok: true; value: T } | { ok: false; why: Why };

/** A refused headline says how long it was, so the editor knows how much to cut. */
export type HeadlineCheck =
  | { ok: true; value: string }
  | { ok: false; why: "empty" }
  | { ok: false; why: "too-long"; length: number };

export function checkHeadline(text: string): HeadlineCheck {
  const value = oneLineHeadline(text);
  if (value === "") return { ok: false, why: "empty" };
  if (value.length > HEADLINE_MAX) return { ok: false, why: "too-long", length: value.length };
  return { ok: true, value };
}

/** A lone "-" skips the teaser: breaking news may have none yet. */
export function checkTeaser(text: string): Checked<string, "too-long"> {
  const value = tidyTeaser(text);
  if (value === "-" || value === "—") return { ok: true, value: "" };
  if (value.length > TEASER_MAX) return { ok: false, why: "too-long" };
  return { ok: true, value };
}

/** Why a link was refused: each has its own words for the editor. */
export type LinkRefusal = "not-a-link" | "spaces" | "not-http" | "userinfo" | "too-long";

/** `kavkaz-uzel.eu/articles/1`, `www.example.org`: a site's name first, with a dot, and no scheme. */
const BARE_ADDRESS = /^(?:\/\/)?[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)+(?::\d{1,5})?(?:[/?#]|$)/u;
const SCHEME = /^([a-z][a-z0-9+.-]*):/i;

/**
 * An http(s) link to the article, by the rule every source keeps (parseLink), in its
 * normalised form. An address typed without its scheme (`kavkaz-uzel.eu/articles/1`) is taken
 * as https. A backslash, which the parser would quietly turn into a slash, is more likely a typo
 * of the editor's: it is asked about rather than corrected. A refusal says what was wrong.
 */
export function checkLink(
  text: string,
): { ok: true; value: string } | { ok: false; why: LinkRefusal; scheme?: string } {
  const raw = text.trim();
  if (raw.includes("\\")) return { ok: false, why: "not-a-link" };
  // `kavkaz-uzel.eu:8443/x` reads as a scheme to the parser: a scheme has no dot.
  const bare = BARE_ADDRESS.test(raw) && !SCHEME.exec(raw)?.[1]?.match(/^[a-z][a-z0-9+-]*$/i);
  const scheme = bare ? undefined : SCHEME.exec(raw)?.[1];
  // Words that are neither an address nor a link of some scheme.
  if (!bare && scheme === undefined) return { ok: false, why: "not-a-link" };
  const candidate = bare ? `https://${raw.replace(/^\/\//, "")}` : raw;
  const checked = parseLink(candidate, ["http:", "https:"]);
  if (checked.ok) return { ok: true, value: checked.href };
  switch (checked.why) {
    case "too-long":
    case "spaces":
    case "userinfo":
      return { ok: false, why: checked.why };
    case "scheme":
      return { ok: false, why: "not-http", scheme: (scheme ?? "").toLowerCase() };
    default:
      // javascript:, mailto: and the like are links of another kind, not typos.
      return scheme === undefined
        ? { ok: false, why: "not-a-link" }
        : { ok: false, why: "not-http", scheme: scheme.toLowerCase() };
  }
}

/** `brk-20261130-2340-x7k2`: readable on a phone, sortable, and free of ':' (BullMQ job ids). */
export function breakingId(now: DateTime, suffix: string): string {
  return `brk-${now.toUTC().toFormat("yyyyLLdd-HHmm")}-${suffix}`;
}

/** The article an editor's draft becomes: the same shape every other source publishes. */
export function articleFromDraft(draft: BreakingDraft, id: string, now: DateTime) {
  return {
    id,
    url: draft.url,
    headline: draft.headline,
    teaser: draft.teaser,
    topics: draft.topics,
    regions: draft.regions,
    lang: draft.lang,
    publishedAt: now.toUTC().toISO(),
    breaking: true,
  };
}

/** Toggles `slug` in a selection, keeping the order of choice. */
export function toggled(selection: readonly string[], slug: string): string[] {
  return selection.includes(slug) ? selection.filter((s) => s !== slug) : [...selection, slug];
}
