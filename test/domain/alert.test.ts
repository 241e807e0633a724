import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { renderAlert, renderAlertCaption } from "../../src/domain/alert.ts";
import { htmlToPlain, visibleLength } from "../../src/domain/html.ts";
import { CAPTION_LIMIT, DEFAULT_FOREIGN_AGENT_LABEL, TEXT_LIMIT } from "../../src/domain/label.ts";
import { hasLabelInPlace } from "../../src/domain/labelled-text.ts";

const article = {
  headline: "Суд <оставил> в силе & приговор",
  teaser: "Короткий анонс.",
  url: 'https://www.kavkaz-uzel.eu/articles/1?a=1&b="2"',
  publishedAt: "2026-11-27T10:00:00Z",
  breaking: false,
};
const reader = { lang: "ru" as const, timeZone: "Europe/Moscow" };

describe("alert rendering", () => {
  it("puts headline, then the bold label, then teaser, then link and local time", () => {
    const html = renderAlert(article, reader, DEFAULT_FOREIGN_AGENT_LABEL, "Читать");
    const lines = html.split("\n");
    expect(lines[0]).toBe("<b>Суд &lt;оставил&gt; в силе &amp; приговор</b>");
    expect(lines[1]).toBe(`<b>${DEFAULT_FOREIGN_AGENT_LABEL}</b>`);
    expect(lines[2]).toBe("Короткий анонс.");
    expect(lines[3]).toBe(
      '<a href="https://www.kavkaz-uzel.eu/articles/1?a=1&amp;b=&quot;2&quot;">Читать</a> · 27 нояб. 2026 г., 13:00',
    );
    expect(hasLabelInPlace({ text: html, parseMode: "HTML" }, DEFAULT_FOREIGN_AGENT_LABEL)).toBe(true);
  });

  it("marks breaking news with a red circle", () => {
    expect(renderAlert({ ...article, breaking: true }, reader, "L", "Read").startsWith("🔴 <b>")).toBe(true);
  });

  it("shows the time in the reader's zone and language", () => {
    const html = renderAlert(article, { lang: "en", timeZone: "Asia/Tbilisi" }, "L", "Read");
    expect(html).toContain("Read</a> · Nov 27, 2026, 2:00 PM");
  });

  it("shortens a 20,000-character teaser to fit 4096, keeping headline, label and link whole", () => {
    const long = "слово ".repeat(3400);
    const html = renderAlert({ ...article, teaser: long }, reader, DEFAULT_FOREIGN_AGENT_LABEL, "Читать");
    expect(visibleLength(html)).toBeLessThanOrEqual(TEXT_LIMIT);
    expect(visibleLength(html)).toBeGreaterThan(TEXT_LIMIT - 10);
    expect(html).toContain("слово…\n<a href=");
    expect(html).toContain(DEFAULT_FOREIGN_AGENT_LABEL);
    expect(html.startsWith("<b>Суд")).toBe(true);
  });
});

describe("alert as a photo caption", () => {
  const label = DEFAULT_FOREIGN_AGENT_LABEL;
  const breaking = { ...article, breaking: true };
  const caption = (teaser: string) =>
    renderAlertCaption({ ...breaking, teaser }, reader, label, "Читать") ?? "";
  const HEAD = `🔴 <b>Суд &lt;оставил&gt; в силе &amp; приговор</b>\n<b>${label}</b>`;
  const TAIL =
    '<a href="https://www.kavkaz-uzel.eu/articles/1?a=1&amp;b=&quot;2&quot;">Читать</a> · 27 нояб. 2026 г., 13:00';
  // Head, tail, and the two line breaks around the teaser: what a caption spends before the teaser.
  const fixed = visibleLength(`${HEAD}\n\n${TAIL}`);
  const budget = CAPTION_LIMIT - fixed;

  /** Surrogate halves on their own mean a character was cut in two. */
  const splitsAPair = (text: string) =>
    /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(text);

  it("has the parts of the text alert, in the same order, when the teaser fits", () => {
    expect(caption("Короткий анонс.")).toBe(`${HEAD}\nКороткий анонс.\n${TAIL}`);
  });

  it("is exactly 1024 units when the cut falls after an emoji, with headline and label intact and only the teaser shortened", () => {
    // Words of two emoji (four units each, one space apart) filling the units the budget leaves
    // before the "…", so the word end the teaser is cut at comes right after a surrogate pair.
    const words = Math.floor(budget / 5);
    const kept = "я".repeat(budget - 5 * words) + Array(words).fill("😀😀").join(" ");
    expect(kept).toHaveLength(budget - 1);
    const teaser = `${kept} 🔥🔥 ${"и ещё 😀 ".repeat(200)}`;
    const html = caption(teaser);
    expect(visibleLength(html)).toBe(CAPTION_LIMIT);
    expect(html.startsWith(`${HEAD}\n`)).toBe(true);
    expect(html.endsWith(`\n${TAIL}`)).toBe(true);
    expect(htmlToPlain(html).split("\n")[2]).toBe(`${kept}…`);
    expect(splitsAPair(htmlToPlain(html))).toBe(false);
  });

  it("never cuts an emoji in two when the teaser has no word end to cut at", () => {
    for (const shift of [0, 1]) {
      const html = caption(`${"я".repeat(shift)}${"😀".repeat(600)}`);
      const length = visibleLength(html);
      expect(length).toBeLessThanOrEqual(CAPTION_LIMIT);
      expect(length).toBeGreaterThanOrEqual(CAPTION_LIMIT - 1);
      expect(splitsAPair(htmlToPlain(html))).toBe(false);
    }
  });

  it("keeps within 1024 units for any teaser, the label bold under the headline and nothing cut in two", () => {
    const units = fc.constantFrom("а", "b", " ", "\n", "😀", "🇷🇺", "&", "<", "…", "\u00a0");
    fc.assert(
      fc.property(
        fc.array(units, { maxLength: 1500 }).map((a) => a.join("")),
        (teaser) => {
          const html = caption(teaser);
          expect(visibleLength(html)).toBeLessThanOrEqual(CAPTION_LIMIT);
          expect(html.startsWith(`${HEAD}\n`) || html === `${HEAD}\n${TAIL}`).toBe(true);
          expect(html.endsWith(TAIL)).toBe(true);
          expect(splitsAPair(htmlToPlain(html))).toBe(false);
          expect(hasLabelInPlace({ text: html, parseMode: "HTML" }, label)).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("is no caption at all when headline, label and link alone are longer than 1024 units", () => {
    expect(
      renderAlertCaption({ ...article, teaser: "" }, reader, "Л".repeat(1000), "Читать"),
    ).toBeUndefined();
    expect(renderAlert({ ...article, teaser: "" }, reader, "Л".repeat(1000), "Читать")).toContain(
      "Л".repeat(1000),
    );
  });
});
