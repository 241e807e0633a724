import { Api } from "grammy";
import nodeFetch from "node-fetch";
import type { Config } from "../config.ts";
import { installLabel } from "./label-transformer.ts";
import { leanFetch } from "./lean-fetch.ts";

/** Every `Api` outside the bot comes from here, so none can skip the label. */
export function createApi(
  config: Pick<Config, "botToken" | "telegramApiRoot" | "label">,
  timeoutSeconds = 30,
): Api {
  const api = new Api(config.botToken, {
    apiRoot: config.telegramApiRoot,
    timeoutSeconds,
    // Alerts are JSON calls: sent without node-fetch's per-call objects. A file upload still goes
    // through node-fetch, grammY's own fetch on Node: Node's built-in fetch (Node 24) refuses the
    // AbortSignal of grammY's abort-controller shim, so no upload would ever leave.
    fetch: leanFetch(nodeFetch as never) as never,
  });
  installLabel(api, config.label);
  return api;
}
