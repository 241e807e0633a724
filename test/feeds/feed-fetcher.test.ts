import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type FetchFeedOptions,
  fetchFeed as fetchAnyFeed,
  MAX_FEED_BYTES,
} from "../../src/feeds/feed-fetcher.ts";
import { decodeBody } from "../../src/feeds/http-body.ts";
import {
  FeedServer,
  feedFixture,
  hang,
  hugeBody,
  redirect,
  stallBody,
  status,
  xml,
} from "../support/feed-server.ts";
import { freePort } from "../support/redis.ts";

let server: FeedServer;
// The feed server runs on 127.0.0.1, which only FEEDS_ALLOW_PRIVATE=true lets a feed reach.
const fetchFeed = (url: string, options: FetchFeedOptions = {}) =>
  fetchAnyFeed(url, { allowPrivate: true, ...options });
const rss = feedFixture("rss-basic.xml");

beforeAll(async () => {
  server = await FeedServer.start();
});
afterAll(async () => {
  await server.stop();
});

describe("feed fetching", () => {
  it("returns the body with its ETag and Last-Modified", async () => {
    const lastModified = "Thu, 27 Nov 2025 10:00:00 GMT";
    server.serve("/plain.xml", xml(rss, { etag: '"v1"', lastModified }));
    expect(await fetchFeed(server.url("/plain.xml"))).toEqual({
      kind: "fetched",
      body: rss,
      url: server.url("/plain.xml"),
      validators: { etag: '"v1"', lastModified },
    });
  });

  it("sends If-None-Match and If-Modified-Since, and takes a 304 as unchanged", async () => {
    const lastModified = "Thu, 27 Nov 2025 10:00:00 GMT";
    server.serve("/conditional.xml", xml(rss, { etag: '"v2"', lastModified }));
    const result = await fetchFeed(server.url("/conditional.xml"), {
      validators: { etag: '"v2"', lastModified },
    });
    expect(result).toEqual({ kind: "unchanged" });
    expect(server.requestsTo("/conditional.xml").at(-1)?.headers).toMatchObject({
      "if-none-match": '"v2"',
      "if-modified-since": lastModified,
    });
  });

  it("sends no conditional headers when it has no validators", async () => {
    server.serve("/fresh.xml", xml(rss));
    await fetchFeed(server.url("/fresh.xml"));
    const headers = server.requestsTo("/fresh.xml").at(-1)?.headers ?? {};
    expect(headers["if-none-match"]).toBeUndefined();
    expect(headers["if-modified-since"]).toBeUndefined();
  });

  it("gives up on a server that never answers when the timeout hits", async () => {
    server.serve("/hang.xml", hang());
    const started = Date.now();
    expect(await fetchFeed(server.url("/hang.xml"), { timeoutMs: 300 })).toEqual({
      kind: "failed",
      error: "no complete answer within 0.3 s",
    });
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it("gives up on a body that stalls after the headers when the timeout hits", async () => {
    server.serve("/stall.xml", stallBody());
    expect(await fetchFeed(server.url("/stall.xml"), { timeoutMs: 300 })).toEqual({
      kind: "failed",
      error: "no complete answer within 0.3 s",
    });
  });

  it("stops reading a 50 MB body without a length at the 5 MB cap, long before the server sends it all", async () => {
    const huge = hugeBody(50 * 1024 * 1024);
    server.serve("/huge.xml", huge.handler);
    const before = process.memoryUsage().rss;
    const result = await fetchFeed(server.url("/huge.xml"));
    expect(result).toEqual({ kind: "failed", error: `body is over the ${MAX_FEED_BYTES}-byte limit` });
    expect(huge.sent()).toBeLessThan(20 * 1024 * 1024);
    expect(process.memoryUsage().rss - before).toBeLessThan(40 * 1024 * 1024);
  });

  it("refuses a declared 50 MB body before reading any of it", async () => {
    const huge = hugeBody(50 * 1024 * 1024, { declareLength: true });
    server.serve("/declared.xml", huge.handler);
    expect(await fetchFeed(server.url("/declared.xml"))).toEqual({
      kind: "failed",
      error: `body of ${50 * 1024 * 1024} bytes is over the ${MAX_FEED_BYTES}-byte limit`,
    });
  });

  it.each([404, 500, 503])("fails on HTTP %i", async (code) => {
    server.serve(`/status-${code}.xml`, status(code));
    expect(await fetchFeed(server.url(`/status-${code}.xml`))).toEqual({
      kind: "failed",
      error: `HTTP ${code}`,
    });
  });

  it("follows five redirects, relative ones too, and reports the final URL", async () => {
    for (let i = 1; i <= 5; i++)
      server.serve(`/hop-${i}`, redirect(i === 3 ? `/hop-${i + 1}` : server.url(`/hop-${i + 1}`)));
    server.serve("/hop-6", xml(rss));
    const result = await fetchFeed(server.url("/hop-1"));
    expect(result).toMatchObject({ kind: "fetched", url: server.url("/hop-6") });
  });

  it("refuses a sixth redirect", async () => {
    for (let i = 1; i <= 6; i++) server.serve(`/loop-${i}`, redirect(server.url(`/loop-${i + 1}`), 301));
    server.serve("/loop-7", xml(rss));
    expect(await fetchFeed(server.url("/loop-1"))).toEqual({
      kind: "failed",
      error: "more than 5 redirects",
    });
  });

  it("reports a redirect loop as too many redirects, asking each URL once", async () => {
    server.serve("/ping", redirect("/pong"));
    server.serve("/pong", redirect("/ping"));
    expect(await fetchFeed(server.url("/ping"))).toEqual({ kind: "failed", error: "more than 5 redirects" });
    expect(server.requestsTo("/ping")).toHaveLength(1);
  });

  it("refuses a redirect to a file: URL and never reads the file", async () => {
    server.serve("/to-file", redirect("file:///etc/passwd"));
    expect(await fetchFeed(server.url("/to-file"))).toEqual({
      kind: "failed",
      error: "only http(s) URLs are fetched, not file:///etc/passwd",
    });
  });

  it("refuses to fetch anything but http(s)", async () => {
    expect(await fetchFeed("file:///etc/passwd")).toMatchObject({
      kind: "failed",
      error: expect.stringMatching(/^only http/),
    });
  });

  it("reports a refused connection as a network error", async () => {
    const port = await freePort();
    expect(await fetchFeed(`http://127.0.0.1:${port}/feed.xml`)).toEqual({
      kind: "failed",
      error: "network error: ECONNREFUSED",
    });
  });

  it.each([
    ["gzip", gzipSync],
    ["br", brotliCompressSync],
    ["deflate", deflateSync],
  ] as const)("reads a %s-compressed feed", async (encoding, compress) => {
    server.serve(`/compressed-${encoding}.xml`, (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/rss+xml", "Content-Encoding": encoding });
      res.end(compress(Buffer.from(rss)));
    });
    expect(await fetchFeed(server.url(`/compressed-${encoding}.xml`))).toMatchObject({
      kind: "fetched",
      body: rss,
    });
    expect(server.requestsTo(`/compressed-${encoding}.xml`).at(-1)?.headers["accept-encoding"]).toContain(
      encoding,
    );
  });

  it("refuses a compressed body whose declared length is over the cap before unpacking it", async () => {
    server.serve("/declared-gzip.xml", (_req, res) => {
      const packed = gzipSync(Buffer.alloc(MAX_FEED_BYTES + 1024 * 1024, 0x41), { level: 0 });
      res.writeHead(200, { "Content-Encoding": "gzip", "Content-Length": String(packed.byteLength) });
      res.end(packed);
    });
    expect(await fetchFeed(server.url("/declared-gzip.xml"))).toMatchObject({
      kind: "failed",
      error: expect.stringMatching(
        new RegExp(`^body of \\d+ bytes is over the ${MAX_FEED_BYTES}-byte limit$`),
      ),
    });
  });

  it("fails on a Content-Encoding it cannot unpack rather than parse the packed bytes", async () => {
    server.serve("/packed.xml", (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/rss+xml", "Content-Encoding": "lzma" });
      res.end("not xml");
    });
    expect(await fetchFeed(server.url("/packed.xml"))).toEqual({
      kind: "failed",
      error: "unsupported Content-Encoding lzma",
    });
  });

  it("fails on a body cut off before its declared length instead of passing part of a feed", async () => {
    server.serve("/cut.xml", (_req, res) => {
      res.writeHead(200, {
        "Content-Type": "application/rss+xml",
        "Content-Length": String(Buffer.byteLength(rss) + 100),
      });
      res.write(rss);
      setTimeout(() => res.destroy(), 20);
    });
    expect(await fetchFeed(server.url("/cut.xml"))).toMatchObject({
      kind: "failed",
      error: expect.stringMatching(/^network error: /),
    });
  });

  it("stops decompressing a small gzip body that unpacks past the 5 MB cap", async () => {
    server.serve("/bomb.xml", (_req, res) => {
      res.writeHead(200, { "Content-Type": "application/rss+xml", "Content-Encoding": "gzip" });
      res.end(gzipSync(Buffer.alloc(50 * 1024 * 1024, 0x20)));
    });
    expect(await fetchFeed(server.url("/bomb.xml"))).toEqual({
      kind: "failed",
      error: `body is over the ${MAX_FEED_BYTES}-byte limit`,
    });
  });

  it("decodes a windows-1251 feed by its Content-Type, and by its XML declaration when the header says nothing", async () => {
    const text =
      '<?xml version="1.0" encoding="windows-1251"?><rss><channel><title>Чечня</title></channel></rss>';
    const bytes = new Uint8Array([
      ...new TextEncoder().encode(text.slice(0, 66)),
      0xd7,
      0xe5,
      0xf7,
      0xed,
      0xff,
    ]);
    expect(decodeBody(bytes, "text/xml; charset=windows-1251")).toContain("Чечня");
    expect(decodeBody(bytes, "text/xml")).toContain("Чечня");
    expect(decodeBody(new TextEncoder().encode("\uFEFF<rss/>"), null)).toBe("<rss/>");
    expect(decodeBody(new TextEncoder().encode("<rss/>"), "text/xml; charset=no-such-charset")).toBe(
      "<rss/>",
    );
  });
});
