/**
 * Readers' keyword filters: "+word" keeps only the articles that mention it, "-word" drops them.
 *
 * Matching is by whole words in any of their forms, never by substrings and never by a reader's
 * regular expression. Russian inflects, so words are compared by their stems (see word-stem.ts):
 * "-футбол" drops «Матч по футболу» and «мини-футбол» (a hyphen separates words) but not
 * «футболист», because a reader who writes a word means that word; a reader who wants both
 * adds both. Where the stemmer takes two words as one (суд, судья), so does the filter. A phrase
 * ("-права человека") matches those words in that order, in any of their forms («прав
 * человека»), whatever punctuation or spacing stands between them in the text. Case, Unicode
 * compatibility forms and ё/е are ignored.
 */
import { wordStem } from "./word-stem.ts";

/** keep: "+word" (only matching), else "-word" (drop matching); phrase normalised (see {@link normalisePhrase}). */
export interface KeywordFilter {
  keep: boolean;
  phrase: string;
}

/** In characters (code points) of the stored, normalised phrase. */
export const MAX_PHRASE_LENGTH = 40;

/** "too-long-written-out": short as typed, too long once ﬁ, ǆ and the like are written out as fi, dž. */
export type FilterRefusal = "empty" | "too-long" | "too-long-written-out" | "bad-characters" | "no-sign";

export type ParsedFilter =
  | { ok: true; filter: KeywordFilter }
  | { ok: false; reason: Exclude<FilterRefusal, "too-long" | "too-long-written-out"> }
  | { ok: false; reason: "too-long" | "too-long-written-out"; length: number };

// Letters (with their combining marks) and digits make words; everything else separates them.
const NOT_WORD = /[^\p{L}\p{M}\p{N}]+/u;
// What a reader may type: letters, digits, spaces, hyphens and apostrophes (phones turn ' into ’).
const ALLOWED = /^[\p{L}\p{M}\p{N}\s'’-]*$/u;
const HAS_WORD = /[\p{L}\p{N}]/u;
// Phones turn a typed "-" into a dash or a minus sign; a reader means the same thing.
const SIGNS: Readonly<Record<string, boolean>> = {
  "+": true,
  "-": false,
  "−": false,
  "–": false,
  "—": false,
};

/**
 * Parses "+word", "-some phrase" (also "+ word"); returns a specific refusal reason for bad
 * input. The phrase is stored normalised (see {@link normalisePhrase}), and its length is checked
 * in that form: the stored form is what is read back, and a longer one would be dropped there.
 */
export function parseFilter(input: string): ParsedFilter {
  const trimmed = input.trim();
  if (trimmed === "") return { ok: false, reason: "empty" };
  const keep = SIGNS[trimmed.charAt(0)];
  if (keep === undefined) return { ok: false, reason: "no-sign" };
  const rest = trimmed.slice(1).trim();
  if (!ALLOWED.test(rest)) return { ok: false, reason: "bad-characters" };
  if (!HAS_WORD.test(rest)) return { ok: false, reason: "empty" };
  const phrase = normalisePhrase(rest);
  if (phrase === "") return { ok: false, reason: "empty" };
  const length = [...phrase].length;
  if (length > MAX_PHRASE_LENGTH) {
    const typed = [...rest].length;
    return { ok: false, reason: typed > MAX_PHRASE_LENGTH ? "too-long" : "too-long-written-out", length };
  }
  return { ok: true, filter: { keep, phrase } };
}

/**
 * The form a phrase is stored and compared in: compatibility forms folded (NFKC), lower case,
 * ё as е, ’ as ', words separated by single spaces. Hyphens and apostrophes inside a phrase stay
 * (so the reader sees "кабардино-балкария" as typed); matching treats them as separators.
 */
export function normalisePhrase(text: string): string {
  return fold(text)
    .replace(/’/g, "'")
    .split(/[^\p{L}\p{M}\p{N}'-]+/u)
    .map((word) => word.replace(/^['-]+|['-]+$/g, ""))
    .filter((word) => word !== "")
    .join(" ");
}

function fold(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(/ё/g, "е");
}

/**
 * The stems of a text's or phrase's words joined as " a b c ", so that a phrase is a whole-word
 * substring. Stems hold no spaces, so a match never starts or ends inside a word.
 */
function wordKey(text: string): string {
  const stems = fold(text)
    .split(NOT_WORD)
    .filter((w) => w !== "")
    .map(wordStem);
  return ` ${stems.join(" ")} `;
}

// The fan-out checks one article against many chats: its words are worked out once.
let lastText: { headline: string; teaser: string | undefined; key: string } | undefined;
const phraseKeys = new Map<string, string>();

function articleKey(headline: string, teaser: string | undefined): string {
  if (lastText?.headline === headline && lastText.teaser === teaser) return lastText.key;
  const key = wordKey(teaser === undefined ? headline : `${headline}\n${teaser}`);
  lastText = { headline, teaser, key };
  return key;
}

function phraseKey(phrase: string): string {
  let key = phraseKeys.get(phrase);
  if (key === undefined) {
    key = wordKey(phrase);
    // Bounded: phrases are readers' words, but a process lives long.
    if (phraseKeys.size >= 10_000) phraseKeys.clear();
    phraseKeys.set(phrase, key);
  }
  return key;
}

/** True when the phrase's words stand in the text, whole, in any of their forms and in order. */
export function matchesPhrase(phrase: string, text: { headline: string; teaser?: string }): boolean {
  const key = phraseKey(phrase);
  return key.trim() !== "" && articleKey(text.headline, text.teaser).includes(key);
}

/**
 * True when the article passes: every "-" filter misses AND (there is no "+" filter OR some
 * "+" filter hits). Matching is on headline + teaser.
 */
export function passesFilters(
  filters: readonly KeywordFilter[],
  text: { headline: string; teaser?: string },
): boolean {
  let hasKeep = false;
  let kept = false;
  for (const f of filters) {
    if (f.keep) {
      hasKeep = true;
      if (!kept && matchesPhrase(f.phrase, text)) kept = true;
    } else if (matchesPhrase(f.phrase, text)) {
      return false;
    }
  }
  return !hasKeep || kept;
}
