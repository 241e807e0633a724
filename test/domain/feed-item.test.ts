import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { BODY_MAX, validateArticle } from "../../src/domain/article.ts";
import type { CatalogEntry } from "../../src/domain/catalog.ts";
import { type FeedItem, parseFeedDocument } from "../../src/domain/feed-document.ts";
import {
  containsPhrase,
  type FeedForMapping,
  feedItemId,
  feedItemSeenKey,
  htmlToText,
  mapFeedItem,
  parseFeedDate,
} from "../../src/domain/feed-item.ts";
import { defaultCatalog } from "../../src/store/catalog-seed.ts";
import { cpuMs } from "../support/cpu-time.ts";
import { feedFixture } from "../support/feed-server.ts";

const now = DateTime.fromISO("2025-11-27T12:00:00Z", { zone: "utc" });
const catalog: CatalogEntry[] = [
  ...defaultCatalog(),
  { slug: "old-region", kind: "region", nameRu: "Старый", nameEn: "Old", state: "archived" },
];
const feed: FeedForMapping = {
  id: "kavkaz-ru",
  url: "https://www.kavkaz-uzel.eu/rss/main.xml",
  edition: "ru",
  categories: new Map([
    ["чечня", ["chechnya"]],
    ["суды", ["courts"]],
    ["архив", ["old-region"]],
    ["unknown", ["atlantis"]],
  ]),
  keywords: new Map([
    ["кадыров", ["chechnya"]],
    ["human rights", ["human-rights"]],
  ]),
};

function item(overrides: Partial<FeedItem> = {}): FeedItem {
  return {
    guid: "ku-1",
    link: "https://www.kavkaz-uzel.eu/articles/1/",
    title: "Заголовок",
    summary: "Анонс",
    categories: ["Чечня"],
    published: "Thu, 27 Nov 2025 10:00:00 +0300",
    ...overrides,
  };
}

function article(overrides: Partial<FeedItem> = {}) {
  const mapped = mapFeedItem(item(overrides), feed, catalog, now);
  if (mapped.kind !== "article") throw new Error(`${mapped.kind}: ${mapped.why}`);
  return mapped.input;
}

function why(overrides: Partial<FeedItem>) {
  const mapped = mapFeedItem(item(overrides), feed, catalog, now);
  return mapped.kind === "article" ? "article" : `${mapped.kind}: ${mapped.why}`;
}

