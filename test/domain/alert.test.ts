import { describe, expect, it } from "vitest";
import { renderAlert } from "../../src/domain/alert.ts";
import { visibleLength } from "../../src/domain/html.ts";
import { DEFAULT_FOREIGN_AGENT_LABEL, TEXT_LIMIT } from "../../src/domain/label.ts";
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
