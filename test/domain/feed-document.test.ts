import { describe, expect, it } from "vitest";
import { declaresEntities, parseFeedDocument } from "../../src/domain/feed-document.ts";
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

  it("reads an item whose CDATA quotes an entity declaration and a DOCTYPE: an article about XML", () => {
    const quoting = feedFixture("rss-empty.xml").replace(
      "</channel>",
      `<item><title>How XML entities work</title><link>https://www.kavkaz-uzel.eu/articles/8001/</link>
      <description><![CDATA[<p>A document may say <code><!DOCTYPE x [ <!ENTITY lol "lol"> ]></code>.</p>]]></description>
      <!-- an editor's note: <!ENTITY in a comment is text too -->
      </item></channel>`,
    );
    const [item] = itemsOf(quoting);
    expect(item?.title).toBe("How XML entities work");
    expect(item?.summary).toContain('<!ENTITY lol "lol">');
  });

  it("refuses a DOCTYPE internal subset behind a comment and a quoted system id that holds > and [", () => {
    const behindComment = feedFixture("xxe.xml").replace("<!DOCTYPE", "<!-- <rss> --><!DOCTYPE");
    expect(parseFeedDocument(behindComment)).toMatchObject({ ok: false, reason: "refused" });
    const quoted = feedFixture("rss-empty.xml").replace(
      "<rss",
      '<!DOCTYPE rss SYSTEM "http://x/a>b[c.dtd" [ <!ATTLIST rss version CDATA "2.0"> ]><rss',
    );
    expect(parseFeedDocument(quoted)).toMatchObject({ ok: false, reason: "refused" });
  });

  it("refuses an entity declaration after an unclosed CDATA section", () => {
    const unclosed = feedFixture("rss-empty.xml").replace("<rss", '<![CDATA[ x <!ENTITY x "y"><rss');
    expect(parseFeedDocument(unclosed)).toMatchObject({ ok: false, reason: "refused" });
  });

  it.each([
    ["comments and CDATA sections", "<![CDATA[<!x]]><!-- <! -->"],
    ["unclosed comments", "<!--"],
    ["DOCTYPEs left open", "<!DOCTYPE a "],
    ["DOCTYPEs with quoted ids", '<!DOCTYPE a SYSTEM "x">'],
    ["bare <!", "<!x "],
  ])("checks 5 MB of %s in one pass", (_what, unit) => {
    const hostile = `<rss>${unit.repeat(Math.floor(5_000_000 / unit.length))}</rss>`;
    const started = performance.now();
    declaresEntities(hostile);
    expect(performance.now() - started).toBeLessThan(500);
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
