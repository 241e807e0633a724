import { DateTime } from "luxon";
import { z } from "zod";
import type { CatalogEntry, Language } from "./catalog.ts";

export const HEADLINE_MAX = 300;
export const TEASER_MAX = 32_768;
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
}

export interface FieldError {
  field: string;
  message: string;
}

export type ArticleCheck = { ok: true; article: Article } | { ok: false; errors: FieldError[] };

const slugList = z
  .array(z.string(), { message: "must be a list of slugs" })
  .max(SLUGS_MAX, `at most ${SLUGS_MAX} slugs`);

const shape = z.object({
  id: z
    .union([z.string(), z.number().int().nonnegative()], {
      message: "is required: a string or a whole number",
    })
    .transform(String)
    .pipe(z.string().trim().min(1, "must not be empty").max(ID_MAX, `must be at most ${ID_MAX} characters`)),
  url: z
    .string({ message: "is required" })
    .trim()
    .max(URL_MAX, `must be at most ${URL_MAX} characters`)
    .refine(isHttpUrl, "must be an http(s) URL"),
  headline: z
    .string({ message: "is required" })
    // One line, so the label always stands on the alert's second line.
    .transform((s) => s.replace(/\s+/g, " ").trim())
    .pipe(
      z.string().min(1, "must not be empty").max(HEADLINE_MAX, `must be at most ${HEADLINE_MAX} characters`),
    ),
  teaser: z
    .string({ message: "must be text" })
    .max(TEASER_MAX, `must be at most ${TEASER_MAX} characters`)
    .default("")
    .transform((s) =>
      s
        .replace(/\r\n?/g, "\n")
        .replace(/\n{3,}/g, "\n\n")
        .trim(),
    ),
  topics: slugList.default([]),
  regions: slugList.default([]),
  lang: z.enum(["ru", "en"], { message: "must be ru or en" }),
  publishedAt: z.string({ message: "must be an ISO 8601 date-time" }).optional(),
  breaking: z.boolean({ message: "must be true or false" }).default(false),
});

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (url.protocol === "http:" || url.protocol === "https:") && url.hostname !== "";
  } catch {
    return false;
  }
}

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
 * Checks an article from any source against the catalogue. Every problem is reported with
 * the field it concerns, so a sender can fix all of them at once.
 */
export function validateArticle(
  input: unknown,
  catalog: readonly CatalogEntry[],
  now: DateTime,
): ArticleCheck {
  if (typeof input !== "object" || input === null || Array.isArray(input)) {
    return { ok: false, errors: [{ field: "article", message: "must be a JSON object" }] };
  }
  const parsed = shape.safeParse(input);
  const errors: FieldError[] = parsed.success
    ? []
    : parsed.error.issues.map((i) => ({
        field: i.path.map(String).join(".") || "article",
        message: i.message,
      }));
  if (!parsed.success) return { ok: false, errors };
  const v = parsed.data;
  const byslug = new Map(catalog.map((e) => [e.slug, e]));
  errors.push(...checkSlugs("topics", v.topics, byslug), ...checkSlugs("regions", v.regions, byslug));
  if (v.topics.length + v.regions.length === 0) {
    errors.push({ field: "topics", message: "an article needs at least one topic or region" });
  }
  let publishedAt = now.toISO() ?? "";
  if (v.publishedAt !== undefined) {
    const when = DateTime.fromISO(v.publishedAt, { setZone: true });
    if (!when.isValid) errors.push({ field: "publishedAt", message: "must be an ISO 8601 date-time" });
    else publishedAt = when.toISO() ?? publishedAt;
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    article: {
      id: v.id,
      url: v.url,
      headline: v.headline,
      teaser: v.teaser,
      topics: [...new Set(v.topics)],
      regions: [...new Set(v.regions)],
      lang: v.lang,
      publishedAt,
      breaking: v.breaking,
    },
  };
}

export function articleSlugs(article: Pick<Article, "topics" | "regions">): string[] {
  return [...new Set([...article.topics, ...article.regions])];
}
