/**
 * The stem a keyword filter compares words by, so that a filter matches the word's other forms:
 * «футбол» finds «футболу», «Грозный» finds «Грозном», "flood" finds "flooding". Snowball's
 * Russian stemmer for Cyrillic words, Porter2 (Snowball's English) for Latin ones; other scripts,
 * digits and words mixing scripts are compared as they are, since no stemmer here knows them.
 * Takes a word already folded: NFKC, lower case, ё as е.
 */
import { stemmer as russianStem } from "@orama/stemmers/russian";
import { stem as englishStem } from "porter2";

const RUSSIAN = /^[а-яё]+$/;
const ENGLISH = /^[a-z]+$/;
// See russianWordStem: a stem is stemmed again only while it keeps this many letters.
const MIN_RESTEMMED = 4;
const MAX_CACHED = 50_000;

// A text's words repeat across articles and the fan-out asks for them article after article.
const cache = new Map<string, string>();

export function wordStem(word: string): string {
  let stem = cache.get(word);
  if (stem === undefined) {
    stem = RUSSIAN.test(word) ? russianWordStem(word) : ENGLISH.test(word) ? englishStem(word) : word;
    // Bounded: the words of every article a long-lived process sees.
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(word, stem);
  }
  return stem;
}

/**
 * Snowball reads some nominatives as verb forms and cuts them further than their other cases:
 * «дагестан» → «дагеста» but «дагестане» → «дагестан», «махачкала» → «махачка» but «махачкале» →
 * «махачкал»; it cuts «-ов» from «кадыров» but only «-а» from «кадырова». Stemming the stem
 * again until it holds brings such forms to one stem. The floor stops a short stem from being cut
 * to a fragment that other words share («ереван» stays «ерев», not «ер» as in «ера»).
 */
function russianWordStem(word: string): string {
  let stem = russianStem(word);
  for (;;) {
    const next = russianStem(stem);
    if (next === stem || next.length < MIN_RESTEMMED) return stem;
    stem = next;
  }
}
