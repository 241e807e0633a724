import { type Agent, type ClientRequest, request as httpRequest, type IncomingMessage } from "node:http";
import { request as httpsRequest } from "node:https";

/** What grammY hands its `fetch`: a JSON body as a string for every call without a file upload. */
interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal;
  /** grammY's keep-alive agent for the API root (baseFetchConfig). */
  agent?: Agent;
}

/** The part of a fetch Response grammY reads. */
interface LeanResponse {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}

type Fetch = (url: string, init?: FetchInit) => Promise<LeanResponse>;

interface Target {
  https: boolean;
  hostname: string;
  port: string;
  path: string;
}

const TARGETS_KEPT = 256;

/**
 * A `fetch` for grammY that sends JSON calls straight through Node's http(s).request on grammY's
 * keep-alive agent. node-fetch's Request, Headers and body streams cost about as much CPU per
 * alert as the rest of a send; Telegram's answers are small JSON, read whole. Anything that is not
 * a JSON string (a file upload's form data) goes to `fallback`. Errors keep Node's `code`
 * (ECONNREFUSED, ECONNRESET, …), which the delivery rules read to tell a request that never left
 * from one whose answer was lost.
 */
export function leanFetch(fallback: Fetch): Fetch {
  // One entry per method: the URL of a call differs only in the method's name.
  const targets = new Map<string, Target>();
  function target(url: string): Target {
    let found = targets.get(url);
    if (!found) {
      const u = new URL(url);
      // An IPv6 host comes in brackets, which http.request does not take.
      const hostname = u.hostname.startsWith("[") ? u.hostname.slice(1, -1) : u.hostname;
      found = { https: u.protocol === "https:", hostname, port: u.port, path: u.pathname + u.search };
      if (targets.size >= TARGETS_KEPT) targets.clear();
      targets.set(url, found);
    }
    return found;
  }

  return (url, init = {}) => {
    const { body, signal } = init;
    if (typeof body !== "string") return fallback(url, init);
    return new Promise<LeanResponse>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const to = target(url);
      let req: ClientRequest | undefined;
      const onAbort = (): void => {
        req?.destroy(signal?.reason instanceof Error ? signal.reason : new Error("aborted"));
      };
      const onResponse = (res: IncomingMessage): void => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("error", fail);
        res.on("end", () => {
          signal?.removeEventListener("abort", onAbort);
          const text =
            chunks.length === 1
              ? (chunks[0] as Buffer).toString("utf8")
              : Buffer.concat(chunks).toString("utf8");
          const status = res.statusCode ?? 0;
          resolve({ ok: status >= 200 && status < 300, status, json: async () => JSON.parse(text) });
        });
      };
      function fail(error: unknown): void {
        signal?.removeEventListener("abort", onAbort);
        reject(error);
      }
      req = (to.https ? httpsRequest : httpRequest)(
        {
          method: init.method ?? "POST",
          hostname: to.hostname,
          port: to.port,
          path: to.path,
          ...(init.agent ? { agent: init.agent } : {}),
          headers: {
            "content-type": "application/json",
            "content-length": Buffer.byteLength(body),
            connection: "keep-alive",
          },
        },
        onResponse,
      );
      req.on("error", fail);
      signal?.addEventListener("abort", onAbort, { once: true });
      req.end(body);
    });
  };
}
