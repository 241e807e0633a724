import type { Validators } from "../src/store/feed-store.ts";

export const FETCH_TIMEOUT_MS = 10_000;
export const MAX_FEED_BYTES = 5 * 1024 * 1024;
export const MAX_REDIRECTS = 5;

export interface FetchFeedOptions {
  /** For the whole exchange: connecting, headers, every redirect and the body. */
  timeoutMs?: number;
  maxBytes?: number;
  maxRedirects?: number;
  /** From the last good fetch, for a conditional GET. */
  validators?: Validators;
}

export type FetchFeedResult =
  | { kind: "unchanged" }
  | { kind: "fetched"; body: string; url: string; validators: Validators }
  | { kind: "failed"; error: string };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const HEADERS = {
  accept: "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
  "user-agent": "newsbell feed poller",
};

/** One conditional GET of a feed. Never throws: every problem comes back as `failed` with a reason. */
export async function fetchFeed(url: string, options: FetchFeedOptions = {}): Promise<FetchFeedResult> {
  const timeoutMs = options.timeoutMs ?? FETCH_TIMEOUT_MS;
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    return await follow(url, options, controller.signal);
  } catch (err) {
    if (controller.signal.aborted) return failed(`no complete answer within ${seconds(timeoutMs)}`);
    return failed(`network error: ${describe(err)}`);
  } finally {
    clearTimeout(timer);
  }
}

async function follow(
  start: string,
  options: FetchFeedOptions,
  signal: AbortSignal,
): Promise<FetchFeedResult> {
  const maxRedirects = options.maxRedirects ?? MAX_REDIRECTS;
  let url = start;
  for (let hop = 0; ; hop++) {
    if (!isHttp(url)) return failed(`only http(s) URLs are fetched, not ${url.slice(0, 60)}`);
    const response = await fetch(url, {
      headers: { ...HEADERS, ...conditionalHeaders(options.validators) },
      redirect: "manual",
      signal,
    });
    if (!REDIRECTS.has(response.status)) return read(response, url, options.maxBytes ?? MAX_FEED_BYTES);
    await response.body?.cancel();
    const location = response.headers.get("location");
    if (!location) return failed(`HTTP ${response.status} redirect without a Location`);
    if (hop >= maxRedirects) return failed(`more than ${maxRedirects} redirects`);
    url = new URL(location, url).href;
  }
}

async function read(response: Response, url: string, maxBytes: number): Promise<FetchFeedResult> {
  if (response.status === 304) {
    await response.body?.cancel();
    return { kind: "unchanged" };
  }
  if (response.status < 200 || response.status > 299) {
    await response.body?.cancel();
    return failed(`HTTP ${response.status}`);
  }
  const declared = Number(response.headers.get("content-length") ?? Number.NaN);
  if (declared > maxBytes) {
    await response.body?.cancel();
    return failed(`body of ${declared} bytes is over the ${maxBytes}-byte limit`);
  }
  const bytes = await readCapped(response.body, maxBytes);
  if (!bytes) return failed(`body is over the ${maxBytes}-byte limit`);
  return {
    kind: "fetched",
    body: decodeBody(bytes, response.headers.get("content-type")),
    url,
    validators: validatorsOf(response.headers),
  };
}

/** Reads the body chunk by chunk and gives up past the cap, so a huge body is never held in memory. */
async function readCapped(body: ReadableStream<Uint8Array> | null, maxBytes: number) {
  if (!body) return new Uint8Array();
  const reader = body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) return Buffer.concat(chunks, total);
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
}

function conditionalHeaders(validators: Validators | undefined): Record<string, string> {
  return {
    ...(validators?.etag ? { "if-none-match": validators.etag } : {}),
    ...(validators?.lastModified ? { "if-modified-since": validators.lastModified } : {}),
  };
}

function validatorsOf(headers: Headers): Validators {
  const etag = headers.get("etag");
  const lastModified = headers.get("last-modified");
  return { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
}

/**
 * Text from the bytes in the feed's own encoding (Russian feeds are sometimes windows-1251):
 * a byte-order mark first, then the Content-Type charset, then the XML declaration.
 */
export function decodeBody(bytes: Uint8Array, contentType: string | null): string {
  const label = bomEncoding(bytes) ?? headerCharset(contentType) ?? declaredEncoding(bytes) ?? "utf-8";
  try {
    return new TextDecoder(label).decode(bytes);
  } catch {
    return new TextDecoder("utf-8").decode(bytes);
  }
}

function bomEncoding(bytes: Uint8Array): string | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return "utf-8";
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return "utf-16be";
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return "utf-16le";
  return undefined;
}

function headerCharset(contentType: string | null): string | undefined {
  return /charset\s*=\s*"?([\w.:-]+)/i.exec(contentType ?? "")?.[1];
}

function declaredEncoding(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 200)).toString("latin1");
  return /^\s*<\?xml[^>]*\bencoding\s*=\s*["']([\w.:-]+)["']/.exec(head)?.[1];
}

function isHttp(url: string): boolean {
  try {
    const protocol = new URL(url).protocol;
    return protocol === "http:" || protocol === "https:";
  } catch {
    return false;
  }
}

function failed(error: string): FetchFeedResult {
  return { kind: "failed", error };
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

function describe(err: unknown): string {
  const error = err as Error & { cause?: { code?: string; message?: string } };
  return error.cause?.code ?? error.cause?.message ?? error.message ?? String(err);
}
