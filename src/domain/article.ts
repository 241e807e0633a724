import { DateTime } from "luxon";
import { z } from "zod";
import type { CatalogEntry } from "./catalog.ts";
import { LANGUAGES, type Language } from "./language.ts";

export const HEADLINE_MAX = 300;
export const TEASER_MAX = 32_768;
export const BODY_MAX = 200_000;
export const ID_MAX = 256;
export const URL_MAX = 2048;
export const SLUGS_MAX = 32;

export interface Article {
  id: string;
  url: string;
  headline: string;
  teaser: string;
  topics: string[];
  regions: string[];
  lang: Language;
  /** ISO 8601 with offset. */
  publishedAt: string;
  breaking: boolean;
  /** An https picture: the alert goes out as a photo with the alert as its caption. */
  imageUrl?: string;
}

export interface FieldError {
  field: string;
  message: string;
}

export type ArticleCheck = { ok: true; article: Article } | { ok: false; errors: FieldError[] };

/** Missing → "is required"; present but wrong → the field's own message. */
function requiredOr(message: string) {
  return { error: (issue: { input: unknown }) => (issue.input === undefined ? "is required" : message) };
}

const slugList = z
  .array(z.string({ message: "must be a list of slugs" }), { message: "must be a list of slugs" })
  .max(SLUGS_MAX, `at most ${SLUGS_MAX} slugs`);

// A link may reach readers only as it was checked: the URL parser silently drops tabs and
// newlines and turns backslashes into slashes, so the stored form is the parser's own.
const CONTROL_OR_SPACE = /[\p{Cc}\p{Cf}\p{Z}\s]/u;

/** Why a link was refused; each source words it for its own people. */
export type LinkProblem = "too-long" | "spaces" | "not-a-link" | "scheme" | "userinfo";

/**
 * The one link rule of every source (API, feeds, editors): trimmed, no spaces or control
 * characters, one of `protocols` with a host, no user:pass@, and at most URL_MAX characters in
 * the parser's normalised form, which is what is stored.
 */
export function parseLink(
  value: string,
  protocols: readonly string[],
): { ok: true; href: string } | { ok: false; why: LinkProblem } {
  const raw = value.trim();
  if (raw.length > URL_MAX) return { ok: false, why: "too-long" };
  if (CONTROL_OR_SPACE.test(raw)) return { ok: false, why: "spaces" };
  const parsed = URL.canParse(raw) ? new URL(raw) : undefined;
  if (!parsed) return { ok: false, why: "not-a-link" };
  if (!protocols.includes(parsed.protocol)) return { ok: false, why: "scheme" };
  if (parsed.hostname === "") return { ok: false, why: "not-a-link" };
  // https://trusted.example@evil.example/ shows readers one host and opens another.
  if (parsed.username !== "" || parsed.password !== "") return { ok: false, why: "userinfo" };
  if (parsed.href.length > URL_MAX) return { ok: false, why: "too-long" };
  return { ok: true, href: parsed.href };
}

