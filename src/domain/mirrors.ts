/**
 * Links that open where the site is blocked: the admins map a link host to a mirror host, and
 * every link the bot renders to that host goes to the mirror, with the same path and query.
 */
import { escapeHtml } from "./html.ts";

/** Host → mirror host, both lower case. */
export type MirrorMap = ReadonlyMap<string, string>;

export const NO_MIRRORS: MirrorMap = new Map();

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** Why a value is not a host name; the admins' answer words each in their language. */
export type HostProblem = "empty" | "scheme" | "path" | "port" | "userinfo" | "name";

export const HOST_PROBLEMS: Readonly<Record<HostProblem, string>> = {
  empty: "is empty",
  scheme: "must be a host name without a scheme (no https://)",
  path: "must be a host name without a path",
  port: "must be a host name without a port",
  userinfo: "must be a host name without a user name",
  name: "must be a host name such as www.kavkaz-uzel.eu",
};

/**
 * A host name as an admin or LINK_MIRRORS gives it: a name only, no scheme, path or port, as an
 * article's url would hold it. Returns the lower-case name, or why it is not one.
 */
export function parseHost(value: string): { ok: true; host: string } | { ok: false; why: HostProblem } {
  const raw = value.trim().toLowerCase().replace(/\.$/, "");
  if (raw === "") return { ok: false, why: "empty" };
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(raw)) return { ok: false, why: "scheme" };
  if (/[/?#]/.test(raw)) return { ok: false, why: "path" };
  if (raw.includes("@")) return { ok: false, why: "userinfo" };
  if (raw.includes(":")) return { ok: false, why: "port" };
  const labels = raw.split(".");
  if (raw.length > 253 || labels.length < 2 || !labels.every((l) => LABEL.test(l)))
    return { ok: false, why: "name" };
  return { ok: true, host: raw };
}

/** `host=mirror,host=mirror` (LINK_MIRRORS): the map, or why the first bad entry is not one. */
export function parseMirrorList(
  value: string,
): { ok: true; map: Map<string, string> } | { ok: false; why: string } {
  const map = new Map<string, string>();
  for (const entry of value.split(",")) {
    if (entry.trim() === "") continue;
    const [from = "", to, ...extra] = entry.split("=");
    if (to === undefined || extra.length > 0) {
      return {
        ok: false,
        why: `must be host=mirror pairs separated by commas ("${entry.trim()}" is not one)`,
      };
    }
    const host = parseHost(from);
    if (!host.ok) return { ok: false, why: `"${from.trim()}" ${HOST_PROBLEMS[host.why]}` };
    const mirror = parseHost(to);
    if (!mirror.ok) return { ok: false, why: `"${to.trim()}" ${HOST_PROBLEMS[mirror.why]}` };
    if (host.host === mirror.host) return { ok: false, why: `"${host.host}" cannot be its own mirror` };
    map.set(host.host, mirror.host);
  }
  return { ok: true, map };
}

/** The link as readers should open it: through the host's mirror when it has one, else as it is. */
export function mirrorUrl(url: string, mirrors: MirrorMap): string {
  if (mirrors.size === 0 || !URL.canParse(url)) return url;
  const parsed = new URL(url);
  const mirror = mirrors.get(parsed.hostname);
  if (mirror === undefined || (parsed.protocol !== "http:" && parsed.protocol !== "https:")) return url;
  parsed.hostname = mirror;
  return parsed.href;
}

const HREF = /href="([^"]*)"/g;
const UNESCAPE: Readonly<Record<string, string>> = { "&amp;": "&", "&lt;": "<", "&gt;": ">", "&quot;": '"' };

/** Every link of Telegram HTML through the mirrors (the text around them unchanged). */
export function mirrorLinks(html: string, mirrors: MirrorMap): string {
  if (mirrors.size === 0) return html;
  return html.replace(HREF, (whole, escaped: string) => {
    const url = escaped.replace(/&(?:amp|lt|gt|quot);/g, (e) => UNESCAPE[e] ?? e);
    const mirrored = mirrorUrl(url, mirrors);
    return mirrored === url ? whole : `href="${escapeHtml(mirrored)}"`;
  });
}

export type MirrorCommand =
  | { action: "list" }
  | { action: "set"; host: string; mirror: string }
  | { action: "remove"; host: string }
  | { error: "usage" }
  | { error: "host"; value: string; why: HostProblem }
  | { error: "same"; host: string };

/** `/mirror`, `/mirror set <host> <mirror>`, `/mirror remove <host>`: what the admin asked for. */
export function parseMirrorCommand(args: string): MirrorCommand {
  const [verb = "", ...rest] = args.trim().split(/\s+/).filter(Boolean);
  if (verb === "") return { action: "list" };
  const hosts: string[] = [];
  for (const value of rest) {
    const parsed = parseHost(value);
    if (!parsed.ok) return { error: "host", value, why: parsed.why };
    hosts.push(parsed.host);
  }
  const [host, mirror] = hosts;
  if (verb === "set" && host !== undefined && mirror !== undefined && hosts.length === 2) {
    return host === mirror ? { error: "same", host } : { action: "set", host, mirror };
  }
  if (verb === "remove" && host !== undefined && hosts.length === 1) return { action: "remove", host };
  return { error: "usage" };
}
