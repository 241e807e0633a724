import { describe, expect, it } from "vitest";
import { FeedConfigError, parseFeedsConfig } from "../../src/domain/feed-config.ts";

const good = {
  id: "kavkaz-ru",
  url: "https://www.kavkaz-uzel.eu/rss",
  edition: "ru",
  categories: { " Чечня ": ["chechnya"], Суды: ["courts", "courts"] },
};

function parse(feeds: unknown): ReturnType<typeof parseFeedsConfig> {
  return parseFeedsConfig(JSON.stringify(feeds));
}

function errorOf(feeds: unknown): string {
  try {
    parse(feeds);
  } catch (err) {
    expect(err).toBeInstanceOf(FeedConfigError);
    return (err as Error).message;
  }
  throw new Error("expected the feeds to be rejected");
}

describe("feeds file", () => {
  it("reads a feed with the default interval, no keywords, and case-folded, trimmed, de-duplicated mappings", () => {
    expect(parse([good])).toEqual([
      {
        id: "kavkaz-ru",
        url: "https://www.kavkaz-uzel.eu/rss",
        edition: "ru",
        intervalSeconds: 300,
        categories: new Map([
          ["чечня", ["chechnya"]],
          ["суды", ["courts"]],
        ]),
        keywords: new Map(),
      },
    ]);
  });

  it("keeps categories named like Object's own properties as ordinary keys, never a duplicate of one", () => {
    const [feed] = parse([
      {
        ...good,
        categories: { Constructor: ["courts"], " __proto__ ": ["chechnya"], toString: ["courts"] },
        keywords: { constructor: ["courts"] },
      },
    ]);
    expect(feed?.categories).toEqual(
      new Map([
        ["constructor", ["courts"]],
        ["__proto__", ["chechnya"]],
        ["tostring", ["courts"]],
      ]),
    );
    expect(feed?.keywords).toEqual(new Map([["constructor", ["courts"]]]));
  });

  it("keeps an interval and keywords that are given", () => {
    const [feed] = parse([
      { ...good, intervalSeconds: 30, keywords: { "Рамзан  Кадыров": ["chechnya"] }, categories: {} },
    ]);
    expect(feed?.intervalSeconds).toBe(30);
    expect(feed?.keywords).toEqual(new Map([["рамзан кадыров", ["chechnya"]]]));
  });

  it.each([
    [
      "a non-http URL, naming index, id and field",
      [good, { ...good, id: "b" }, { ...good, id: "c", url: "ftp://x/feed" }],
      "feeds[2] (c).url must be an http(s) URL",
    ],
    [
      "a javascript: URL",
      [{ ...good, url: "javascript:alert(1)" }],
      "feeds[0] (kavkaz-ru).url must be an http(s) URL",
    ],
    [
      "a bad id, without echoing it as the id",
      [{ ...good, id: "Bad_Id" }],
      "feeds[0].id must be 1-32 characters a-z, 0-9 or -",
    ],
    ["a missing edition", [{ ...good, edition: undefined }], "feeds[0] (kavkaz-ru).edition is required"],
    ["an unknown edition", [{ ...good, edition: "de" }], "feeds[0] (kavkaz-ru).edition must be ru or en"],
    [
      "an interval under 30 s",
      [{ ...good, intervalSeconds: 10 }],
      "feeds[0] (kavkaz-ru).intervalSeconds must be at least 30",
    ],
    [
      "a fractional interval",
      [{ ...good, intervalSeconds: 45.5 }],
      "feeds[0] (kavkaz-ru).intervalSeconds must be a whole number of seconds",
    ],
    [
      "missing categories",
      [{ ...good, categories: undefined }],
      "feeds[0] (kavkaz-ru).categories is required",
    ],
    [
      "a bad slug inside a category, with the key quoted",
      [{ ...good, categories: { Чечня: ["Chechnya!"] } }],
      'feeds[0] (kavkaz-ru).categories["Чечня"][0] must be a catalogue slug (a-z, 0-9, -)',
    ],
    [
      "a keyword with no slugs",
      [{ ...good, keywords: { Kadyrov: [] } }],
      "feeds[0] (kavkaz-ru).keywords.Kadyrov must name at least one slug",
    ],
    ["a typo'd field name", [{ ...good, interval: 60 }], "feeds[0] (kavkaz-ru) has unknown field interval"],
    ["a file that is not a list", { feeds: [good] }, "must be a JSON list of feeds"],
    ["a list entry that is not an object", [good, "x"], "feeds[1] must be an object"],
    ["a repeated id", [good, good], "feeds[1] (kavkaz-ru).id is used by an earlier feed"],
    [
      "two keys that differ only in case and spaces",
      [{ ...good, categories: { Чечня: ["chechnya"], " чечня": ["courts"] } }],
      'feeds[0] (kavkaz-ru).categories has "чечня" twice (keys ignore case and spaces)',
    ],
    [
      "a feed that maps nothing",
      [{ ...good, categories: {} }],
      "feeds[0] (kavkaz-ru) needs at least one category or keyword mapping",
    ],
  ])("rejects %s", (_what, feeds, message) => {
    expect(errorOf(feeds)).toBe(message);
  });

  it("rejects text that is not JSON, saying so", () => {
    expect(() => parseFeedsConfig("[{ id: ")).toThrow(/^is not valid JSON \(/);
  });
});
