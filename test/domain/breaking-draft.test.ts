import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  articleFromDraft,
  breakingId,
  checkHeadline,
  checkLink,
  checkTeaser,
  toggled,
} from "../../src/domain/breaking-draft.ts";

describe("an editor's breaking-news draft", () => {
  it("takes a headline of 1–300 characters on one line, and says why it refuses others and how long it was", () => {
    expect(checkHeadline("  Взрыв \n в Грозном ")).toEqual({ ok: true, value: "Взрыв в Грозном" });
    expect(checkHeadline(" \n ")).toEqual({ ok: false, why: "empty" });
    expect(checkHeadline("x".repeat(300)).ok).toBe(true);
    expect(checkHeadline("x".repeat(301))).toEqual({ ok: false, why: "too-long", length: 301 });
    expect(checkHeadline(` ${"x ".repeat(200)}`)).toEqual({ ok: false, why: "too-long", length: 399 });
  });

  it("lets a lone dash skip the teaser, and keeps paragraphs but not runs of blank lines", () => {
    expect(checkTeaser("-")).toEqual({ ok: true, value: "" });
    expect(checkTeaser("a\r\n\r\n\r\n\r\nb")).toEqual({ ok: true, value: "a\n\nb" });
    expect(checkTeaser("x".repeat(32_769))).toEqual({ ok: false, why: "too-long" });
  });

  it("takes only http(s) links, stored normalised, and refuses script, other schemes and hidden parts", () => {
    expect(checkLink(" https://www.kavkaz-uzel.eu/articles/1 ")).toEqual({
      ok: true,
      value: "https://www.kavkaz-uzel.eu/articles/1",
    });
    expect(checkLink("HTTPS://Example.org")).toEqual({ ok: true, value: "https://example.org/" });
    expect(checkLink("javascript:alert(1)")).toEqual({ ok: false, why: "not-http", scheme: "javascript" });
    expect(checkLink("ftp://example.org/x")).toEqual({ ok: false, why: "not-http", scheme: "ftp" });
    expect(checkLink("data:text/html,hi")).toEqual({ ok: false, why: "not-http", scheme: "data" });
    expect(checkLink("just words")).toEqual({ ok: false, why: "not-a-link" });
    expect(checkLink("https://user:pw@example.org/")).toEqual({ ok: false, why: "userinfo" });
    expect(checkLink("https://example.org/a\tb")).toEqual({ ok: false, why: "spaces" });
    expect(checkLink("https:\\\\example.org")).toEqual({ ok: false, why: "not-a-link" });
    expect(checkLink(`https://example.org/${"a".repeat(2100)}`)).toEqual({ ok: false, why: "too-long" });
  });

  it("takes an address typed without its scheme as https, and says what is wrong with one it refuses", () => {
    expect(checkLink("kavkaz-uzel.eu/articles/1")).toEqual({
      ok: true,
      value: "https://kavkaz-uzel.eu/articles/1",
    });
    expect(checkLink("www.kavkaz-uzel.eu")).toEqual({ ok: true, value: "https://www.kavkaz-uzel.eu/" });
    expect(checkLink("//kavkaz-uzel.eu/x?a=1")).toEqual({ ok: true, value: "https://kavkaz-uzel.eu/x?a=1" });
    expect(checkLink("kavkaz-uzel.eu:8443/x")).toEqual({ ok: true, value: "https://kavkaz-uzel.eu:8443/x" });
    expect(checkLink("http://kavkaz-uzel.eu/x")).toEqual({ ok: true, value: "http://kavkaz-uzel.eu/x" });
    expect(checkLink("kavkaz-uzel.eu/articles/1 2")).toEqual({ ok: false, why: "spaces" });
    expect(checkLink("https://kavkaz-uzel.eu/a b")).toEqual({ ok: false, why: "spaces" });
    expect(checkLink("mailto:editor@kavkaz-uzel.eu")).toEqual({
      ok: false,
      why: "not-http",
      scheme: "mailto",
    });
    expect(checkLink("kavkaz-uzel")).toEqual({ ok: false, why: "not-a-link" });
  });

  it("names a breaking article by its UTC minute and a suffix, with no ':' for the job queue", () => {
    const now = DateTime.fromISO("2026-11-30T23:40:12+03:00");
    expect(breakingId(now, "x7k2")).toBe("brk-20261130-2040-x7k2");
    expect(breakingId(now, "x7k2")).not.toContain(":");
  });

  it("becomes an article like any other source's, marked breaking and published now", () => {
    const now = DateTime.fromISO("2026-11-30T20:40:00Z");
    const article = articleFromDraft(
      { headline: "H", teaser: "", url: "https://e.org/", topics: [], regions: ["chechnya"], lang: "ru" },
      "brk-1",
      now,
    );
    expect(article).toMatchObject({ id: "brk-1", breaking: true, regions: ["chechnya"], lang: "ru" });
    expect(article.publishedAt).toBe("2026-11-30T20:40:00.000Z");
  });

  it("toggles a slug in and out of a selection, keeping the order of choice", () => {
    expect(toggled(["a", "b"], "c")).toEqual(["a", "b", "c"]);
    expect(toggled(["a", "b", "c"], "b")).toEqual(["a", "c"]);
  });
});
