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

export function checkHeadline(text: string): Checked<string, "empty" | "too-long"> {
  const value = oneLineHeadline(text);
  if (value === "") return { ok: false, why: "empty" };
  if (value.length > HEADLINE_MAX) return { ok: false, why: "too-long" };
  return { ok: true, value };
}

/** A lone "-" skips the teaser: breaking news may have none yet. */
export function checkTeaser(text: string): Checked<string, "too-long"> {
  const value = tidyTeaser(text);
  if (value === "-" || value === "—") return { ok: true, value: "" };
  if (value.length > TEASER_MAX) return { ok: false, why: "too-long" };
  return { ok: true, value };
}

/**
 * An http(s) link to the article, by the rule every source keeps (parseLink), in its
 * normalised form. A backslash, which the parser would quietly turn into a slash, is more
 * likely a typo of the editor's: it is asked about rather than corrected.
 */
export function checkLink(text: string): Checked<string, "not-a-link" | "not-http" | "too-long"> {
  const raw = text.trim();
  if (raw.includes("\\")) return { ok: false, why: "not-a-link" };
  const checked = parseLink(raw, ["http:", "https:"]);
  if (checked.ok) return { ok: true, value: checked.href };
  switch (checked.why) {
    case "too-long":
      return { ok: false, why: "too-long" };
    case "scheme":
      return { ok: false, why: "not-http" };
    case "not-a-link":
      // javascript:, mailto: and the like are links of another kind, not typos.
      return { ok: false, why: /^[a-z][a-z0-9+.-]*:/i.test(raw) ? "not-http" : "not-a-link" };
    default:
      return { ok: false, why: "not-a-link" };
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