describe("feed item → article", () => {
  it("builds an input publishArticle accepts: feed id and guid as id, the feed's edition, ISO date, not breaking", () => {
    const input = article();
    expect(input).toEqual({
      id: "kavkaz-ru:ku-1",
      url: "https://www.kavkaz-uzel.eu/articles/1/",
      headline: "Заголовок",
      teaser: "Анонс",
      topics: [],
      regions: ["chechnya"],
      lang: "ru",
      publishedAt: "2025-11-27T10:00:00.000+03:00",
      breaking: false,
    });
    expect(validateArticle(input, catalog, now).ok).toBe(true);
  });

  it("uses the feed id and the absolute link as the id when there is no guid", () => {
    expect(article({ guid: undefined, link: "/articles/9/" }).id).toBe(
      "kavkaz-ru:https://www.kavkaz-uzel.eu/articles/9/",
    );
  });

  it("gives the same guid in two feeds two ids, neither of them the bare guid an API article could have", () => {
    const other = { ...feed, id: "kavkaz-en" };
    const here = mapFeedItem(item({ guid: "1" }), feed, catalog, now);
    const there = mapFeedItem(item({ guid: "1" }), other, catalog, now);
    expect(here.kind === "article" && here.input.id).toBe("kavkaz-ru:1");
    expect(there.kind === "article" && there.input.id).toBe("kavkaz-en:1");
  });

  it("resolves relative links against the feed URL", () => {
    expect(article({ link: "../articles/2/?a=1" }).url).toBe("https://www.kavkaz-uzel.eu/articles/2/?a=1");
    expect(article({ link: "//eng.kavkaz-uzel.eu/x" }).url).toBe("https://eng.kavkaz-uzel.eu/x");
  });

  it("takes a permalink guid as the link when there is none, but not a guid marked isPermaLink=false", () => {
    expect(article({ link: undefined, guid: "https://www.kavkaz-uzel.eu/articles/5/" }).url).toBe(
      "https://www.kavkaz-uzel.eu/articles/5/",
    );
    expect(why({ link: undefined, guid: "ku-5", guidIsPermaLink: false })).toBe("invalid: has no link");
  });

  it.each([
    ["javascript:", "javascript:alert(document.cookie)"],
    ["data:", "data:text/html;base64,PHNjcmlwdD4="],
    ["mailto:", "mailto:editor@example.org"],
    ["file:", "file:///etc/passwd"],
    ["ftp:", "ftp://example.org/x"],
  ])("rejects a %s link as invalid, quoting it", (_scheme, link) => {
    expect(why({ link })).toMatch(/^invalid: link is not an http\(s\) URL: /);
    expect(why({ link })).toContain(link.slice(0, 20));
  });

  it("rejects an item with neither guid nor link, and one with an empty title", () => {
    expect(why({ guid: undefined, link: undefined })).toBe("invalid: has neither guid nor link");
    expect(why({ title: " <b> </b> " })).toBe("invalid: has no title");
  });

  it("strips HTML from the headline and decodes every entity once, keeping escaped markup as text", () => {
    expect(article({ title: "<b>Суд</b> в&nbsp;Грозном &amp; &laquo;приговор&raquo;" }).headline).toBe(
      "Суд в Грозном & «приговор»",
    );
    expect(article({ title: "Теги &lt;b&gt; в тексте" }).headline).toBe("Теги <b> в тексте");
  });

  it("cuts an overlong headline at a word to the article limit", () => {
    const headline = article({ title: "слово ".repeat(100) }).headline;
    expect(headline.length).toBeLessThanOrEqual(300);
    expect(headline.endsWith("слово…")).toBe(true);
  });

  it("makes the teaser from the description without scripts, styles or comments, paragraphs apart, <br> a line break", () => {
    const summary =
      '<p>Первый&nbsp;абзац.</p><script>alert("x")</script><style>p{}</style><!-- note --><p>Второй   <a href="/x">абзац</a>.</p>';
    expect(article({ summary }).teaser).toBe("Первый абзац.\n\nВторой абзац.");
    expect(article({ summary: "строка<br/>строка<br>\n\n\n\nещё" }).teaser).toBe("строка\nстрока\n\nещё");
  });

  it("falls back to the content for the teaser when there is no summary", () => {
    expect(article({ summary: undefined, content: "<div>Полный <i>текст</i></div>" }).teaser).toBe(
      "Полный текст",
    );
    expect(article({ summary: "<p> </p>", content: undefined }).teaser).toBe("");
  });

  it("maps categories case-insensitively and keywords on word boundaries, split into topics and regions", () => {
    expect(article({ categories: ["  СУДЫ ", "чечня"] })).toMatchObject({
      topics: ["courts"],
      regions: ["chechnya"],
    });
    expect(article({ categories: [], title: "Указ Кадыров подписал" }).regions).toEqual(["chechnya"]);
    expect(article({ categories: [], title: "Report on Human  Rights" }).topics).toEqual(["human-rights"]);
  });

  it("does not match a keyword inside a longer word", () => {
    expect(why({ categories: [], title: "Кадыровцы на марше" })).toMatch(/^unmapped: /);
    expect(containsPhrase("Кадыровцы", "кадыров")).toBe(false);
    expect(containsPhrase("«Кадыров»,", "кадыров")).toBe(true);
    expect(containsPhrase("a.b c", "a.b")).toBe(true);
    expect(containsPhrase("axb c", "a.b")).toBe(false);
  });

  it("calls an item with no matching category or keyword unmapped, naming its categories", () => {
    expect(mapFeedItem(item({ categories: ["Спорт"] }), feed, catalog, now)).toEqual({
      kind: "unmapped",
      id: "kavkaz-ru:ku-1",
      why: 'no category or keyword matched (categories: "Спорт")',
    });
  });

  it("drops unknown and archived slugs, and calls the item unmapped if nothing else is left", () => {
    expect(why({ categories: ["Архив", "Unknown"] })).toBe(
      "unmapped: its slugs are unknown or archived: old-region, atlantis",
    );
    expect(article({ categories: ["Архив", "Чечня"] }).regions).toEqual(["chechnya"]);
  });

  it("reads Atom's ISO dates, falls back to updated, and leaves a bad or far-future date out", () => {
    expect(article({ published: "2025-11-27T09:15:00+03:00" }).publishedAt).toBe(
      "2025-11-27T09:15:00.000+03:00",
    );
    expect(article({ published: undefined, updated: "2025-11-26T08:00:00Z" }).publishedAt).toBe(
      "2025-11-26T08:00:00.000Z",
    );
    expect(article({ published: "yesterday" }).publishedAt).toBeUndefined();
    expect(article({ published: "2026-01-01T00:00:00Z" }).publishedAt).toBeUndefined();
  });

  it("parses RFC 822 dates with a zone name and HTTP dates", () => {
    expect(parseFeedDate("Thu, 27 Nov 2025 10:00:00 GMT")?.toISO()).toBe("2025-11-27T10:00:00.000Z");
    expect(parseFeedDate("27 Nov 2025 10:00 +0300")?.toUTC().toISO()).toBe("2025-11-27T07:00:00.000Z");
    expect(parseFeedDate("")).toBeUndefined();
  });

  it("replaces a guid that would make the id too long for an article by a stable hash, still under the feed's id", () => {
    const guid = `urn:x:${"y".repeat(250)}`;
    const id = feedItemId(item({ guid }), feed);
    expect(id).toMatch(/^kavkaz-ru:sha256-[0-9a-f]{64}$/);
    expect(feedItemId(item({ guid }), feed)).toBe(id);
    expect(feedItemId(item({ guid }), { ...feed, id: "other" })).toBe(id?.replace("kavkaz-ru:", "other:"));
    expect(validateArticle(article({ guid }), catalog, now).ok).toBe(true);
    const fits = "g".repeat(256 - "kavkaz-ru:".length);
    expect(feedItemId(item({ guid: fits }), feed)).toBe(`kavkaz-ru:${fits}`);
    expect(feedItemId(item({ guid: `${fits}g` }), feed)).toMatch(/^kavkaz-ru:sha256-/);
  });

  it("gives items without guid or link a seen key from their text, so each is remembered", () => {
    const a = feedItemSeenKey(item({ guid: undefined, link: undefined, title: "A" }), feed.url);
    const b = feedItemSeenKey(item({ guid: undefined, link: undefined, title: "B" }), feed.url);
    expect(a).toMatch(/^text-[0-9a-f]{64}$/);
    expect(a).not.toBe(b);
    expect(feedItemSeenKey(item(), feed.url)).toBe("ku-1");
  });

  it("keeps remembering items by their bare guid or link, so an upgrade does not take every listed item for new", () => {
    expect(feedItemSeenKey(item({ guid: "ku-7" }), feed.url)).toBe("ku-7");
    expect(feedItemSeenKey(item({ guid: undefined, link: "/articles/9/" }), feed.url)).toBe(
      "https://www.kavkaz-uzel.eu/articles/9/",
    );
    expect(feedItemSeenKey(item({ guid: "z".repeat(257) }), feed.url)).toMatch(/^sha256-[0-9a-f]{64}$/);
  });

  it.each(["constructor", "__proto__", "toString", "hasOwnProperty", "valueOf"])(
    "treats a category named %s as an ordinary category that maps to nothing",
    (category) => {
      expect(why({ categories: [category] })).toBe(
        `unmapped: no category or keyword matched (categories: "${category}")`,
      );
      expect(article({ categories: [category, "Чечня"] }).regions).toEqual(["chechnya"]);
    },
  );

  it("maps a category named constructor when the feed maps it", () => {
    const mapsIt = { ...feed, categories: new Map([["constructor", ["courts"]]]) };
    const mapped = mapFeedItem(item({ categories: ["Constructor"] }), mapsIt, catalog, now);
    expect(mapped.kind === "article" && mapped.input.topics).toEqual(["courts"]);
  });

  it("refuses a link with a user name or password, which shows readers one host and opens another", () => {
    expect(why({ link: "https://www.kavkaz-uzel.eu@evil.example/x" })).toBe(
      "invalid: link has a user name or password",
    );
  });
});

