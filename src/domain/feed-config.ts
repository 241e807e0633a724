import { z } from "zod";
import { isValidSlug } from "./catalog.ts";
import { LANGUAGES, type Language } from "./language.ts";

export const FEED_ID_PATTERN = /^[a-z0-9-]{1,32}$/;
export const MIN_INTERVAL_SECONDS = 30;
export const MAX_INTERVAL_SECONDS = 86_400;
export const DEFAULT_INTERVAL_SECONDS = 300;

/**
 * One feed, normalised: mapping keys are trimmed and lower-cased so lookups are case-insensitive.
 * The mappings are Maps because their keys come from feeds: an object indexed by a category
 * named "constructor" or "__proto__" answers with what its prototype holds.
 */
export interface FeedConfig {
  id: string;
  url: string;
  edition: Language;
  intervalSeconds: number;
  /** Normalised category → slugs. */
  categories: ReadonlyMap<string, readonly string[]>;
  /** Normalised word or phrase → slugs; matched on word boundaries in the title. */
  keywords: ReadonlyMap<string, readonly string[]>;
}

export class FeedConfigError extends Error {}

/** Trimmed, inner whitespace collapsed, lower-cased: how both the file's keys and a feed's categories are compared. */
export function normaliseTerm(term: string): string {
  return term.trim().replace(/\s+/g, " ").toLowerCase();
}

const slugs = z
  .array(z.string().refine(isValidSlug, "must be a catalogue slug (a-z, 0-9, -)"), {
    message: "must be a list of catalogue slugs",
  })
  .min(1, "must name at least one slug");

const termMap = z.record(
  z.string().refine((k) => normaliseTerm(k) !== "", "keys must not be empty"),
  slugs,
  {
    message: 'must be an object such as { "Chechnya": ["chechnya"] }',
  },
);

const feed = z.strictObject(
  {
    id: z.string({ message: "is required" }).regex(FEED_ID_PATTERN, "must be 1-32 characters a-z, 0-9 or -"),
    url: z.url({ protocol: /^https?$/, message: "must be an http(s) URL" }),
    edition: z.enum(LANGUAGES, { message: "must be ru or en" }),
    intervalSeconds: z
      .number({ message: "must be a number of seconds" })
      .int("must be a whole number of seconds")
      .min(MIN_INTERVAL_SECONDS, `must be at least ${MIN_INTERVAL_SECONDS}`)
      .max(MAX_INTERVAL_SECONDS, `must be at most ${MAX_INTERVAL_SECONDS}`)
      .default(DEFAULT_INTERVAL_SECONDS),
    categories: termMap,
    keywords: termMap.default({}),
  },
  { message: "must be an object" },
);

const feedList = z.array(feed, { message: "must be a JSON list of feeds" });

/**
 * Validates the feeds file's text. The error names the feed by index (and id when it has one)
 * and the field, because whoever edits the file needs to find the line to fix.
 */
export function parseFeedsConfig(text: string): FeedConfig[] {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (err) {
    throw new FeedConfigError(`is not valid JSON (${(err as Error).message})`);
  }
  const result = feedList.safeParse(json);
  if (!result.success) throw new FeedConfigError(describeIssue(json, result.error.issues[0]));
  const feeds = result.data.map((f, index) => normaliseFeed(f, index));
  rejectDuplicateIds(feeds);
  return feeds;
}

type RawFeed = z.output<typeof feed>;

function normaliseFeed(raw: RawFeed, index: number): FeedConfig {
  const where = feedLabel(index, raw.id);
  const categories = normaliseMap(raw.categories, `${where}.categories`);
  const keywords = normaliseMap(raw.keywords, `${where}.keywords`);
  if (categories.size + keywords.size === 0) {
    throw new FeedConfigError(`${where} needs at least one category or keyword mapping`);
  }
  return {
    id: raw.id,
    url: raw.url,
    edition: raw.edition,
    intervalSeconds: raw.intervalSeconds,
    categories,
    keywords,
  };
}

// Two spellings of one key would silently lose one list of slugs, so they are an error.
function normaliseMap(raw: Record<string, string[]>, where: string): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [key, list] of Object.entries(raw)) {
    const term = normaliseTerm(key);
    if (out.has(term))
      throw new FeedConfigError(`${where} has "${term}" twice (keys ignore case and spaces)`);
    out.set(term, [...new Set(list)]);
  }
  return out;
}

function rejectDuplicateIds(feeds: readonly FeedConfig[]): void {
  const seen = new Set<string>();
  feeds.forEach((f, index) => {
    if (seen.has(f.id)) throw new FeedConfigError(`${feedLabel(index, f.id)}.id is used by an earlier feed`);
    seen.add(f.id);
  });
}

function feedLabel(index: number, id: unknown): string {
  return typeof id === "string" && FEED_ID_PATTERN.test(id) ? `feeds[${index}] (${id})` : `feeds[${index}]`;
}

function describeIssue(json: unknown, issue: z.core.$ZodIssue | undefined): string {
  if (!issue) return "is invalid";
  const [index, ...rest] = issue.path;
  if (typeof index !== "number") return issue.message;
  const id = Array.isArray(json) ? (json[index] as { id?: unknown } | undefined)?.id : undefined;
  const field = rest.map((p) => (typeof p === "number" ? `[${p}]` : formatKey(String(p)))).join("");
  if (issue.code === "unrecognized_keys") {
    return `${feedLabel(index, id)} has unknown field${issue.keys.length > 1 ? "s" : ""} ${issue.keys.join(", ")}`;
  }
  return `${feedLabel(index, id)}${field} ${isMissing(json, issue.path) ? "is required" : issue.message}`;
}

function formatKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function isMissing(json: unknown, path: readonly PropertyKey[]): boolean {
  let node: unknown = json;
  for (const part of path) {
    if (typeof node !== "object" || node === null || !Object.hasOwn(node, part)) return true;
    node = (node as Record<PropertyKey, unknown>)[part];
  }
  return node === undefined;
}
