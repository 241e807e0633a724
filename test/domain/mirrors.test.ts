import { describe, expect, it } from "vitest";
import {
  mirrorLinks,
  mirrorUrl,
  parseHost,
  parseMirrorCommand,
  parseMirrorList,
} from "../../src/domain/mirrors.ts";

const mirrors = new Map([["www.kavkaz-uzel.eu", "kutest.org"]]);

describe("mirror hosts", () => {
  it("takes a host name only, in lower case", () => {
    expect(parseHost(" WWW.Kavkaz-Uzel.EU ")).toEqual({ ok: true, host: "www.kavkaz-uzel.eu" });
    expect(parseHost("kutest.org.")).toEqual({ ok: true, host: "kutest.org" });
  });

  it.each([
    ["https://kutest.org", "scheme"],
    ["kutest.org/path", "path"],
    ["kutest.org:8443", "port"],
    ["user@kutest.org", "userinfo"],
    ["kutest", "name"],
    ["-bad-.org", "name"],
    ["", "empty"],
  ])("refuses %j, saying why (%s)", (value, why) => {
    expect(parseHost(value)).toEqual({ ok: false, why });
  });

  it("reads LINK_MIRRORS as host=mirror pairs, naming the first bad entry", () => {
    expect(parseMirrorList("www.kavkaz-uzel.eu=kutest.org, kavkaz-uzel.eu=kutest.org")).toEqual({
      ok: true,
      map: new Map([
        ["www.kavkaz-uzel.eu", "kutest.org"],
        ["kavkaz-uzel.eu", "kutest.org"],
      ]),
    });
    expect(parseMirrorList("www.kavkaz-uzel.eu")).toMatchObject({
      ok: false,
      why: expect.stringContaining("host=mirror"),
    });
    expect(parseMirrorList("a.org=https://b.org")).toMatchObject({
      ok: false,
      why: expect.stringContaining("scheme"),
    });
    expect(parseMirrorList("a.org=a.org")).toMatchObject({
      ok: false,
      why: expect.stringContaining("own mirror"),
    });
  });
});

describe("links through mirrors", () => {
  it("sends a link to a mapped host through its mirror, keeping the path and query", () => {
    expect(mirrorUrl("https://www.kavkaz-uzel.eu/articles/1/?a=1&b=2#x", mirrors)).toBe(
      "https://kutest.org/articles/1/?a=1&b=2#x",
    );
    expect(mirrorUrl("https://kavkaz-uzel.eu/articles/1/", mirrors)).toBe(
      "https://kavkaz-uzel.eu/articles/1/",
    );
    expect(mirrorUrl("not a url", mirrors)).toBe("not a url");
  });

  it("rewrites the links inside Telegram HTML and nothing else", () => {
    const html =
      '<a href="https://www.kavkaz-uzel.eu/a?x=1&amp;y=2">www.kavkaz-uzel.eu</a> <a href="https://example.org/">x</a>';
    expect(mirrorLinks(html, mirrors)).toBe(
      '<a href="https://kutest.org/a?x=1&amp;y=2">www.kavkaz-uzel.eu</a> <a href="https://example.org/">x</a>',
    );
  });
});

describe("the /mirror command", () => {
  it("reads list, set and remove", () => {
    expect(parseMirrorCommand("")).toEqual({ action: "list" });
    expect(parseMirrorCommand(" set WWW.kavkaz-uzel.eu  kutest.org ")).toEqual({
      action: "set",
      host: "www.kavkaz-uzel.eu",
      mirror: "kutest.org",
    });
    expect(parseMirrorCommand("remove www.kavkaz-uzel.eu")).toEqual({
      action: "remove",
      host: "www.kavkaz-uzel.eu",
    });
  });

  it("names the bad host and why, and asks for the usage otherwise", () => {
    expect(parseMirrorCommand("set www.kavkaz-uzel.eu https://kutest.org/")).toMatchObject({
      error: "host",
      value: "https://kutest.org/",
      why: "scheme",
    });
    expect(parseMirrorCommand("set www.kavkaz-uzel.eu")).toEqual({ error: "usage" });
    expect(parseMirrorCommand("drop x.org")).toEqual({ error: "usage" });
    expect(parseMirrorCommand("set a.org a.org")).toEqual({ error: "same", host: "a.org" });
  });
});
