/**
 * Links that open where the site is blocked: the admins map a link host to a mirror host, and
 * every link the bot renders to that host goes to the mirror, with the same path and query.
 */
import { escapeHtml } from "./html.ts";

/** Host → mirror host, both lower case. */
export type MirrorMap = ReadonlyMap<string, string>;

export const NO_MIRRORS: MirrorMap = new Map();

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/**
 * A host name as an admin or LINK_MIRRORS gives it: a name only, no scheme, path or port, as an
 * article's url would hold it. Returns the lower-case name, or why it is not one.
 */
export function parseHost(value: string): { ok: true; host: string } | { ok: false; why: string } {
  const raw = value.trim().toLowerCase().replace(/\.$/, "");
  if (raw === "") return { ok: false, why: "is empty" };
  if (/^[a-z][a-z0-9+.-]*:\/\//.test(raw))
    return { ok: false, why: "must be a host name without a scheme (no https://)" };
  if (/[/?#]/.test(raw)) return { ok: false, why: "must be a host name without a path" };
  if (raw.includes(":")) return { ok: false, why: "must be a host name without a port" };
  if (raw.includes("@")) return { ok: false, why: "must be a host name without a user name" };
  const labels = raw.split(".");
  if (raw.length > 253 || labels.length < 2 || !labels.every((l) => LABEL.test(l))) {
    return { ok: false, why: "must be a host name such as www.kavkaz-uzel.eu" };
  }
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
    if (!host.ok) return { ok: false, why: `"${from.trim()}" ${host.why}` };
    const mirror = parseHost(to);
    if (!mirror.ok) return { ok: false, why: `"${to.trim()}" ${mirror.why}` };
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

/** Whether a link goes to `host` (or to its mirror): what a change of that host's mirror touches. */
export function linksTo(url: string, host: string): boolean {
  return URL.canParse(url) && new URL(url).hostname === host;
}
