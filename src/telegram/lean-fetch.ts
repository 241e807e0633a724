import { Pool } from "undici";

/** What grammY hands its `fetch`: a JSON body as a string for every call without a file upload. */
interface FetchInit {
  method?: string;
  headers?: Record<string, string>;
  body?: unknown;
  signal?: AbortSignal;
}

/** The part of a fetch Response grammY reads. */
interface LeanResponse {
  ok: boolean;
  status: number;
  json(): Promise<unknown>;
}

type Fetch = (url: string, init?: FetchInit) => Promise<LeanResponse>;

interface Target {
  pool: Pool;
  path: string;
}

const TARGETS_KEPT = 256;
const JSON_HEADERS = { "content-type": "application/json" };

/**
 * A `fetch` for grammY that sends JSON calls through undici's connection pool, one per Bot API
 * origin, with keep-alive connections. Measured per labelled send here, Node's `http.request`
 * costs about as much CPU as the rest of a delivery, and node-fetch's Request, Headers and body
 * streams more again; undici parses with llhttp and keeps far fewer objects per call (see the
 * README, "Measured"). Anything that is not a JSON string (a file upload's form data) goes to
 * `fallback`. A request that never connected keeps its socket error's `code` (ECONNREFUSED,
 * ENOTFOUND, …), which the delivery rules read to tell a request that never left from one whose
 * answer was lost; undici does not send a POST again by itself.
 */
export function leanFetch(fallback: Fetch): Fetch {
  const pools = new Map<string, Pool>();
  // One entry per method: the URL of a call differs only in the method's name.
  const targets = new Map<string, Target>();
  function target(url: string): Target {
    let found = targets.get(url);
    if (!found) {
      const u = new URL(url);
      let pool = pools.get(u.origin);
      if (!pool) {
        pool = new Pool(u.origin);
        pools.set(u.origin, pool);
      }
      found = { pool, path: u.pathname + u.search };
      if (targets.size >= TARGETS_KEPT) targets.clear();
      targets.set(url, found);
    }
    return found;
  }

  return async (url, init = {}) => {
    const { body, signal } = init;
    if (typeof body !== "string") return fallback(url, init);
    const { pool, path } = target(url);
    const response = await pool.request({
      method: (init.method ?? "POST") as "POST",
      path,
      headers: JSON_HEADERS,
      body,
      // grammY's signal (its abort-controller shim): undici takes any EventTarget.
      ...(signal ? { signal: signal as never } : {}),
    });
    const text = await response.body.text();
    const status = response.statusCode;
    return { ok: status >= 200 && status < 300, status, json: async () => JSON.parse(text) };
  };
}
