import { describe, expect, it } from "vitest";
import { parseHtml } from "../../src/bench/fake-bot-api/html-entities.ts";
import { cleanArticleBody, nestingDepth } from "../../src/domain/article-text.ts";

const base = { baseUrl: "https://www.kavkaz-uzel.eu/articles/1/" };
const clean = (html: string, opts = {}) => cleanArticleBody(html, { ...base, ...opts });

describe("cleaning an article's body to Telegram's HTML", () => {
  it("keeps paragraphs, line breaks, bold, italic, underline, strike, code, pre and blockquote", () => {
    const out = clean(
      "<p>One <strong>b</strong> <em>i</em> <u>u</u> <del>s</del> <code>c</code></p><p>Two<br>lines</p><blockquote>q</blockquote><pre>  a\n  b</pre>",
    );
    expect(out).toBe(
      "One <b>b</b> <i>i</i> <u>u</u> <s>s</s> <code>c</code>\n\nTwo\nlines\n\n<blockquote>q</blockquote>\n\n<pre>  a\n  b</pre>",
    );
    parseHtml(out);
  });

  it("keeps code and pre as plain text inside, and a quote inside a quote as its paragraph, as Telegram takes them", () => {
    const out = clean(
      "<pre><b>bold</b> <a href='https://x.org/'>link</a></pre><p><code><i>i</i> x</code></p><blockquote>a<blockquote>b</blockquote></blockquote>",
    );
    expect(out).toBe("<pre>bold link</pre>\n\n<code>i x</code>\n\n<blockquote>a\n\nb</blockquote>");
    parseHtml(out);
  });

  it("puts the line breaks of blocks outside the quote or bold around them, and keeps the spaces of inline markup", () => {
    expect(clean("<blockquote><p>one</p><p>two</p></blockquote><p><b>bold </b>text <i> it</i></p>")).toBe(
      "<blockquote>one\n\ntwo</blockquote>\n\n<b>bold </b>text <i>it</i>",
    );
  });

  it("makes list items bullet lines and headings bold lines", () => {
    expect(clean("<h2>Главное</h2><ul><li>один</li><li>два</li></ul><ol><li>три</li></ol>")).toBe(
      "<b>Главное</b>\n\n• один\n• два\n\n• три",
    );
  });

  it("turns a picture into a link to it, but not the lead picture", () => {
    const out = clean(
      '<img src="/media/a.jpg" alt="Митинг"><img src="https://x.org/lead.jpg"><img src="/b.png">',
      {
        leadImageUrl: "https://x.org/lead.jpg",
      },
    );
    expect(out).toBe(
      '<a href="https://www.kavkaz-uzel.eu/media/a.jpg">🖼 Митинг</a>\n<a href="https://www.kavkaz-uzel.eu/b.png">🖼</a>',
    );
  });

  it("drops scripts, styles, iframes, forms, comments and event attributes, keeping the text around them", () => {
    const out = clean(
      '<p onclick="steal()" style="color:red">До<script>alert(1)</script><style>p{}</style><iframe src="https://evil/">x</iframe><form><input name=a><button>Go</button></form><!-- note -->после</p><marquee>бегущая</marquee>',
    );
    // A form closes the paragraph it opens in, as in every browser.
    expect(out).toBe("До\n\nпосле\n\nбегущая");
  });

  it("keeps only http and https links, made absolute against the article; javascript: and data: links lose their address", () => {
    const out = clean(
      '<a href="javascript:alert(1)">js</a> <a href="data:text/html,x">data</a> <a href="/a?x=1&y=2">rel</a> <a href="HTTPS://Example.org">abs</a> <a href="//evil.org/">proto</a> <a>bare</a>',
    );
    expect(out).toBe(
      'js data <a href="https://www.kavkaz-uzel.eu/a?x=1&amp;y=2">rel</a> <a href="https://example.org/">abs</a> proto bare',
    );
  });

  it("decodes entities and escapes only what Telegram's HTML needs", () => {
    expect(clean("<p>&laquo;Цитата&raquo; &amp; &lt;тег&gt; &#8212; &nbsp;конец</p>")).toBe(
      "«Цитата» &amp; &lt;тег&gt; — конец",
    );
  });

  it("closes unclosed tags and ignores stray closing ones", () => {
    const out = clean("<p>open <b>bold <i>both</p></i></b></span>text");
    expect(() => parseHtml(out)).not.toThrow();
    expect(parseHtml(out).text).toBe("open bold both\n\ntext");
  });

  it("reads a body nested thousands of tags deep as plain text, which the parser takes in one pass", () => {
    const hostile = `${"<b>".repeat(50_000)}${"x".repeat(100)}`;
    expect(nestingDepth(hostile)).toBe(50_000);
    expect(nestingDepth("<p>a<br><img src=x><b>b</b></p><p>c</p>")).toBe(2);
    expect(clean(hostile)).toBe("x".repeat(100));
  });

  it("is empty for a body with nothing to read", () => {
    expect(clean("<script>x</script><p> </p><img src='javascript:x'>")).toBe("");
  });
});
