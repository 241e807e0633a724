import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { escapeHtml, htmlToPlain, parseHtml, visibleLength } from "../../src/domain/html.ts";
import { cpuMs } from "../support/cpu-time.ts";

const anyText = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc.string({
    unit: fc.constantFrom("<", ">", "&", '"', "a", ";", "#", "lt", "amp", "😀", " "),
    maxLength: 200,
  }),
);

describe("escapeHtml", () => {
  it('replaces &, <, > and " with the entities Telegram supports', () => {
    expect(escapeHtml(`a & b < c > d "e"`)).toBe("a &amp; b &lt; c &gt; d &quot;e&quot;");
  });

  it("escapes an existing entity again so it shows literally", () => {
    expect(escapeHtml("&lt;")).toBe("&amp;lt;");
  });

  it("leaves text without special characters untouched, emoji included", () => {
    expect(escapeHtml("Привет, мир 😀 ‘quote’")).toBe("Привет, мир 😀 ‘quote’");
  });

  it("round-trips any string through htmlToPlain", () => {
    fc.assert(fc.property(anyText, (s) => htmlToPlain(escapeHtml(s)) === s));
  });

  it('produces no raw <, > or " and only & that start an entity', () => {
    fc.assert(
      fc.property(anyText, (s) => {
        const escaped = escapeHtml(s);
        expect(escaped).not.toMatch(/[<>"]/);
        expect(escaped.replace(/&(amp|lt|gt|quot);/g, "")).not.toContain("&");
      }),
    );
  });
});

describe("visibleLength", () => {
  it("does not count tags", () => {
    expect(visibleLength('<b>bold</b> and <a href="https://example.com/?a=1&amp;b=2">link</a>')).toBe(13);
  });

  it("counts each entity as the single character it stands for", () => {
    expect(visibleLength("&lt;&gt;&amp;&quot;")).toBe(4);
  });

  it("counts numeric entities as the UTF-16 units of their code point", () => {
    expect(visibleLength("&#65;&#x42;")).toBe(2);
    expect(visibleLength("&#128512;")).toBe(2);
    expect(visibleLength("&#x1F600;")).toBe(2);
  });

  it("counts astral characters as two UTF-16 units, like Telegram", () => {
    expect(visibleLength("😀")).toBe(2);
    expect(visibleLength("<i>😀</i>")).toBe(2);
  });

  it("equals the length of the escaped text for any string", () => {
    fc.assert(fc.property(anyText, (s) => visibleLength(escapeHtml(s)) === s.length));
  });
});

describe("htmlToPlain", () => {
  it("strips Telegram's tags, attributes and all", () => {
    expect(
      htmlToPlain(
        '<b>B</b><i>I</i><u>U</u><s>S</s><tg-spoiler>P</tg-spoiler><span class="tg-spoiler">Q</span>' +
          '<a href="https://x.test/">L</a><code>C</code><pre><code class="language-ts">X</code></pre>' +
          '<blockquote expandable>Z</blockquote><tg-emoji emoji-id="5368324170671202286">👍</tg-emoji>',
      ),
    ).toBe("BIUSPQLCXZ👍");
  });

  it("decodes entities in a single pass, so &amp;lt; shows as &lt;", () => {
    expect(htmlToPlain("&amp;lt; &amp;amp;")).toBe("&lt; &amp;");
  });

  it("leaves named entities Telegram does not support as they are", () => {
    expect(htmlToPlain("&nbsp;&mdash;")).toBe("&nbsp;&mdash;");
  });

  it("leaves numeric entities outside Unicode as they are", () => {
    expect(htmlToPlain("&#0;&#x110000;&#99999999999999999999;")).toBe(
      "&#0;&#x110000;&#99999999999999999999;",
    );
  });

  it("decodes a surrogate code point to U+FFFD instead of a lone surrogate", () => {
    expect(htmlToPlain("&#xD800;")).toBe("\uFFFD");
  });

  it("keeps a < that does not start a tag", () => {
    expect(htmlToPlain("1 < 2")).toBe("1 < 2");
  });

  it("keeps newlines", () => {
    expect(htmlToPlain("<b>a</b>\nb")).toBe("a\nb");
  });
});

describe("parseHtml", () => {
  it("reports each element's visible span and raw span", () => {
    const html = "x<b>a&amp;b</b>\n<i>c</i>";
    const { text, elements } = parseHtml(html);
    expect(text).toBe("xa&b\nc");
    expect(elements).toEqual([
      { tag: "b", offset: 1, length: 3, rawStart: 1, rawEnd: 15, depth: 0 },
      { tag: "i", offset: 5, length: 1, rawStart: 16, rawEnd: 24, depth: 0 },
    ]);
  });

  it("reports nesting depth", () => {
    const { elements } = parseHtml("<i><b>x</b></i>");
    expect(elements.map((e) => [e.tag, e.depth])).toEqual([
      ["b", 1],
      ["i", 0],
    ]);
  });

  it("ignores unmatched closing tags and drops unclosed elements", () => {
    const { text, elements } = parseHtml("</b>a<i>b");
    expect(text).toBe("ab");
    expect(elements).toEqual([]);
  });

  it("stays fast on many stray < characters", () => {
    expect(cpuMs(() => parseHtml("<a".repeat(50_000)))).toBeLessThan(1000);
  });
});
