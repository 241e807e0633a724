import { type CatalogKind, isValidSlug } from "./catalog.ts";

export const CATALOG_NAME_MAX = 64;

export type CatalogCommand =
  | { action: "list" }
  | { action: "add"; slug: string; kind: CatalogKind; nameRu: string; nameEn: string }
  | { action: "rename"; slug: string; nameRu: string; nameEn: string }
  | { action: "archive" | "restore"; slug: string };

/** Why a /catalog command was refused; each maps to one message telling the admin what to fix. */
export type CatalogCommandError =
  | { error: "usage" }
  | { error: "bad-slug"; slug: string }
  | { error: "bad-kind"; kind: string }
  | { error: "names" }
  | { error: "name-too-long" };

export type CatalogCommandParse = CatalogCommand | CatalogCommandError;

/** At most `max` characters of user text, never cutting a character (a lone surrogate) in two. */
function clip(text: string, max: number): string {
  return [...text].slice(0, max).join("");
}

/** `Name ru | Name en`: both required, one line each, within the length a menu button shows. */
function parseNames(text: string): { nameRu: string; nameEn: string } | CatalogCommandError {
  const parts = text.split("|").map((p) => p.replace(/\s+/g, " ").trim());
  if (parts.length !== 2 || !parts[0] || !parts[1]) return { error: "names" };
  const [nameRu, nameEn] = parts as [string, string];
  if ([...nameRu].length > CATALOG_NAME_MAX || [...nameEn].length > CATALOG_NAME_MAX)
    return { error: "name-too-long" };
  return { nameRu, nameEn };
}

function checkSlug(slug: string): CatalogCommandError | undefined {
  return isValidSlug(slug) ? undefined : { error: "bad-slug", slug: clip(slug, 40) };
}

/** The first whitespace-separated word of `text` and what follows it, trimmed. */
function firstWord(text: string): [word: string, rest: string] {
  const match = /^(\S*)\s*([\s\S]*)$/.exec(text.trim());
  return [match?.[1] ?? "", match?.[2] ?? ""];
}

/**
 * Parses what follows `/catalog`: nothing (the list), `add <slug> <topic|region> <Name ru> | <Name en>`,
 * `rename <slug> <Name ru> | <Name en>`, `archive <slug>`, `restore <slug>`.
 */
export function parseCatalogCommand(args: string): CatalogCommandParse {
  const [verb, afterVerb] = firstWord(args);
  if (verb === "") return { action: "list" };
  const [slug, afterSlug] = firstWord(afterVerb);
  switch (verb.toLowerCase()) {
    case "add": {
      if (!slug) return { error: "usage" };
      const bad = checkSlug(slug);
      if (bad) return bad;
      const [kindWord, names] = firstWord(afterSlug);
      if (!kindWord) return { error: "usage" };
      const kind = kindWord.toLowerCase();
      if (kind !== "topic" && kind !== "region") return { error: "bad-kind", kind: clip(kindWord, 20) };
      const parsed = parseNames(names);
      if ("error" in parsed) return parsed;
      return { action: "add", slug, kind, ...parsed };
    }
    case "rename": {
      if (!slug) return { error: "usage" };
      const bad = checkSlug(slug);
      if (bad) return bad;
      const parsed = parseNames(afterSlug);
      if ("error" in parsed) return parsed;
      return { action: "rename", slug, ...parsed };
    }
    case "archive":
    case "restore": {
      if (!slug || afterSlug !== "") return { error: "usage" };
      const bad = checkSlug(slug);
      if (bad) return bad;
      return { action: verb.toLowerCase() as "archive" | "restore", slug };
    }
    default:
      return { error: "usage" };
  }
}
