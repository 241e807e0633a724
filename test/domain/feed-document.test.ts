import { describe, expect, it } from "vitest";
import { parseFeedDocument } from "../../src/domain/feed-document.ts";
import { feedFixture } from "../support/feed-server.ts";

function itemsOf(xml: string) {
  const result = parseFeedDocument(xml);
  if (!result.ok) throw new Error(result.message);
  return result.items;
}

describe("feed documents", () => {
  it("reads RSS 2.0 items with CDATA kept verbatim, entities decoded once, categories and the guid's permalink flag", () => {
    const [first, second] = itemsOf(feedFixture("rss-basic.xml"));
    expect(first).toMatchObject({
      guid: "ku-1002",
      guidIsPermaLink: false,
      link: "https://www.kavkaz-uzel.eu/articles/1002/",
      title: "<b>Суд</b> в Махачкале &amp; приговор",
      categories: ["Дагестан"],
      published: "Thu, 27 Nov 2025 12:30:00 +0300",
    });
    expect(first?.summary).toContain("<script>");
    expect(second).toMatchObject({
      link: "/articles/1001/",
      title: "<i>Протест</i> в Грозном",
      categories: ["ЧЕЧНЯ", "Суды"],
    });
  });

  it("reads Atom entries: id, the alternate link, html title and summary, content, terms, dates", () => {
    const [first, second] = itemsOf(feedFixture("atom.xml"));
    expect(first).toEqual({
      guid: "urn:kavkaz-uzel:en:3001",
      link: "/articles/3001/",
      title: "Court <em>rules</em> in Nalchik",
      summary: "<p>The court <b>ruled</b> on Thursday.</p>",
      content: "<p>Full text.</p>",
      categories: ["Courts", "Kabardino-Balkaria"],
      published: "2025-11-27T09:15:00+03:00",
      updated: "2025-11-27T10:00:00Z",
    });
    expect(second?.link).toBe("https://eng.kavkaz-uzel.eu/articles/3002/");
    expect(second?.summary).toBeUndefined();
  });

  it("refuses a billion-laughs document before parsing, at once and without expanding anything", () => {
    const started = performance.now();
    const result = parseFeedDocument(feedFixture("billion-laughs.xml"));
    expect(result).toEqual({
      ok: false,
      reason: "refused",
      message: "refused: the document declares entities (DOCTYPE internal subset)",
    });
    expect(performance.now() - started).toBeLessThan(50);
  });

  it("refuses an external-entity document, so /etc/passwd is never read into an item", () => {
    const result = parseFeedDocument(feedFixture("xxe.xml"));
    expect(result).toMatchObject({ ok: false, reason: "refused" });
  });

  it("refuses an entity declaration even without a DOCTYPE bracket in front of it", () => {
    const sneaky = feedFixture("rss-empty.xml").replace("<rss", '<!ENTITY x "y"><rss');
    expect(parseFeedDocument(sneaky)).toMatchObject({ ok: false, reason: "refused" });
  });

  it("accepts an RSS 0.91 feed that names a public DTD without an internal subset", () => {
    const [item] = itemsOf(feedFixture("rss-091-public-dtd.xml"));
    expect(item).toMatchObject({ title: "Café opens", link: "https://www.kavkaz-uzel.eu/articles/7001/" });
  });

  it("reports a truncated, badly nested document as malformed, naming the parser's complaint", () => {
    const result = parseFeedDocument(feedFixture("malformed.xml"));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.reason).toBe("malformed");
    expect(result.message).toMatch(/^malformed XML: \S/);
  });

  it.each([
    ["an HTML page", "<!doctype html><html><body>Moved</body></html>"],
    ["plain text", "Service temporarily unavailable"],
    ["a JSON Feed", '{"version":"https://jsonfeed.org/version/1.1","title":"x","items":[]}'],
  ])("says %s is not a feed", (_what, body) => {
    expect(parseFeedDocument(body)).toMatchObject({ ok: false, reason: "not-a-feed" });
  });

  it("gives an empty list for a channel without items", () => {
    expect(itemsOf(feedFixture("rss-empty.xml"))).toEqual([]);
  });
});
