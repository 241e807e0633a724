import { pipeline, type Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import { Agent, type Dispatcher, interceptors } from "undici";
import type { Validators } from "../store/feed-store.ts";
import { type AddressPolicy, policyLookup, RefusedAddress, refusal } from "./address-policy.ts";
import { bareHost, checkHop, header, hopGuard, RefusedHop, refusedMessage, Trip } from "./feed-hops.ts";
import { decodeBody, readCapped } from "./http-body.ts";

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
  /** FEEDS_ALLOW_PRIVATE: let the feed and its redirects reach loopback and private addresses. */
  allowPrivate?: boolean;
  /** Which addresses no hop may connect to, and why; by default `refusal` with `allowPrivate`. */
  refuse?: AddressPolicy;
  /** Certificate authorities trusted besides the system's (a feed server with its own CA). */
  ca?: string;
}

export type FetchFeedResult =
  | { kind: "unchanged" }
  | { kind: "fetched"; body: string; url: string; validators: Validators }
  | { kind: "failed"; error: string };

const REDIRECTS = new Set([301, 302, 303, 307, 308]);
const HEADERS = {
  accept: "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5",
  "accept-encoding": "gzip, deflate, br",
  "user-agent": "newsbell feed poller",
};

/** One conditional GET of a feed. Never throws: every problem comes back as `failed` with a reason. */
export async function fetchFeed(url: string, options: FetchFeedOptions = {}): Promise<FetchFeedResult> {
  const timeoutMs = options.timeoutMs ?? FETCH_TIMEOUT_MS;
  const allowPrivate = options.allowPrivate ?? false;
  const refuse = options.refuse ?? ((address: string) => refusal(address, allowPrivate));
  const start = checkHop(url, undefined, refuse);
  if (typeof start === "string") return failed(start);
  const trip = new Trip(refuse, options.maxRedirects ?? MAX_REDIRECTS);
  const agent = new Agent({
    connect: { lookup: policyLookup(refuse), ...(options.ca ? { ca: options.ca } : {}) },
  });
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const response = await agent
      // The hop guard wraps the redirect interceptor, so it sees every hop as it goes on the wire.
      .compose(hopGuard(trip), interceptors.redirect({ maxRedirections: trip.maxRedirects }))
      .request({
        origin: start.origin,
        path: `${start.pathname}${start.search}`,
        method: "GET",
        headers: { ...HEADERS, ...conditionalHeaders(options.validators) },
        signal: controller.signal,
      });
    return await read(response, trip, options.maxBytes ?? MAX_FEED_BYTES, url);
  } catch (err) {
    if (controller.signal.aborted) return failed(`no complete answer within ${seconds(timeoutMs)}`);
    return failed(reason(err, trip));
  } finally {
    clearTimeout(timer);
    // No connection is kept between fetches: each is made to an address the lookup has just checked.
    await agent.destroy().catch(() => undefined);
  }
}

async function read(
  response: Dispatcher.ResponseData,
  trip: Trip,
  maxBytes: number,
  start: string,
): Promise<FetchFeedResult> {
  const { statusCode: status, headers, body } = response;
  try {
    if (status === 304) return { kind: "unchanged" };
    if (status < 200 || status > 299) return failed(statusProblem(status, header(headers, "location"), trip));
    if (trip.declaredLength !== undefined && trip.declaredLength > maxBytes)
      return failed(`body of ${trip.declaredLength} bytes is over the ${maxBytes}-byte limit`);
    const encoding = (header(headers, "content-encoding") ?? "identity").trim().toLowerCase();
    const unpacked = unpack(body, encoding);
    if (!unpacked) return failed(`unsupported Content-Encoding ${encoding.slice(0, 40)}`);
    // The cap applies to what comes out of the decompression, so a zip bomb stops too. undici
    // fails the read of a body cut off before its length or last chunk, so a cut-off document
    // never passes for the whole feed.
    const bytes = await readCapped(unpacked, maxBytes);
    if (!bytes) return failed(`body is over the ${maxBytes}-byte limit`);
    return {
      kind: "fetched",
      body: decodeBody(bytes, header(headers, "content-type") ?? null),
      url: trip.redirected && trip.current ? trip.current.href : start,
      validators: validatorsOf(headers),
    };
  } finally {
    // An answer left unread is cut off; undici reports that as an error nobody needs to hear.
    if (!body.readableEnded) body.on("error", () => undefined).destroy();
  }
}

/**
 * The body as the feed wrote it. Unpacked with node:zlib, not undici's decompress interceptor:
 * that one is experimental in this undici and warns on stderr once per process.
 */
function unpack(body: Readable, encoding: string): Readable | undefined {
  if (encoding === "identity" || encoding === "") return body;
  const unpacker =
    encoding === "gzip" || encoding === "x-gzip"
      ? createGunzip()
      : encoding === "deflate"
        ? createInflate()
        : encoding === "br"
          ? createBrotliDecompress()
          : undefined;
  // A failed read of either side ends the other, and the error comes out of the iteration.
  return unpacker && pipeline(body, unpacker, () => undefined);
}

/** Why an answer that is neither 2xx nor 304 ends the fetch. */
function statusProblem(status: number, location: string | undefined, trip: Trip): string {
  // undici hands back the redirect it stopped following once the limit is reached.
  if (location && (REDIRECTS.has(status) || status === 300))
    return `more than ${trip.maxRedirects} redirects`;
  if (REDIRECTS.has(status)) return `HTTP ${status} redirect without a Location`;
  return `HTTP ${status}`;
}

function reason(err: unknown, trip: Trip): string {
  if (err instanceof RefusedHop) return err.message;
  if (err instanceof RefusedAddress && trip.current) {
    const where = trip.redirected ? "redirect to " : "";
    return refusedMessage(where, bareHost(trip.current), err.address, err.kind);
  }
  return `network error: ${describe(err)}`;
}

function conditionalHeaders(validators: Validators | undefined): Record<string, string> {
  return {
    ...(validators?.etag ? { "if-none-match": validators.etag } : {}),
    ...(validators?.lastModified ? { "if-modified-since": validators.lastModified } : {}),
  };
}

function validatorsOf(headers: Dispatcher.ResponseData["headers"]): Validators {
  const etag = header(headers, "etag");
  const lastModified = header(headers, "last-modified");
  return { ...(etag ? { etag } : {}), ...(lastModified ? { lastModified } : {}) };
}

function failed(error: string): FetchFeedResult {
  return { kind: "failed", error };
}

function seconds(ms: number): string {
  return `${Number((ms / 1000).toFixed(3))} s`;
}

function describe(err: unknown): string {
  const error = err as Error & { code?: string; cause?: { code?: string; message?: string } };
  return error.cause?.code ?? error.code ?? error.cause?.message ?? error.message ?? String(err);
}
