import {
  type CatalogEntry,
  type CatalogKind,
  type CatalogState,
  entryName,
  type Language,
} from "./catalog.ts";

export interface CatalogRow {
  slug: string;
  /** The name in the admin's language. */
  name: string;
  state: CatalogState;
  subscribers: number;
}

export interface CatalogGroup {
  kind: CatalogKind;
  rows: CatalogRow[];
}

const KIND_ORDER: readonly CatalogKind[] = ["topic", "region"];

/**
 * The catalogue as admins see it: topics, then regions, each sorted by name in the admin's
 * language (slug breaks ties), archived entries in place and marked by their state.
 * Subscriber counts come from the counts hash; a slug nobody follows has 0.
 */
export function catalogListing(
  entries: readonly CatalogEntry[],
  counts: ReadonlyMap<string, number>,
  lang: Language,
): CatalogGroup[] {
  const collator = new Intl.Collator(lang);
  return KIND_ORDER.map((kind) => ({
    kind,
    rows: entries
      .filter((e) => e.kind === kind)
      .map((e) => ({
        slug: e.slug,
        name: entryName(e, lang),
        state: e.state,
        subscribers: Math.max(0, counts.get(e.slug) ?? 0),
      }))
      .sort((a, b) => collator.compare(a.name, b.name) || (a.slug < b.slug ? -1 : a.slug > b.slug ? 1 : 0)),
  }));
}