/** A headline as stored: one line, so the label always stands on the alert's second line. */
export function oneLineHeadline(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** A teaser as stored: Unix line ends, no more than one blank line in a row, trimmed. */
export function tidyTeaser(text: string): string {
  return text
    .replace(/\r\n?/g, "\n")
    .replace(/\n{3,}/g, "\n\n")
    .trim();
}

/** A link checked as readers will open it, in the URL parser's normalised form. */
function link(protocols: readonly string[], notALink: string) {
  const messages: Record<LinkProblem, string> = {
    // Reached only by the normalised form: a longer raw link is refused by .max before.
    "too-long": `must be at most ${URL_MAX} characters once normalised`,
    spaces: "must not contain spaces, line breaks or control characters",
    "not-a-link": notALink,
    scheme: notALink,
    userinfo: "must not contain a user name or password (user:pass@)",
  };
  return z
    .string(requiredOr("must be text"))
    .trim()
    .max(URL_MAX, `must be at most ${URL_MAX} characters`)
    .transform((value, ctx) => {
      const checked = parseLink(value, protocols);
      if (checked.ok) return checked.href;
      ctx.addIssue({ code: "custom", message: messages[checked.why] });
      return z.NEVER;
    });
}

const url = link(["http:", "https:"], "must be an http(s) URL");

// Telegram fetches the picture itself; https keeps what it shows from being swapped on the way.
// null and "" are how many CMSes say "no picture".
const imageUrl = z.preprocess(
  (v) => (v === null || (typeof v === "string" && v.trim() === "") ? undefined : v),
  link(["https:"], "must be an https URL").optional(),
);

/** `value` as an article's imageUrl would store it, or undefined when it would be refused. */
export function normaliseImageUrl(value: string): string | undefined {
  const result = imageUrl.safeParse(value);
  return result.success ? result.data : undefined;
}

// One schema per field, checked one by one, so a bad field never hides the problems of another.
const fields = {
  id: z
    .union([z.string(), z.number().int().nonnegative()], requiredOr("must be text or a whole number"))
    .transform(String)
    .pipe(z.string().trim().min(1, "must not be empty").max(ID_MAX, `must be at most ${ID_MAX} characters`)),
  url,
  headline: z
    .string(requiredOr("must be text"))
    .transform(oneLineHeadline)
    .pipe(
      z.string().min(1, "must not be empty").max(HEADLINE_MAX, `must be at most ${HEADLINE_MAX} characters`),
    ),
  teaser: z
    .string({ message: "must be text" })
    .max(TEASER_MAX, `must be at most ${TEASER_MAX} characters`)
    .default("")
    .transform(tidyTeaser),
  topics: slugList.default([]),
  regions: slugList.default([]),
  lang: z.enum(LANGUAGES, requiredOr("must be ru or en")),
  publishedAt: z.string({ message: "must be an ISO 8601 date-time" }).optional(),
  breaking: z.boolean({ message: "must be true or false" }).default(false),
  imageUrl,
};

type Fields = typeof fields;
type Parsed = { [K in keyof Fields]: z.output<Fields[K]> };
const FIELD_ORDER = Object.keys(fields) as (keyof Fields)[];

// A publication date this far ahead is a wrong offset or a typo, and would sort above every real article.
const FUTURE_LIMIT = { days: 1 };

function checkSlugs(
  field: "topics" | "regions",
  slugs: readonly string[],
  catalog: ReadonlyMap<string, CatalogEntry>,
) {
  const kind = field === "topics" ? "topic" : "region";
  return slugs.flatMap((slug): FieldError[] => {
    const entry = catalog.get(slug);
    if (!entry) return [{ field, message: `unknown ${kind} "${slug}"` }];
    if (entry.kind !== kind) return [{ field, message: `"${slug}" is a ${entry.kind}, not a ${kind}` }];
    if (entry.state !== "active") return [{ field, message: `${kind} "${slug}" is archived` }];
    return [];
  });
}

/**
 * The publication time: with its own offset if it has one, else taken as UTC (never the
 * server's zone, which differs between machines).
 */
function checkPublishedAt(raw: string, now: DateTime): { iso: string } | FieldError {
  const when = DateTime.fromISO(raw, { zone: "utc", setZone: true });
  if (!when.isValid) return { field: "publishedAt", message: "must be an ISO 8601 date-time" };
  if (when > now.plus(FUTURE_LIMIT)) {
    return { field: "publishedAt", message: "must not be more than a day in the future (check its offset)" };
  }
  return { iso: when.toISO() ?? raw };
}

/**
 * Checks an article from any source against the catalogue. Every problem of every field is
 * reported, each with the field it concerns, so a sender can fix all of them at once.
 */
export function validateArticle(
  input: unknown,
  catalog: readonly CatalogEntry[],
  now: DateTime,
): ArticleCheck {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: "article", message: "must be a JSON object" }] };
  }
  const errors: FieldError[] = [];
  const v: Partial<Parsed> = {};
  for (const field of FIELD_ORDER) {
    // Own fields only: an article without "constructor" must not be read as having one.
    const raw = Object.hasOwn(input, field) ? (input as Record<string, unknown>)[field] : undefined;
    const result = fields[field].safeParse(raw);
    if (result.success) Object.assign(v, { [field]: result.data });
    else errors.push(...result.error.issues.map((i) => ({ field, message: i.message })));
  }
  const byslug = new Map(catalog.map((e) => [e.slug, e]));
  if (v.topics) errors.push(...checkSlugs("topics", v.topics, byslug));
  if (v.regions) errors.push(...checkSlugs("regions", v.regions, byslug));
  if (v.topics && v.regions && v.topics.length + v.regions.length === 0) {
    errors.push({ field: "topics", message: "an article needs at least one topic or region" });
  }
  let publishedAt = now.toISO() ?? "";
  if (v.publishedAt !== undefined) {
    const checked = checkPublishedAt(v.publishedAt, now);
    if ("iso" in checked) publishedAt = checked.iso;
    else errors.push(checked);
  }
  if (errors.length > 0) return { ok: false, errors: inFieldOrder(errors) };
  const ok = v as Parsed;
  return {
    ok: true,
    article: {
      id: ok.id,
      url: ok.url,
      headline: ok.headline,
      teaser: ok.teaser,
      topics: [...new Set(ok.topics)],
      regions: [...new Set(ok.regions)],
      lang: ok.lang,
      publishedAt,
      breaking: ok.breaking,
      ...(ok.imageUrl !== undefined ? { imageUrl: ok.imageUrl } : {}),
    },
  };
}

// Sorting is stable: within a field, problems keep the order they were found in.
function inFieldOrder(errors: FieldError[]): FieldError[] {
  const rank = (field: string) => FIELD_ORDER.indexOf(field as keyof Fields);
  return errors.sort((a, b) => rank(a.field) - rank(b.field));
}

export function articleSlugs(article: Pick<Article, "topics" | "regions">): string[] {
  return [...new Set([...article.topics, ...article.regions])];
}
