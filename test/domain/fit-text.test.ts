import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ELLIPSIS, fitHtmlMessage, shortenAtWordBoundary } from "../../src/domain/fit-text.ts";
import { escapeHtml, htmlToPlain, visibleLength } from "../../src/domain/html.ts";
import { CAPTION_LIMIT, TEXT_LIMIT } from "../../src/domain/label.ts";

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function loneSurrogates(s: string): number {
  return s.match(LONE_SURROGATE)?.length ?? 0;
}

const word = fc.string({ unit: fc.constantFrom("a", "я", "😀", "é"), minLength: 1, maxLength: 12 });
const wordsText = fc.array(word, { minLength: 1, maxLength: 40 }).map((ws) => ws.join(" "));

const anyText = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 300 }),
  fc.string({ unit: "binary", maxLength: 300 }),
  fc.string({ unit: fc.constantFrom("a", " ", "\n", ",", ".", "—", "😀", "&", "<"), maxLength: 300 }),
  wordsText,
);

/** Any UTF-16 code unit sequence, lone surrogates included. */
const rawUtf16 = fc
  .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 200 })
  .map((codes) => String.fromCharCode(...codes));

const longText = fc.string({ unit: "grapheme", minLength: 4_000, maxLength: 20_000 });

describe("shortenAtWordBoundary", () => {
  it("returns a text that fits unchanged", () => {
    expect(shortenAtWordBoundary("Short news", 10)).toBe("Short news");
  });

  it("cuts after the last whole word that fits and adds one …", () => {
    expect(shortenAtWordBoundary("The quick brown fox jumps", 17)).toBe("The quick brown…");
  });

  it("uses a word that ends exactly where the budget ends", () => {
    // "The quick" is 9 units, plus "…" makes the limit of 10.
    expect(shortenAtWordBoundary("The quick brown", 10)).toBe("The quick…");
  });

  it("drops punctuation and whitespace that would dangle before the …", () => {
    expect(shortenAtWordBoundary("Moscow, Grozny — and Makhachkala", 17)).toBe("Moscow, Grozny…");
    expect(shortenAtWordBoundary("First sentence. Second one", 20)).toBe("First sentence…");
    expect(shortenAtWordBoundary("one\n\ntwo three", 7)).toBe("one…");
  });

  it("cuts inside a single huge word when no word boundary fits", () => {
    expect(shortenAtWordBoundary("Supercalifragilistic", 6)).toBe("Super…");
  });

  it("never splits a surrogate pair when cutting inside a word", () => {
    expect(shortenAtWordBoundary("😀😀😀", 4)).toBe("😀…");
    expect(shortenAtWordBoundary("a😀😀", 3)).toBe("a…");
  });

  it("returns an empty string for a budget of zero or less", () => {
    expect(shortenAtWordBoundary("anything", 0)).toBe("");
    expect(shortenAtWordBoundary("anything", -5)).toBe("");
  });

  it("returns just … when one unit is all there is", () => {
    expect(shortenAtWordBoundary("anything", 1)).toBe(ELLIPSIS);
  });

  it("never exceeds the budget", () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: -2, max: 400 }), (text, max) => {
        expect(shortenAtWordBoundary(text, max).length).toBeLessThanOrEqual(Math.max(max, 0));
      }),
    );
  });

  it("returns a prefix of the text followed by … whenever it shortens", () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 1, max: 400 }), (text, max) => {
        const result = shortenAtWordBoundary(text, max);
        if (text.length <= max) return result === text;
        return result.endsWith(ELLIPSIS) && text.startsWith(result.slice(0, -1));
      }),
    );
  });

  it("keeps well-formed text free of lone surrogates", () => {
    fc.assert(
      fc.property(anyText, fc.integer({ min: 0, max: 400 }), (text, max) => {
        expect(loneSurrogates(shortenAtWordBoundary(text, max))).toBe(0);
      }),
    );
  });

  it("never creates a lone surrogate, even in malformed UTF-16", () => {
    fc.assert(
      fc.property(rawUtf16, fc.integer({ min: 0, max: 220 }), (text, max) => {
        expect(loneSurrogates(shortenAtWordBoundary(text, max))).toBeLessThanOrEqual(loneSurrogates(text));
      }),
    );
  });

  it("keeps the longest run of whole words that fits", () => {
    fc.assert(
      fc.property(wordsText, fc.integer({ min: 1, max: 300 }), (text, max) => {
        const result = shortenAtWordBoundary(text, max);
        if (text.length <= max) return;
        const kept = result.slice(0, -1);
        const firstSpace = text.indexOf(" ");
        if (firstSpace < 0 || firstSpace > max - 1) {
          // Not even the first word fits: a hard cut, at most one unit short for a surrogate pair.
          expect(kept.length).toBeGreaterThanOrEqual(max - 2);
          return;
        }
        expect(text.charAt(kept.length)).toBe(" ");
        const nextSpace = text.indexOf(" ", kept.length + 1);
        expect(nextSpace < 0 || nextSpace > max - 1).toBe(true);
      }),
    );
  });

  it("shortens texts of up to 20,000 characters to Telegram's limits", () => {
    fc.assert(
      fc.property(longText, fc.constantFrom(TEXT_LIMIT, CAPTION_LIMIT), (text, limit) => {
        const result = shortenAtWordBoundary(text, limit);
        expect(result.length).toBeLessThanOrEqual(limit);
        expect(loneSurrogates(result)).toBe(0);
      }),
      { numRuns: 30 },
    );
  });
});

