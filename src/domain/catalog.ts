import type { Language } from "./language.ts";

/** Kept for the many importers elsewhere; the type lives in language.ts. */
export type { Language } from "./language.ts";

export type CatalogKind = "topic" | "region";
export type CatalogState = "active" | "archived";

export interface CatalogEntry {
  slug: string;
  kind: CatalogKind;
  nameRu: string;
  nameEn: string;
  state: CatalogState;
}

/** Slugs travel in /start deep links, so they keep to what a start parameter allows. */
export const SLUG_PATTERN = /^[a-z0-9-]{1,32}$/;

export function isValidSlug(slug: string): boolean {
  return SLUG_PATTERN.test(slug);
}

export function entryName(entry: CatalogEntry, lang: Language): string {
  return lang === "ru" ? entry.nameRu : entry.nameEn;
}

/**
 * How widely an entry is followed, to the order of magnitude: 0 for fewer than 9 subscribers,
 * 1 for up to 98, 2 for up to 998… Coarse on purpose: one reader's tap seldom moves an entry.
 */
export function followingTier(subscribers: number): number {
  return Math.floor(Math.log10(Math.max(0, subscribers) + 1));
}

/**
 * The order of the menus: what the newsroom's readers follow most first (by {@link followingTier},
 * so the menu does not reshuffle under a reader's finger), then by the name the reader sees, in
 * the reader's language. Without `subscribers`, by name alone.
 */
export function sortForReader(
  entries: readonly CatalogEntry[],
  lang: Language,
  subscribers?: ReadonlyMap<string, number>,
): CatalogEntry[] {
  const collator = new Intl.Collator(lang);
  const tier = (e: CatalogEntry) => followingTier(subscribers?.get(e.slug) ?? 0);
  return [...entries].sort(
    (a, b) => tier(b) - tier(a) || collator.compare(entryName(a, lang), entryName(b, lang)),
  );
}

export class CatalogParseError extends Error {}

/** Parses the seed file (`slug,kind,name_ru,name_en`); names hold no commas. */
export function parseCatalogCsv(csv: string): CatalogEntry[] {
  const lines = csv.split(/\r?\n/).filter((line) => line.trim() !== "");
  const [header, ...rows] = lines;
  if (header?.trim() !== "slug,kind,name_ru,name_en") {
    throw new CatalogParseError("catalogue header must be slug,kind,name_ru,name_en");
  }
  const seen = new Set<string>();
  return rows.map((row, index) => {
    const lineNo = index + 2;
    const [slug = "", kind = "", nameRu = "", nameEn = "", ...rest] = row.split(",").map((c) => c.trim());
    if (rest.length > 0) throw new CatalogParseError(`line ${lineNo}: too many columns`);
    if (!isValidSlug(slug)) throw new CatalogParseError(`line ${lineNo}: bad slug "${slug}"`);
    if (kind !== "topic" && kind !== "region")
      throw new CatalogParseError(`line ${lineNo}: bad kind "${kind}"`);
    if (!nameRu || !nameEn) throw new CatalogParseError(`line ${lineNo}: both names are required`);
    if (seen.has(slug)) throw new CatalogParseError(`line ${lineNo}: duplicate slug "${slug}"`);
    seen.add(slug);
    return { slug, kind, nameRu, nameEn, state: "active" as const };
  });
}

/** What a reader typed, folded for comparing with slugs and names: case, ё = е, hyphens and spaces alike. */
export function foldName(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/ё/g, "е")
    .replace(/[-_\s]+/g, " ")
    .trim();
}

/** A typed beginning finds an entry only from this many characters on, and only if it is the one. */
const PREFIX_MIN = 3;

/**
 * The entry a reader means by its slug or its Russian or English name ("chechnya", "Чечня",
 * "north ossetia", "Карачаево"): whole names first, then a beginning that fits one entry alone.
 * Active entries come before archived ones of the same name.
 */
export function findEntry(entries: readonly CatalogEntry[], typed: string): CatalogEntry | undefined {
  const query = foldName(typed);
  if (query === "") return undefined;
  const ordered = [...entries].sort((a, b) => Number(a.state !== "active") - Number(b.state !== "active"));
  const names = (e: CatalogEntry) => [e.slug, e.nameRu, e.nameEn].map(foldName);
  const whole = ordered.find((e) => names(e).includes(query));
  if (whole || Array.from(query).length < PREFIX_MIN) return whole;
  const begun = ordered.filter((e) => e.state === "active" && names(e).some((n) => n.startsWith(query)));
  return begun.length === 1 ? begun[0] : undefined;
}
