/**
 * /timezone's search: a city or a UTC offset to IANA zone names.
 *
 * The city names searched are the English city part of every zone the runtime knows
 * ("Yekaterinburg", "New York", "Buenos Aires") and, because Intl has no Russian names for
 * cities as such, the names ICU gives the zones' time regions in Russian and English: these
 * name the large cities of Russia ("Москва", "Екатеринбург", "Владивосток", "Самара") and
 * countries ("Грузия", "Армения"), but not most other cities ("Берлин" finds nothing; "Berlin"
 * does). An offset ("+3", "UTC+03:00", "GMT-5:30", "−5") finds the zones on that offset at `now`.
 */
import { type DateTime, IANAZone } from "luxon";

export const DEFAULT_ZONE_RESULTS = 10;

// ICU still lists some zones under their old names; readers know the new ones.
const RENAMED: Readonly<Record<string, string>> = {
  "Africa/Asmera": "Africa/Asmara",
  "America/Indianapolis": "America/Indiana/Indianapolis",
  "America/Louisville": "America/Kentucky/Louisville",
  "America/Coral_Harbour": "America/Atikokan",
  "Asia/Calcutta": "Asia/Kolkata",
  "Asia/Katmandu": "Asia/Kathmandu",
  "Asia/Rangoon": "Asia/Yangon",
  "Asia/Saigon": "Asia/Ho_Chi_Minh",
  "Europe/Kiev": "Europe/Kyiv",
  "America/Buenos_Aires": "America/Argentina/Buenos_Aires",
  "America/Godthab": "America/Nuuk",
  "Atlantic/Faeroe": "Atlantic/Faroe",
  "Pacific/Truk": "Pacific/Chuuk",
  "Pacific/Ponape": "Pacific/Pohnpei",
  "Pacific/Enderbury": "Pacific/Kanton",
  "Asia/Dacca": "Asia/Dhaka",
  "Asia/Thimbu": "Asia/Thimphu",
  "Asia/Ulan_Bator": "Asia/Ulaanbaatar",
};

interface ZoneEntry {
  zone: string;
  /** The whole name, folded: "america/new york". */
  name: string;
  /** The English city part, folded: "new york". */
  city: string;
  /** The city part of the old name ICU lists it under ("kiev" for Europe/Kyiv), if renamed. */
  oldCity?: string;
  /** ICU's names of the zone's time region, folded, in Russian and English. */
  regions: string[];
}

let catalogue: ZoneEntry[] | undefined;

function fold(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(/ё/g, "е")
    .replace(/[_\s]+/g, " ")
    .trim();
}

function regionName(zone: string, locale: string, at: number): string | undefined {
  try {
    const part = new Intl.DateTimeFormat(locale, { timeZone: zone, timeZoneName: "longGeneric" })
      .formatToParts(at)
      .find((p) => p.type === "timeZoneName")?.value;
    // "Москва, стандартное время" → "москва"; "Moscow Standard Time" → "moscow".
    return part === undefined
      ? undefined
      : fold(part.replace(/,.*$/, "").replace(/\s+(standard\s+)?time$/i, ""));
  } catch {
    return undefined;
  }
}

// Built once per process, with the names the zones' regions have at the first search (Kyiv and
// Riga were on Moscow time once: the names depend on the date).
function zoneCatalogue(at: number): ZoneEntry[] {
  if (catalogue !== undefined) return catalogue;
  const names = typeof Intl.supportedValuesOf === "function" ? Intl.supportedValuesOf("timeZone") : [];
  const entries: ZoneEntry[] = [];
  const seen = new Set<string>();
  for (const listed of [...names, "UTC"]) {
    const renamed = RENAMED[listed];
    const zone = renamed !== undefined && IANAZone.isValidZone(renamed) ? renamed : listed;
    if (seen.has(zone) || !IANAZone.isValidZone(zone)) continue;
    seen.add(zone);
    const city = fold(zone.slice(zone.lastIndexOf("/") + 1));
    const regions = ["ru", "en"].flatMap((l) => regionName(zone, l, at) ?? []).filter((r) => !/^gmt/.test(r));
    const oldCity = zone === listed ? undefined : fold(listed.slice(listed.lastIndexOf("/") + 1));
    entries.push({ zone, name: fold(zone), city, regions, ...(oldCity !== undefined ? { oldCity } : {}) });
  }
  catalogue = entries;
  return entries;
}

const OFFSET = /^(?:utc|gmt|utc\s*\/\s*gmt)?\s*([+\-−–])\s*(\d{1,2})(?:\s*[:.]?\s*(\d{2}))?$/i;

/** Minutes east of UTC for "+3", "UTC+03:00", "-5:30"; undefined when the query is no offset. */
export function parseUtcOffset(query: string): number | undefined {
  const q = query.trim();
  if (/^(utc|gmt)$/i.test(q)) return 0;
  const m = OFFSET.exec(q);
  if (!m) return undefined;
  const hours = Number(m[2]);
  const minutes = m[3] === undefined ? 0 : Number(m[3]);
  if (hours > 14 || minutes > 59 || (hours === 14 && minutes > 0)) return undefined;
  const total = hours * 60 + minutes;
  return m[1] === "+" ? total : -total;
}

/**
 * Zones for a reader's query, best first, at most `limit`: `preferred` zones (the catalogue
 * regions', passed in) that match come first; then zones whose city is the query, whose city
 * starts with it, whose time region's name starts with it, whose city contains it. Every name
 * returned is valid for luxon (IANAZone.isValidZone). Garbage finds [].
 */
export function searchZones(
  query: string,
  now: DateTime,
  limit: number = DEFAULT_ZONE_RESULTS,
  preferred: readonly string[] = [],
): string[] {
  const q = fold(query);
  if (q === "" || q.length > 64 || limit <= 0) return [];
  const offset = parseUtcOffset(query);
  const ranked: { zone: string; rank: number }[] = [];
  const entries = zoneCatalogue(now.toMillis());
  if (offset !== undefined) {
    const at = now.toMillis();
    for (const e of entries) {
      if (IANAZone.create(e.zone).offset(at) === offset)
        ranked.push({ zone: e.zone, rank: e.zone === "UTC" ? 0 : 1 });
    }
  } else {
    if (!/[\p{L}\p{N}]/u.test(q)) return [];
    for (const e of entries) {
      const rank = matchRank(e, q);
      if (rank !== undefined) ranked.push({ zone: e.zone, rank });
    }
  }
  const preferredRank = new Map(preferred.map((z, i) => [z, i]));
  ranked.sort((a, b) => {
    const pa = preferredRank.get(a.zone) ?? Number.POSITIVE_INFINITY;
    const pb = preferredRank.get(b.zone) ?? Number.POSITIVE_INFINITY;
    if (pa !== pb) return pa - pb;
    return a.rank - b.rank || a.zone.localeCompare(b.zone);
  });
  return ranked.slice(0, limit).map((r) => r.zone);
}

function matchRank(e: ZoneEntry, q: string): number | undefined {
  if (e.name === q) return -1;
  if (e.city === q || e.oldCity === q) return 0;
  if (e.city.startsWith(q) || e.oldCity?.startsWith(q)) return 1;
  // A region named after a city ("москва"): the zone of that very city first.
  const region = e.regions.find((r) => r === q || r.startsWith(q));
  if (region !== undefined) return e.regions.some((r) => r.includes(e.city)) ? 2 : 3;
  if (q.length >= 3 && e.city.includes(q)) return 4;
  if (q.length >= 3 && e.regions.some((r) => r.includes(q))) return 5;
  return undefined;
}
