import type { DateTime } from "luxon";
import { HEADLINE_MAX, TEASER_MAX, URL_MAX } from "./article.ts";
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
  const value = text.replace(/\s+/g, " ").trim();
  if (value === "") return { ok: false, why: "empty" };
  if (value.length > HEADLINE_MAX) return { ok: false, why: "too-long" };
  return { ok: true, value };
}

/** A lone "-" skips the teaser: breaking news may have none yet. */
export function checkTeaser(text: string): Checked<string, "too-long"> {
  const value = text
    .replace(/\r\n?/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
  if (value === "-" || value === "—") return { ok: true, value: "" };
  if (value.length > TEASER_MAX) return { ok: false, why: "too-long" };
  return { ok: true, value };
}

/**
 * An http(s) link to the article, stored in its normalised form. Whitespace, control
 * characters and user:password@ never reach a reader's link.
 */
export function checkLink(text: string): Checked<string, "not-a-link" | "not-http" | "too-long"> {
  const raw = text.trim();
  if (raw.length > URL_MAX) return { ok: false, why: "too-long" };
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
  if (raw === "" || /[\s\u0000-\u001f\u007f\\]/.test(raw)) return { ok: false, why: "not-a-link" };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { ok: false, why: /^[a-z][a-z0-9+.-]*:/i.test(raw) ? "not-http" : "not-a-link" };
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") return { ok: false, why: "not-http" };
  if (url.hostname === "" || url.username !== "" || url.password !== "")
    return { ok: false, why: "not-a-link" };
  if (url.href.length > URL_MAX) return { ok: false, why: "too-long" };
  return { ok: true, value: url.href };
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
