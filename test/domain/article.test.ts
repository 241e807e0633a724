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
    ).toEqual(["url: must be an http(s) URL", "headline: must not be empty", "lang: must be ru or en"]);
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

  it("accepts a numeric CMS id as its string", () => {
    const check = validateArticle({ ...good, id: 405210 }, catalog, now);
    expect(check.ok && check.article.id).toBe("405210");
  });
});