describe("feed item pictures → imageUrl", () => {
  /** The fixture's items as articles, by guid. */
  function pictures(): Map<string, string | undefined> {
    const parsed = parseFeedDocument(feedFixture("rss-pictures.xml"));
    if (!parsed.ok) throw new Error(parsed.message);
    return new Map(
      parsed.items.map((i) => {
        const mapped = mapFeedItem(i, feed, catalog, now);
        if (mapped.kind !== "article") throw new Error(`${mapped.kind}: ${mapped.why}`);
        return [i.guid ?? "", mapped.input.imageUrl];
      }),
    );
  }

  it("takes an image enclosure, passing over audio and before a thumbnail", () => {
    expect(pictures().get("ku-4001")).toBe("https://www.kavkaz-uzel.eu/media/4001.jpg");
  });

  it("takes the widest media:content image, by medium or type, never a video", () => {
    expect(pictures().get("ku-4002")).toBe("https://www.kavkaz-uzel.eu/media/4002-1280.webp");
  });

  it("takes a media:thumbnail inside a media:group, resolved against the feed's address", () => {
    expect(pictures().get("ku-4003")).toBe("https://www.kavkaz-uzel.eu/media/4003.png");
  });

  it("sends an item whose only picture is plain http, and one with none, without a picture", () => {
    expect(pictures().get("ku-4004")).toBeUndefined();
    expect(pictures().get("ku-4005")).toBeUndefined();
    expect(pictures().has("ku-4005")).toBe(true);
  });

  it("falls back to the next picture when the first is not one an article takes", () => {
    const input = article({
      images: ["http://x.example/1.jpg", "https://user:pw@x.example/2.jpg", "https://x.example/3.jpg"],
    });
    expect(input.imageUrl).toBe("https://x.example/3.jpg");
    expect(validateArticle(input, catalog, now).ok).toBe(true);
  });
});

