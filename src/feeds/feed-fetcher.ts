import { lookup as dnsLookup } from "node:dns";
import { request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";
import { BlockList, isIP, type LookupFunction } from "node:net";
import { pipeline, type Readable } from "node:stream";
import { createBrotliDecompress, createGunzip, createInflate } from "node:zlib";
import type { Validators } from "../store/feed-store.ts";

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
  const allowPrivate = options.allowPrivate ?? false;
  const refuse = options.refuse ?? ((address: string) => refusal(address, allowPrivate));
  let url = start;
  let from: URL | undefined;
  for (let hop = 0; ; hop++) {
    const target = httpUrl(url);
    if (!target) return failed(`only http(s) URLs are fetched, not ${url.slice(0, 60)}`);
    // A feed fetched over https must not be handed over in clear to whoever sits on the way.
    if (from?.protocol === "https:" && target.protocol === "http:") {
      return failed(`refused: redirect from https to http (${target.href.slice(0, 100)})`);
    }
    const where = hop === 0 ? "" : "redirect to ";
    // A literal address is connected to without any lookup, so it is checked here.
    const host = bareHost(target);
    const literal = isIP(host) ? refuse(host) : undefined;
    if (literal) return failed(refusedMessage(where, host, host, literal));
    let response: IncomingMessage;
    try {
      response = await get(target, options, refuse, signal);
    } catch (err) {
      if (err instanceof RefusedAddress) return failed(refusedMessage(where, host, err.address, err.kind));
      throw err;
    }
    if (!REDIRECTS.has(response.statusCode ?? 0))
      return read(response, url, options.maxBytes ?? MAX_FEED_BYTES);
    response.destroy();
    const location = response.headers.location;
    if (!location) return failed(`HTTP ${response.statusCode} redirect without a Location`);
    if (hop >= maxRedirects) return failed(`more than ${maxRedirects} redirects`);
    from = target;
    url = new URL(location, url).href;
  }
}

/**
 * One GET without redirects. No connection is kept or shared between fetches: each one is made
 * to an address the lookup below has just checked.
 */
function get(
  url: URL,
  options: FetchFeedOptions,
  refuse: AddressPolicy,
  signal: AbortSignal,
): Promise<IncomingMessage> {
  const request = url.protocol === "https:" ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const outgoing = request(
      {
        protocol: url.protocol,
        hostname: bareHost(url),
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: "GET",
        headers: { ...HEADERS, ...conditionalHeaders(options.validators) },
        agent: false,
        lookup: checkedLookup(refuse),
        signal,
        ...(options.ca ? { ca: options.ca } : {}),
      },
      resolve,
    );
    outgoing.on("error", reject);
    outgoing.end();
  });
}

async function read(response: IncomingMessage, url: string, maxBytes: number): Promise<FetchFeedResult> {
  const status = response.statusCode ?? 0;
  if (status === 304) {
    response.destroy();
    return { kind: "unchanged" };
  }
  if (status < 200 || status > 299) {
    response.destroy();
    return failed(`HTTP ${status}`);
  }
  const declared = Number(response.headers["content-length"] ?? Number.NaN);
  if (declared > maxBytes) {
    response.destroy();
    return failed(`body of ${declared} bytes is over the ${maxBytes}-byte limit`);
  }
  const encoding = (response.headers["content-encoding"] ?? "identity").trim().toLowerCase();
  const body = decoded(response, encoding);
  if (!body) {
    response.destroy();
    return failed(`unsupported Content-Encoding ${encoding.slice(0, 40)}`);
  }
  try {
    const bytes = await readCapped(body, maxBytes);
    if (!bytes) return failed(`body is over the ${maxBytes}-byte limit`);
    // A connection that closes early must not pass a cut-off document for the whole feed.
    if (!response.complete) throw new Error("the connection closed before the body was complete");
    return {
      kind: "fetched",
      body: decodeBody(bytes, response.headers["content-type"] ?? null),
      url,
      validators: validatorsOf(response),
    };
  } finally {
    response.destroy();
  }
}

/** The body as the server meant it; the size cap applies to what comes out, so a zip bomb stops too. */
function decoded(response: IncomingMessage, encoding: string): Readable | undefined {
  const decoder =
    encoding === "gzip" || encoding === "x-gzip"
      ? createGunzip()
      : encoding === "deflate"
        ? createInflate()
        : encoding === "br"
          ? createBrotliDecompress()
          : undefined;
  if (encoding === "identity" || encoding === "") return response;
  if (!decoder) return undefined;
  return pipeline(response, decoder, () => undefined);
}

/** Reads the body chunk by chunk and gives up past the cap, so a huge body is never held in memory. */
async function readCapped(body: Readable, maxBytes: number): Promise<Buffer | undefined> {
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body as AsyncIterable<Buffer>) {
    total += chunk.byteLength;
    if (total > maxBytes) {
      body.destroy();
      return undefined;
    }
    chunks.push(chunk);
  }
  return Buffer.concat(chunks, total);
}

function conditionalHeaders(validators: Validators | undefined): Record<string, string> {
  return {
    ...(validators?.etag ? { "if-none-match": validators.etag } : {}),
    ...(validators?.lastModified ? { "if-modified-since": validators.lastModified } : {}),
  };
}

