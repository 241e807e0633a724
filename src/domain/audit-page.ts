import { DateTime } from "luxon";
import { oneLine } from "./audit.ts";
import type { Language } from "./catalog.ts";
import { dayAndTime } from "./clock.ts";

export const AUDIT_PAGE_SIZE = 10;
/** Pages further back cost a longer read; 90 days of a newsroom fit well within this. */
export const AUDIT_MAX_PAGE = 999;
/** Details and names are cut shorter in the list than in the stream, so ten lines fit one message. */
export const AUDIT_DETAIL_SHOWN = 120;

const PREFIX = "adm:audit:";

export function auditCallbackData(page: number): string {
  return `${PREFIX}${page}`;
}

export const AUDIT_CALLBACK = /^adm:audit:(\d{1,6})$/;

/** The page a button asks for, or undefined for data that is not an audit page within range. */
export function parseAuditPage(data: string): number | undefined {
  const match = AUDIT_CALLBACK.exec(data);
  if (!match) return undefined;
  const page = Number(match[1]);
  return page <= AUDIT_MAX_PAGE ? page : undefined;
}

/** Which neighbours the ◀ ▶ buttons lead to: ◀ to newer entries, ▶ to older ones. */
export function auditNav(page: number, more: boolean): { prev?: number; next?: number } {
  return {
    ...(page > 0 ? { prev: Math.min(page - 1, AUDIT_MAX_PAGE) } : {}),
    ...(more && page < AUDIT_MAX_PAGE ? { next: page + 1 } : {}),
  };
}

/**
 * When an entry happened, in the admin's time zone and language: day, month and time, with the
 * year only when it is not the current one. An unknown zone falls back to UTC.
 */
export function auditTime(at: string, zone: string, lang: Language, now: DateTime): string {
  let when = DateTime.fromISO(at, { zone: "utc" }).setZone(zone);
  let today = now.setZone(zone);
  if (!when.isValid || !today.isValid) {
    when = DateTime.fromISO(at, { zone: "utc" });
    today = now.setZone("utc");
  }
  if (!when.isValid) return oneLine(at, 40);
  return dayAndTime(when, lang, { year: when.year !== today.year });
}

/** A detail as the list shows it: one line, shortened. */
export function shownDetail(detail: string | undefined): string {
  return detail === undefined ? "" : oneLine(detail, AUDIT_DETAIL_SHOWN);
}
