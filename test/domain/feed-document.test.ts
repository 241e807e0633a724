import { describe, expect, it } from "vitest";
import { parseFeedDocument } from "../../src/domain/feed-document.ts";
import { declaresEntities } from "../../src/domain/feed-entities.ts";
import { cpuMs } from "../support/cpu-time.ts";
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
      body: "<p>Full text.</p>",
      categories: ["Courts", "Kabardino-Balkaria"],
      published: "2025-11-27T09:15:00+03:00",
      updated: "2025-11-27T10:00:00Z",
    });
    expect(second?.link).toBe("https://eng.kavkaz-uzel.eu/articles/3002/");
    expect(second?.summary).toBeUndefined();
  });

  it("refuses a billion-laughs document before parsing, at once and without expanding anything", () => {
    let result: ReturnType<typeof parseFeedDocument> | undefined;
    const spent = cpuMs(() => {
      result = parseFeedDocument(feedFixture("billion-laughs.xml"));
    });
    expect(result).toEqual({
      ok: false,
      reason: "refused",
      message: "refused: the document declares entities (DOCTYPE internal subset)",
    });
    expect(spent).toBeLessThan(50);
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
    expect(cpuMs(() => declaresEntities(hostile))).toBeLessThan(500);
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

/** An RSS 2.0 document with these namespaces declared and these items. */
function rssWith(namespaces: string, items: string): string {
  return feedFixture("rss-empty.xml")
    .replace('<rss version="2.0">', `<rss version="2.0" ${namespaces}>`)
    .replace("</channel>", `${items}</channel>`);
}

const CONTENT_NS = 'xmlns:content="http://purl.org/rss/1.0/modules/content/"';
const YANDEX_NS = 'xmlns:yandex="http://news.yandex.ru"';

function rssItem(guid: string, inside = ""): string {
  return `<item><title>Item ${guid}</title><link>https://www.kavkaz-uzel.eu/articles/${guid}/</link><guid isPermaLink="false">${guid}</guid>${inside}</item>`;
}

describe("the full text of feed items → body", () => {
  it("gives an RSS item its content:encoded as the body, HTML as the feed wrote it", () => {
    const [item] = itemsOf(
      rssWith(
        CONTENT_NS,
        rssItem(
          "ku-6001",
          "<description>Анонс.</description><content:encoded><![CDATA[<p>Полный <b>текст</b>.</p><script>x()</script>]]></content:encoded>",
        ),
      ),
    );
    expect(item?.body).toBe("<p>Полный <b>текст</b>.</p><script>x()</script>");
    expect(item?.summary).toBe("Анонс.");
  });

  it('gives an Atom entry its <content type="html"> as the body', () => {
    const [first, second] = itemsOf(feedFixture("atom.xml"));
    expect(first?.body).toBe("<p>Full text.</p>");
    expect(second?.body).toBe("<div>Content <i>used</i> as the teaser.</div>");
  });

  it("gives an Atom entry's xhtml content as markup, its text content escaped, and content by src none", () => {
    const atom = (content: string) =>
      itemsOf(
        feedFixture("atom.xml").replace(
          '<content type="html"><![CDATA[<p>Full text.</p>]]></content>',
          content,
        ),
      )[0]?.body;
    expect(
      atom(
        '<content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Full <b>text</b>.</p></div></content>',
      ),
    ).toBe("<p>Full <b>text</b>.</p>");
    expect(atom("<content>a &lt; b &amp; c</content>")).toBe("a &lt; b &amp; c");
    expect(atom('<content type="text">Plain <b>not bold</b></content>')).toBe(
      "Plain &lt;b&gt;not bold&lt;/b&gt;",
    );
    expect(atom('<content type="video/mp4" src="https://x.example/v.mp4"/>')).toBeUndefined();
  });

  it("gives a Yandex RSS item its yandex:full-text as the body, entities decoded once and CDATA verbatim", () => {
    const items = new Map(itemsOf(feedFixture("rss-yandex.xml")).map((i) => [i.guid, i]));
    expect(items.get("ku-5001")?.body).toBe(
      "<p>Суд <b>вынес</b> приговор.</p>\n<p>Защита &laquo;обжалует&raquo; его.</p>",
    );
    // The comment after the CDATA section is the feed's markup, not the article's text.
    expect(items.get("ku-5002")?.body).toBe("<p>Жители <i>вышли</i> на площадь &amp; остались.</p>");
    expect(items.get("ku-5002")?.summary).toBe("Жители вышли на площадь.");
  });

  it("prefers content:encoded to yandex:full-text, and gives a blank full text no body", () => {
    const items = new Map(itemsOf(feedFixture("rss-yandex.xml")).map((i) => [i.guid, i]));
    expect(items.get("ku-5003")?.body).toBe(
      '<p>Итоги подведены, <a href="https://www.kavkaz-uzel.eu/">подробности</a>.</p>',
    );
    expect(items.get("ku-5004")).not.toHaveProperty("body");
  });

  it("reads a full text as XML means it: a comment inside CDATA is text, one outside is not", () => {
    const [item] = itemsOf(
      rssWith(
        YANDEX_NS,
        rssItem(
          "ku-6003",
          "<yandex:full-text>&lt;p&gt;<![CDATA[a <!-- b --> &amp;]]><!-- note -->c&amp;d&lt;/p&gt;</yandex:full-text>",
        ),
      ),
    );
    expect(item?.body).toBe("<p>a <!-- b --> &amp;c&d</p>");
  });

  it("reads full texts of many CDATA sections, or many comments, in one pass", () => {
    const cdata = "<![CDATA[x]]>".repeat(40_000);
    const comments = `x${"<!--y-->".repeat(60_000)}`;
    const document = rssWith(
      YANDEX_NS,
      rssItem("a", `<yandex:full-text>${cdata}</yandex:full-text>`) +
        rssItem("b", `<yandex:full-text>${comments}</yandex:full-text>`),
    );
    let items: ReturnType<typeof itemsOf> = [];
    expect(
      cpuMs(() => {
        items = itemsOf(document);
      }),
    ).toBeLessThan(1000);
    const [a, b] = items;
    expect(a?.body).toBe("x".repeat(40_000));
    expect(b?.body).toBe("x");
  });

  it("reads yandex:full-text under whatever prefix the document binds to Yandex's namespace", () => {
    const [item] = itemsOf(
      rssWith(
        'xmlns:ya="http://news.yandex.ru"',
        rssItem("ku-6002", "<ya:full-text>&lt;p&gt;Текст&lt;/p&gt;</ya:full-text>"),
      ),
    );
    expect(item?.body).toBe("<p>Текст</p>");
  });

  it("keeps each full text with its own item when a description holds raw, unclosed HTML", () => {
    const items = itemsOf(
      rssWith(
        YANDEX_NS,
        rssItem(
          "a",
          "<description><p>Строка<br>строка</p></description><yandex:full-text>A</yandex:full-text>",
        ) + rssItem("b", "<yandex:full-text>B</yandex:full-text>"),
      ),
    );
    expect(items.map((i) => [i.guid, i.body])).toEqual([
      ["a", "A"],
      ["b", "B"],
    ]);
  });

  it("gives no item a full text when an item feedsmith leaves out would shift them onto the wrong items", () => {
    const items = itemsOf(
      rssWith(
        YANDEX_NS,
        `<item><unknown>nothing feedsmith reads</unknown><yandex:full-text>Lost</yandex:full-text></item>${rssItem("a", "<yandex:full-text>A</yandex:full-text>")}`,
      ),
    );
    expect(items.map((i) => i.guid)).toEqual(["a"]);
    expect(items[0]).not.toHaveProperty("body");
  });
});
