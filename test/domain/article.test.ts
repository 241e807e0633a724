import { readFileSync } from "node:fs";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { HEADLINE_MAX, TEASER_MAX, validateArticle } from "../../src/domain/article.ts";
import { parseCatalogCsv } from "../../src/domain/catalog.ts";

const catalog = parseCatalogCsv(readFileSync(new URL("../../data/catalog.csv", import.meta.url), "utf8")).map(
  (e) => (e.slug === "peacekeeping" ? { ...e, state: "archived" as const } : e),
);
const now = DateTime.fromISO("2026-11-27T12:00:00Z", { setZone: true });
const good = {
  id: "kavkaz-uzel-405210",
  url: "https://www.kavkaz-uzel.eu/articles/405210/",
  headline: "Aliev's words about Turkish peacemakers contradict Kremlin's position",
  teaser: "The statement by the President of Azerbaijan…",
  topics: ["armed-conflicts"],
  regions: ["karabakh", "azerbaijan"],
  lang: "en",
  publishedAt: "2020-11-10T13:44:00+03:00",
};
const errorsOf = (input: unknown) => {
  const check = validateArticle(input, catalog, now);
  return check.ok ? [] : check.errors.map((e) => `${e.field}: ${e.message}`);
};

describe("article validation", () => {
  it("accepts a well-formed article and keeps its offset", () => {
    const check = validateArticle(good, catalog, now);
    expect(check.ok && check.article).toMatchObject({
      id: "kavkaz-uzel-405210",
      breaking: false,
      publishedAt: "2020-11-10T13:44:00.000+03:00",
    });
  });

  it("defaults the publication time to now and the teaser to empty", () => {
    const check = validateArticle({ ...good, publishedAt: undefined, teaser: undefined }, catalog, now);
    expect(check.ok && check.article.publishedAt).toBe("2026-11-27T12:00:00.000Z");
    expect(check.ok && check.article.teaser).toBe("");
  });

  it("puts the headline on one line so the label stays right under it", () => {
    const check = validateArticle({ ...good, headline: "  Line one\n\nline   two " }, catalog, now);
    expect(check.ok && check.article.headline).toBe("Line one line two");
  });

  it("names every bad field at once", () => {
    expect(
      errorsOf({
        ...good,
        url: "javascript:alert(1)",
        headline: "   ",
        lang: "de",
        topics: ["nope"],
        regions: ["ecology"],
      }),
    ).toEqual([
      "url: must be an http(s) URL",
      "headline: must not be empty",
      'topics: unknown topic "nope"',
      'regions: "ecology" is a topic, not a region',
      "lang: must be ru or en",
    ]);
    expect(errorsOf({ ...good, topics: ["nope", "peacekeeping"], regions: ["ecology"] })).toEqual([
      'topics: unknown topic "nope"',
      'topics: topic "peacekeeping" is archived',
      'regions: "ecology" is a topic, not a region',
    ]);
  });

  it("enforces the caps on headline, teaser and id", () => {
    expect(errorsOf({ ...good, headline: "h".repeat(HEADLINE_MAX) })).toEqual([]);
    expect(errorsOf({ ...good, headline: "h".repeat(HEADLINE_MAX + 1) })).toEqual([
      "headline: must be at most 300 characters",
    ]);
    expect(errorsOf({ ...good, teaser: "t".repeat(TEASER_MAX) })).toEqual([]);
    expect(errorsOf({ ...good, teaser: "t".repeat(TEASER_MAX + 1) })).toEqual([
      "teaser: must be at most 32768 characters",
    ]);
    expect(errorsOf({ ...good, id: "" })).toEqual(["id: must not be empty"]);
  });

  it("refuses an article that reaches nobody, a bad date and non-objects", () => {
    expect(errorsOf({ ...good, topics: [], regions: [] })).toEqual([
      "topics: an article needs at least one topic or region",
    ]);
    expect(errorsOf({ ...good, publishedAt: "yesterday" })).toEqual([
      "publishedAt: must be an ISO 8601 date-time",
    ]);
    expect(errorsOf([])).toEqual(["article: must be a JSON object"]);
    expect(errorsOf(null)).toEqual(["article: must be a JSON object"]);
    expect(errorsOf({})).toContain("headline: is required");
  });

  it("reports a bad url, an unknown region and a bad date together, whatever else is wrong", () => {
    expect(
      errorsOf({ ...good, url: "javascript:alert(1)", regions: ["atlantis"], publishedAt: "yesterday" }),
    ).toEqual([
      "url: must be an http(s) URL",
      'regions: unknown region "atlantis"',
      "publishedAt: must be an ISO 8601 date-time",
    ]);
    expect(
      errorsOf({ ...good, headline: 5, topics: "courts", regions: [], publishedAt: "2020-13-01" }),
    ).toEqual([
      "headline: must be text",
      "topics: must be a list of slugs",
      "publishedAt: must be an ISO 8601 date-time",
    ]);
  });

  it("says a missing field is required and a field of the wrong type must be text", () => {
    const { id: _id, url: _url, headline: _headline, lang: _lang, ...rest } = good;
    expect(errorsOf(rest)).toEqual([
      "id: is required",
      "url: is required",
      "headline: is required",
      "lang: is required",
    ]);
    expect(errorsOf({ ...good, id: true, url: 5, headline: 5, teaser: ["x"], lang: 1 })).toEqual([
      "id: must be text or a whole number",
      "url: must be text",
      "headline: must be text",
      "teaser: must be text",
      "lang: must be ru or en",
    ]);
    expect(errorsOf({ ...good, topics: [1] })).toEqual(["topics: must be a list of slugs"]);
  });

  it("does not take a field an article lacks from Object's prototype", () => {
    expect(errorsOf(JSON.parse('{"constructor": "x"}'))).toContain("headline: is required");
    const bare = Object.create({ headline: "Inherited", lang: "en" }) as object;
    expect(errorsOf(Object.assign(bare, { ...good, headline: undefined, lang: undefined }))).toEqual([
      "headline: is required",
      "lang: is required",
    ]);
  });

  it("stores the link as the URL parser reads it: lower-case host, backslashes as slashes, spaces encoded", () => {
    const check = validateArticle(
      { ...good, url: "  HTTPS://WWW.Kavkaz-Uzel.EU\\articles\\1/?q=a%20b#top " },
      catalog,
      now,
    );
    expect(check.ok && check.article.url).toBe("https://www.kavkaz-uzel.eu/articles/1/?q=a%20b#top");
  });

  it.each([
    ["a tab", "https://www.kavkaz-uzel.eu/art\ticles/1/"],
    ["a newline", "https://www.kavkaz-uzel.eu/articles/1/\nSet-Cookie: x"],
    ["a space", "https://www.kavkaz-uzel.eu/articles 1/"],
    ["a NUL", "https://www.kavkaz-uzel.eu/\u0000articles/1/"],
    ["a right-to-left override", "https://www.kavkaz-uzel.eu/\u202earticles/1/"],
    ["a non-breaking space", "https://www.kavkaz-uzel.eu/\u00a0articles/1/"],
  ])("refuses a url with %s inside it, naming url", (_what, url) => {
    expect(errorsOf({ ...good, url })).toEqual([
      "url: must not contain spaces, line breaks or control characters",
    ]);
  });

  it.each([
    ["a user and password", "https://user:pass@www.kavkaz-uzel.eu/articles/1/"],
    ["a trusted-looking user name", "https://www.kavkaz-uzel.eu@evil.example/articles/1/"],
  ])("refuses a url with %s, naming url", (_what, url) => {
    expect(errorsOf({ ...good, url })).toEqual([
      "url: must not contain a user name or password (user:pass@)",
    ]);
  });

  it("stores a url with a backslash before an @ as the host it really opens", () => {
    const check = validateArticle(
      { ...good, url: "https://evil.example\\@www.kavkaz-uzel.eu/" },
      catalog,
      now,
    );
    expect(check.ok && check.article.url).toBe("https://evil.example/@www.kavkaz-uzel.eu/");
  });

  it("takes a publication time without an offset as UTC, not the server's zone", () => {
    const check = validateArticle({ ...good, publishedAt: "2026-11-27T09:30:00" }, catalog, now);
    expect(check.ok && check.article.publishedAt).toBe("2026-11-27T09:30:00.000Z");
  });

  it("accepts a publication time up to a day ahead and refuses one further ahead, saying why", () => {
    expect(errorsOf({ ...good, publishedAt: "2026-11-28T12:00:00Z" })).toEqual([]);
    expect(errorsOf({ ...good, publishedAt: "2026-11-28T15:00:00+03:00" })).toEqual([]);
    expect(errorsOf({ ...good, publishedAt: "2026-11-28T12:00:01Z" })).toEqual([
      "publishedAt: must not be more than a day in the future (check its offset)",
    ]);
  });

  it("accepts a numeric CMS id as its string", () => {
    const check = validateArticle({ ...good, id: 405210 }, catalog, now);
    expect(check.ok && check.article.id).toBe("405210");
  });

  describe("imageUrl", () => {
    const picture = "https://www.kavkaz-uzel.eu/media/405210.jpg";

    it("keeps an https picture in its normalised form, and leaves an article without one without one", () => {
      const check = validateArticle(
        { ...good, imageUrl: "  HTTPS://WWW.Kavkaz-Uzel.EU\\media\\1.jpg?w=800 " },
        catalog,
        now,
      );
      expect(check.ok && check.article.imageUrl).toBe("https://www.kavkaz-uzel.eu/media/1.jpg?w=800");
      const none = validateArticle(good, catalog, now);
      expect(none.ok && "imageUrl" in none.article).toBe(false);
    });

    it("reads null and an empty text as no picture, as CMSes send them", () => {
      for (const imageUrl of [null, "", "   "]) {
        const check = validateArticle({ ...good, imageUrl }, catalog, now);
        expect(check.ok && "imageUrl" in check.article).toBe(false);
      }
    });

    it.each([
      ["plain http", "http://www.kavkaz-uzel.eu/media/1.jpg", "imageUrl: must be an https URL"],
      ["a data: URI", "data:image/png;base64,AAAA", "imageUrl: must be an https URL"],
      ["a relative path", "/media/1.jpg", "imageUrl: must be an https URL"],
      ["a number", 5, "imageUrl: must be text"],
      [
        "a newline",
        "https://www.kavkaz-uzel.eu/media/1.jpg\nSet-Cookie: x",
        "imageUrl: must not contain spaces, line breaks or control characters",
      ],
      [
        "a user name",
        "https://www.kavkaz-uzel.eu@evil.example/1.jpg",
        "imageUrl: must not contain a user name or password (user:pass@)",
      ],
      [
        "2049 characters",
        `${picture}?${"a".repeat(2048 - picture.length)}`,
        "imageUrl: must be at most 2048 characters",
      ],
    ])("refuses a picture with %s, naming imageUrl", (_what, imageUrl, error) => {
      expect(errorsOf({ ...good, imageUrl })).toEqual([error]);
    });

    it("is named with every other bad field at once", () => {
      expect(
        errorsOf({ ...good, url: "ftp://x", regions: ["atlantis"], imageUrl: "http://x/1.jpg" }),
      ).toEqual([
        "url: must be an http(s) URL",
        'regions: unknown region "atlantis"',
        "imageUrl: must be an https URL",
      ]);
    });
  });
});
