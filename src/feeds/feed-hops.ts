import { isIP } from "node:net";
import type { Dispatcher } from "undici";
import type { AddressPolicy, RefusedKind } from "./address-policy.ts";

type HeaderMap = Record<string, string | string[] | undefined>;

/** The statuses undici's redirect interceptor follows when they carry a Location. */
const FOLLOWED = new Set([300, 301, 302, 303, 307, 308]);

/** What one fetch has dispatched so far; the fetcher reads it to say how the fetch ended. */
export class Trip {
  /** Every URL asked for, the start first; the last one is the answer's. */
  readonly hops: URL[] = [];
  /** The last answer's Content-Length as the server sent it: the size refused before any byte is read. */
  declaredLength: number | undefined;

  constructor(
    readonly refuse: AddressPolicy,
    readonly maxRedirects: number,
  ) {}

  get current(): URL | undefined {
    return this.hops.at(-1);
  }

  get redirected(): boolean {
    return this.hops.length > 1;
  }
}

/** A hop refused before any connection to it; the message is the fetch's failure. */
export class RefusedHop extends Error {}

/**
 * Why a fetch may not go to `url` (the start, or where the hop `from` redirects), or the URL it
 * may go to. A literal address is connected to without any lookup, so it is checked here.
 */
export function checkHop(url: string, from: URL | undefined, refuse: AddressPolicy): URL | string {
  const target = URL.canParse(url) ? new URL(url) : undefined;
  if (target?.protocol !== "http:" && target?.protocol !== "https:")
    return `only http(s) URLs are fetched, not ${url.slice(0, 60)}`;
  // A feed fetched over https must not be handed over in clear to whoever sits on the way.
  if (from?.protocol === "https:" && target.protocol === "http:")
    return `refused: redirect from https to http (${target.href.slice(0, 100)})`;
  const host = bareHost(target);
  const kind = isIP(host) ? refuse(host) : undefined;
  return kind ? refusedMessage(from ? "redirect to " : "", host, host, kind) : target;
}

/**
 * An undici interceptor, placed inside the redirect one so it sees every hop: it records each
 * URL asked for, and checks each Location before undici follows it, so a redirect to another
 * scheme, down to http, to a literal internal address, or round in a loop is refused unasked.
 * Host names are checked when connecting, by the agent's lookup (see address-policy.ts).
 */
export function hopGuard(trip: Trip): Dispatcher.DispatcherComposeInterceptor {
  return (dispatch) => (opts, handler) => {
    trip.hops.push(new URL(opts.path, opts.origin));
    return dispatch(opts, new HopHandler(handler, trip));
  };
}

class HopHandler implements Dispatcher.DispatchHandler {
  constructor(
    private readonly inner: Dispatcher.DispatchHandler,
    private readonly trip: Trip,
  ) {}

  onRequestStart(controller: Dispatcher.DispatchController, context: unknown): void {
    this.inner.onRequestStart?.(controller, context);
  }

  onResponseStart(
    controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: HeaderMap,
    statusMessage?: string,
  ): void {
    const length = Number(header(headers, "content-length") ?? Number.NaN);
    this.trip.declaredLength = Number.isNaN(length) ? undefined : length;
    const refused = this.nextHopRefusal(statusCode, header(headers, "location"));
    if (refused) controller.abort(refused);
    else this.inner.onResponseStart?.(controller, statusCode, headers, statusMessage);
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.inner.onResponseData?.(controller, chunk);
  }

  onResponseEnd(controller: Dispatcher.DispatchController, trailers: HeaderMap): void {
    this.inner.onResponseEnd?.(controller, trailers);
  }

  onResponseError(controller: Dispatcher.DispatchController, error: Error): void {
    this.inner.onResponseError?.(controller, error);
  }

  /** Why the redirect undici is about to follow must not be, if it is one it will follow. */
  private nextHopRefusal(status: number, location: string | undefined): Error | undefined {
    const { hops, maxRedirects, current } = this.trip;
    if (!FOLLOWED.has(status) || !location || !current || hops.length > maxRedirects) return undefined;
    let next: URL;
    try {
      next = new URL(location, current);
    } catch (err) {
      return err as Error;
    }
    const checked = checkHop(next.href, current, this.trip.refuse);
    if (typeof checked === "string") return new RefusedHop(checked);
    // undici throws on a loop; one never ends, so it is reported as following it would be.
    next.hash = "";
    if (hops.some((hop) => hop.href === next.href))
      return new RefusedHop(`more than ${maxRedirects} redirects`);
    return undefined;
  }
}

export function header(headers: HeaderMap, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

/** The host as a connection takes it: an IPv6 address without its brackets. */
export function bareHost(url: URL): string {
  return url.hostname.replace(/^\[(.*)\]$/, "$1");
}

export function refusedMessage(where: string, host: string, address: string, kind: RefusedKind): string {
  const what = host === address ? `${address} (${kind} address)` : `${host} (${address}, ${kind} address)`;
  const hint = kind === "cloud metadata" ? "" : "; FEEDS_ALLOW_PRIVATE=true allows internal feeds";
  return `refused: ${where}${what}${hint}`;
}
