import { Api } from "grammy";
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
    // Alerts are JSON calls: sent without node-fetch's per-call objects (a file upload still uses fetch).
    fetch: leanFetch(globalThis.fetch as never) as never,
  });
  installLabel(api, config.label);
  return api;
}