describe("feed item full text → body", () => {
  // The fixtures' other categories too, so every item is an article.
  const fixtureFeed: FeedForMapping = {
    ...feed,
    categories: new Map([
      ...feed.categories,
      ["дагестан", ["dagestan"]],
      ["courts", ["courts"]],
      ["protests", ["protests"]],
    ]),
  };

  /** The fixture's items as article inputs, by guid. */
  function inputs(fixture: string) {
    const parsed = parseFeedDocument(feedFixture(fixture));
    if (!parsed.ok) throw new Error(parsed.message);
    return new Map(
      parsed.items.map((i) => {
        const mapped = mapFeedItem(i, fixtureFeed, catalog, now);
        if (mapped.kind !== "article") throw new Error(`${mapped.kind}: ${mapped.why}`);
        return [i.guid ?? "", mapped.input];
      }),
    );
  }

  it("gives an RSS item's content:encoded to its article as the body, raw HTML for the cleaning that comes later", () => {
    const input = article({ body: '<p>Полный <b>текст</b>.</p><script>alert("x")</script>' });
    expect(input.body).toBe('<p>Полный <b>текст</b>.</p><script>alert("x")</script>');
    expect(input.teaser).toBe("Анонс");
    expect(inputs("rss-yandex.xml").get("ku-5003")?.body).toBe(
      '<p>Итоги подведены, <a href="https://www.kavkaz-uzel.eu/">подробности</a>.</p>',
    );
  });

  it("gives an Atom entry's html content to its article as the body", () => {
    expect(inputs("atom.xml").get("urn:kavkaz-uzel:en:3001")?.body).toBe("<p>Full text.</p>");
  });

  it("gives a Yandex RSS item's yandex:full-text to its article as the body", () => {
    const yandex = inputs("rss-yandex.xml");
    expect(yandex.get("ku-5001")).toMatchObject({
      headline: "Суд в Нальчике",
      teaser: "Суд вынес приговор.",
      body: "<p>Суд <b>вынес</b> приговор.</p>\n<p>Защита &laquo;обжалует&raquo; его.</p>",
    });
    expect(yandex.get("ku-5002")?.body).toBe("<p>Жители <i>вышли</i> на площадь &amp; остались.</p>");
    expect(yandex.get("ku-5004")).not.toHaveProperty("body");
  });

  it("publishes an item whose full text is over 200,000 characters without it, keeping headline, teaser and url, and says so", () => {
    const body = `<p>${"слово ".repeat(40_000)}</p>`;
    expect(body.length).toBeGreaterThan(BODY_MAX);
    const mapped = mapFeedItem(item({ body }), feed, catalog, now);
    expect(mapped).toEqual({
      kind: "article",
      input: {
        id: "kavkaz-ru:ku-1",
        url: "https://www.kavkaz-uzel.eu/articles/1/",
        headline: "Заголовок",
        teaser: "Анонс",
        topics: [],
        regions: ["chechnya"],
        lang: "ru",
        publishedAt: "2025-11-27T10:00:00.000+03:00",
        breaking: false,
      },
      leftOut: [
        { field: "body", why: `body is ${body.length} characters, more than the 200000 an article may have` },
      ],
    });
  });

  it("keeps a full text of exactly 200,000 characters", () => {
    const body = "x".repeat(BODY_MAX);
    const mapped = mapFeedItem(item({ body }), feed, catalog, now);
    expect(mapped.kind === "article" && mapped.input.body).toBe(body);
    expect(mapped).not.toHaveProperty("leftOut");
  });

  it("gives an article no body for an empty or blank full text, and reports nothing left out", () => {
    for (const body of ["", "  \n\t "]) {
      const mapped = mapFeedItem(item({ body }), feed, catalog, now);
      expect(mapped.kind === "article" && mapped.input).not.toHaveProperty("body");
      expect(mapped).not.toHaveProperty("leftOut");
    }
  });
});

describe("feed HTML to text", () => {
  it("stays linear on many unclosed scripts and comments", () => {
    const hostile = "<script>".repeat(20_000) + "<!--".repeat(20_000);
    let text = "";
    const spent = cpuMs(() => {
      text = htmlToText(`visible ${hostile}`);
    });
    expect(text).toBe("visible");
    expect(spent).toBeLessThan(200);
  });

  it("keeps a lone < that starts no tag", () => {
    expect(htmlToText("a < b and c<d")).toBe("a < b and c<d");
  });
});