describe("fitHtmlMessage", () => {
  const head = "<b>LABEL</b>\n<b>Headline &amp; more</b>";
  const tail = '<a href="https://example.com/a?b=1&amp;c=2">Read more</a>';

  it("joins head, escaped body and tail with newlines when they fit", () => {
    expect(fitHtmlMessage({ head, body: "a < b & c", tail }, 4096)).toBe(
      `${head}\na &lt; b &amp; c\n${tail}`,
    );
  });

  it("omits a blank body and an empty tail", () => {
    expect(fitHtmlMessage({ head, body: "  \n ", tail: "" }, 4096)).toBe(head);
    expect(fitHtmlMessage({ head, body: "", tail }, 4096)).toBe(`${head}\n${tail}`);
  });

  it("shortens only the body, counting visible characters rather than markup", () => {
    const body = "one two three four five six";
    // Visible: "LABEL\nHeadline & more\n" (22) + body + "\nRead more" (10).
    const result = fitHtmlMessage({ head, body, tail }, 22 + 14 + 10);
    expect(result).toBe(`${head}\none two three…\n${tail}`);
    expect(visibleLength(result)).toBe(46);
  });

  it("counts an escaped character in the body as one", () => {
    const result = fitHtmlMessage({ head: "", body: "<<<<", tail: "" }, 4);
    expect(result).toBe("&lt;&lt;&lt;&lt;");
  });

  it("drops the body when only … would be left of it", () => {
    expect(fitHtmlMessage({ head, body: "long body text", tail }, 22 + 1 + 10)).toBe(`${head}\n${tail}`);
  });

  it("throws a RangeError when head and tail alone exceed the limit", () => {
    expect(() => fitHtmlMessage({ head, body: "x", tail }, 20)).toThrow(RangeError);
    expect(() => fitHtmlMessage({ head, body: "x", tail }, 20)).toThrow(/never be shortened/);
  });

  it("stays within the limit and keeps head and tail intact for any body", () => {
    const part = fc.string({ unit: "grapheme", maxLength: 200 }).map(escapeHtml);
    const body = fc.oneof(
      fc.string({ unit: "grapheme", maxLength: 6_000 }),
      fc.string({ unit: "binary", maxLength: 6_000 }),
      fc.string({ unit: fc.constantFrom("<", ">", "&", '"', " ", "😀", "w"), maxLength: 6_000 }),
    );
    fc.assert(
      fc.property(part, body, part, fc.constantFrom(TEXT_LIMIT, CAPTION_LIMIT), (h, b, t, limit) => {
        const result = fitHtmlMessage({ head: h, body: b, tail: t }, limit);
        expect(visibleLength(result)).toBeLessThanOrEqual(limit);
        expect(result.startsWith(h)).toBe(true);
        expect(result.endsWith(t)).toBe(true);
        expect(loneSurrogates(htmlToPlain(result))).toBe(0);
      }),
    );
  });

  it("keeps a body that is a prefix of the original followed by … when it shortens", () => {
    const body = fc.string({
      unit: fc.constantFrom("<", "&", " ", "😀", "w", "\n"),
      minLength: 1,
      maxLength: 3_000,
    });
    fc.assert(
      fc.property(body, fc.integer({ min: 12, max: 3_000 }), (b, limit) => {
        const result = fitHtmlMessage({ head: "<b>L</b>", body: b, tail: "" }, limit);
        const visibleBody = htmlToPlain(result).slice("L\n".length);
        if (b.trim() === "" || visibleBody === b) return;
        if (visibleBody === "") return;
        expect(visibleBody.endsWith(ELLIPSIS)).toBe(true);
        expect(b.startsWith(visibleBody.slice(0, -1))).toBe(true);
      }),
    );
  });
});
