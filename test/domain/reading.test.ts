import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseHtml } from "../../src/bench/fake-bot-api/html-entities.ts";
import { cleanArticleBody } from "../../src/domain/article-text.ts";
import { DEFAULT_FOREIGN_AGENT_LABEL, TEXT_LIMIT } from "../../src/domain/label.ts";
import { hasLabelInPlace } from "../../src/domain/labelled-text.ts";
import { readingCaption, renderReading } from "../../src/domain/reading.ts";

const LABEL = DEFAULT_FOREIGN_AGENT_LABEL;
const LABEL_LINE = `<b>${LABEL}</b>`;
const reader = { lang: "ru" as const, timeZone: "Europe/Moscow" };
const words = { onSite: "Читать на сайте" };
const article = {
  headline: "Суд в Грозном",
  url: "https://www.kavkaz-uzel.eu/articles/1/",
  publishedAt: "2026-11-27T10:00:00Z",
  breaking: false,
};

/** A 30,000-character article: paragraphs of sentences, with bold, links and a list. */
function longBody(): string {
  const paragraph = (n: number) =>
    `<p>Абзац ${n}. Жители <b>сообщили о задержаниях</b> в нескольких районах. ` +
    `Подробности <a href="https://www.kavkaz-uzel.eu/articles/${n}/">в материале</a>. ` +
    "Правозащитники потребовали объяснений от властей, но ответа пока нет. ".repeat(3) +
    "</p>";
  let html = "";
  for (let n = 1; html.length < 30_000; n++) html += paragraph(n);
  return `${html}<ul><li>первое</li><li>второе</li></ul>`;
}

describe("the text as messages", () => {
  it("splits a 30,000-character text into valid parts of at most 4096, each with the label in place, the last with the link and date", () => {
    const text = cleanArticleBody(longBody(), { baseUrl: article.url });
    const parts = renderReading(article, text, reader, LABEL, words);
    expect(parts.length).toBeGreaterThanOrEqual(6);
    for (const [i, part] of parts.entries()) {
      const parsed = parseHtml(part);
      expect(parsed.text.length).toBeLessThanOrEqual(TEXT_LIMIT);
      expect(hasLabelInPlace({ text: part, parseMode: "HTML" }, LABEL)).toBe(true);
      if (i === 0) expect(part.split("\n").slice(0, 2)).toEqual(["<b>Суд в Грозном</b>", LABEL_LINE]);
      else expect(part.startsWith(`${LABEL_LINE}\n`)).toBe(true);
    }
    const last = parts.at(-1) ?? "";
    expect(last).toMatch(
      /<a href="https:\/\/www\.kavkaz-uzel\.eu\/articles\/1\/">Читать на сайте<\/a> · 27 нояб\. 2026 г\., 13:00$/,
    );
    // Every word of the text is there once, in order.
    const bodies = parts.map((p, i) =>
      parseHtml(p)
        .text.split("\n")
        .slice(i === 0 ? 2 : 1)
        .join("\n"),
    );
    const plain = parseHtml(text).text.replace(/\s+/g, " ");
    const joined = bodies
      .join(" ")
      .replace(/Читать на сайте · .*$/, "")
      .replace(/\s+/g, " ")
      .trim();
    expect(joined).toBe(plain.trim());
  });

  it("splits at paragraphs when it can, so parts end with a whole paragraph", () => {
    const text = cleanArticleBody(longBody(), { baseUrl: article.url });
    const parts = renderReading(article, text, reader, LABEL, words);
    for (const part of parts.slice(0, -1)) expect(part.endsWith("нет.")).toBe(true);
  });

  it("splits a paragraph longer than a message at a sentence, closing and reopening its bold", () => {
    const sentence = "Это одно длинное предложение о событиях в регионе. ";
    const text = cleanArticleBody(`<p><b>${sentence.repeat(200)}</b></p>`, { baseUrl: article.url });
    const parts = renderReading(article, text, reader, LABEL, words);
    expect(parts.length).toBe(3);
    for (const part of parts) {
      parseHtml(part);
      expect(parseHtml(part).text.length).toBeLessThanOrEqual(TEXT_LIMIT);
    }
    expect(parts[0]).toMatch(/регионе\.<\/b>$/);
    expect(parts[1]?.startsWith(`${LABEL_LINE}\n<b>Это`)).toBe(true);
  });

  it("splits a text without spaces or sentences anywhere, and never inside a link", () => {
    const link = `<a href="https://example.org/x">${"ссылка".repeat(50)}</a>`;
    const text = cleanArticleBody(`<p>${"слово".repeat(900)}${link}${"ещё".repeat(900)}</p>`, {
      baseUrl: article.url,
    });
    const parts = renderReading(article, text, reader, LABEL, words);
    for (const part of parts) expect(parseHtml(part).text.length).toBeLessThanOrEqual(TEXT_LIMIT);
    const withLink = parts.filter((p) => p.includes('href="https://example.org/x"'));
    expect(withLink).toHaveLength(1);
    expect(withLink[0]).toContain(`${"ссылка".repeat(50)}</a>`);
  });

  it("counts as Telegram does: emoji and entities within the limit, never half an emoji", () => {
    const text = cleanArticleBody(`<p>${"😀 &amp; ".repeat(3000)}</p>`, { baseUrl: article.url });
    const parts = renderReading(article, text, reader, LABEL, words);
    expect(parts.length).toBeGreaterThan(1);
    for (const part of parts) {
      const visible = parseHtml(part).text;
      expect(visible.length).toBeLessThanOrEqual(TEXT_LIMIT);
      expect(visible).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
    }
  });

  it("gives a short text as one message: headline, label, text, link and date", () => {
    const parts = renderReading(article, "Короткий <i>текст</i>.", reader, LABEL, words);
    expect(parts).toHaveLength(1);
    expect(parts[0]?.split("\n")).toEqual([
      "<b>Суд в Грозном</b>",
      LABEL_LINE,
      "Короткий <i>текст</i>.",
      "",
      expect.stringMatching(/^<a href="[^"]+">Читать на сайте<\/a> · /),
    ]);
  });

  it("gives any cleaned body as valid parts within the limit", () => {
    const piece = fc.constantFrom(
      "<p>",
      "</p>",
      "<b>",
      "</b>",
      "<i>",
      "<br>",
      "<li>",
      "слово ",
      ". ",
      "😀",
      "&amp;",
      "\n",
      '<a href="https://x.org/">',
      "</a>",
      "<pre>",
      "</pre>",
      "<blockquote>",
    );
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 3000 }), (pieces) => {
        const text = cleanArticleBody(pieces.join(""), { baseUrl: article.url });
        for (const part of renderReading(article, text, reader, LABEL, words, 1000)) {
          expect(parseHtml(part).text.length).toBeLessThanOrEqual(1000);
        }
      }),
      { numRuns: 60 },
    );
  });

  it("captions the lead picture with the headline and the label under it", () => {
    expect(readingCaption({ ...article, breaking: true }, LABEL, 1024)).toBe(
      `🔴 <b>Суд в Грозном</b>\n${LABEL_LINE}`,
    );
    expect(readingCaption(article, "Л".repeat(1020), 1024)).toBeUndefined();
  });
});