function validatorsOf(response: IncomingMessage): Validators {
  const etag = response.headers.etag;
  const lastModified = response.headers["last-modified"];
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

function httpUrl(url: string): URL | undefined {
  if (!URL.canParse(url)) return undefined;
  const parsed = new URL(url);
  return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed : undefined;
}

/** The host as a connection takes it: an IPv6 address without its brackets. */
function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
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

// --- where a feed may not lead: internal services that a feed URL or a redirect could reach ---

export type RefusedKind =
  | "cloud metadata"
  | "loopback"
  | "private"
  | "link-local"
  | "unique-local"
  | "reserved";

export type AddressPolicy = (address: string) => RefusedKind | undefined;

/** A lookup found only addresses a feed may not reach. */
class RefusedAddress extends Error {
  constructor(
    readonly address: string,
    readonly kind: RefusedKind,
  ) {
    super(`${address} is a ${kind} address`);
  }
}

const RANGES: [RefusedKind, [address: string, prefix: number][]][] = [
  // Instance metadata hands out cloud credentials: never a feed, whatever FEEDS_ALLOW_PRIVATE says.
  [
    "cloud metadata",
    [
      ["169.254.169.254", 32],
      ["169.254.169.253", 32],
      ["169.254.170.2", 32],
      ["169.254.170.23", 32],
      ["100.100.100.200", 32],
      ["fd00:ec2::254", 128],
      ["fd00:ec2::23", 128],
    ],
  ],
  [
    "loopback",
    [
      ["127.0.0.0", 8],
      ["::1", 128],
    ],
  ],
  [
    "private",
    [
      ["10.0.0.0", 8],
      ["172.16.0.0", 12],
      ["192.168.0.0", 16],
      ["100.64.0.0", 10],
    ],
  ],
  [
    "link-local",
    [
      ["169.254.0.0", 16],
      ["fe80::", 10],
    ],
  ],
  [
    "unique-local",
    [
      ["fc00::", 7],
      ["fec0::", 10],
    ],
  ],
  [
    "reserved",
    [
      ["0.0.0.0", 8],
      ["192.0.0.0", 24],
      ["198.18.0.0", 15],
      ["224.0.0.0", 3],
      ["::", 128],
      ["ff00::", 8],
    ],
  ],
];

const BLOCKS = RANGES.map(([kind, ranges]) => {
  const block = new BlockList();
  for (const [address, prefix] of ranges)
    block.addSubnet(address, prefix, isIP(address) === 6 ? "ipv6" : "ipv4");
  return [kind, block] as const;
});

/** Why a feed may not connect to `address`, or undefined when it may. */
export function refusal(address: string, allowPrivate: boolean): RefusedKind | undefined {
  const family = isIP(address);
  if (family === 0) return "reserved";
  // NAT64 (64:ff9b::/96) reaches the IPv4 address in its last 32 bits; IPv4-mapped ones BlockList reads itself.
  const embedded = family === 6 ? nat64Ipv4(address) : undefined;
  if (embedded) return refusal(embedded, allowPrivate);
  const type = family === 6 ? "ipv6" : "ipv4";
  const found = BLOCKS.find(([, block]) => block.check(address, type))?.[0];
  if (found === "cloud metadata") return found;
  return allowPrivate ? undefined : found;
}

const NAT64 = new BlockList();
NAT64.addSubnet("64:ff9b::", 96, "ipv6");

function nat64Ipv4(address: string): string | undefined {
  if (!NAT64.check(address, "ipv6")) return undefined;
  const [high = 0, low = 0] = expandIpv6(address)?.slice(6) ?? [];
  return [high >> 8, high & 0xff, low >> 8, low & 0xff].join(".");
}

/** The eight 16-bit groups of an IPv6 address (a trailing dotted IPv4 part included). */
function expandIpv6(address: string): number[] | undefined {
  let text = address.toLowerCase();
  const dotted = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (dotted) {
    const [a, b, c, d] = dotted.slice(1).map(Number) as [number, number, number, number];
    text = `${text.slice(0, dotted.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [left = "", right] = text.split("::");
  const head = left ? left.split(":") : [];
  const tail = right ? right.split(":") : [];
  const missing = 8 - head.length - tail.length;
  if (right === undefined ? missing !== 0 : missing < 0) return undefined;
  return [...head, ...Array<string>(right === undefined ? 0 : missing).fill("0"), ...tail].map((g) =>
    Number.parseInt(g, 16),
  );
}

/**
 * Checks the addresses a host name resolves to when the connection is made, not before, so a
 * name that resolves to a public address at one moment and an internal one the next (DNS
 * rebinding) still never connects inside. Refused addresses are dropped; none left, none connects.
 */
function checkedLookup(refuse: AddressPolicy): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return callback(err, "");
      const refused = addresses.map((a) => ({ ...a, kind: refuse(a.address) }));
      const allowed = refused.filter((a) => a.kind === undefined);
      const [first] = allowed;
      if (first) {
        if (options.all)
          callback(
            null,
            allowed.map(({ address, family }) => ({ address, family })),
          );
        else callback(null, first.address, first.family);
        return;
      }
      const [blocked] = refused;
      if (blocked?.kind) callback(new RefusedAddress(blocked.address, blocked.kind), "");
      else callback(Object.assign(new Error(`no address for ${hostname}`), { code: "ENOTFOUND" }), "");
    });
  };
}

function refusedMessage(where: string, host: string, address: string, kind: RefusedKind): string {
  const what = host === address ? `${address} (${kind} address)` : `${host} (${address}, ${kind} address)`;
  const hint = kind === "cloud metadata" ? "" : "; FEEDS_ALLOW_PRIVATE=true allows internal feeds";
  return `refused: ${where}${what}${hint}`;
}
