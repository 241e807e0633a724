import { IANAZone } from "luxon";

/**
 * The clocks of the agency's regions. The catalogue has no time zones of its own (a region is a
 * slug and two names), so the regions the agency covers are mapped here; a region an admin adds
 * later has none until it is added here, and /timezone's search still finds its zone.
 * Abkhazia and South Ossetia keep Moscow time in practice, whatever the IANA zone of Georgia says.
 */
export const REGION_ZONES: Readonly<Record<string, string>> = {
  "north-caucasus": "Europe/Moscow",
  "south-russia": "Europe/Moscow",
  chechnya: "Europe/Moscow",
  dagestan: "Europe/Moscow",
  ingushetia: "Europe/Moscow",
  "kabardino-balkaria": "Europe/Moscow",
  "karachay-cherkessia": "Europe/Moscow",
  "north-ossetia": "Europe/Moscow",
  adygea: "Europe/Moscow",
  krasnodar: "Europe/Moscow",
  stavropol: "Europe/Moscow",
  rostov: "Europe/Moscow",
  kalmykia: "Europe/Moscow",
  astrakhan: "Europe/Astrakhan",
  volgograd: "Europe/Volgograd",
  georgia: "Asia/Tbilisi",
  abkhazia: "Europe/Moscow",
  "south-ossetia": "Europe/Moscow",
  armenia: "Asia/Yerevan",
  azerbaijan: "Asia/Baku",
  karabakh: "Asia/Baku",
};

export interface RegionZone {
  zone: string;
  /** The regions whose clocks show this zone's time, in the order given. */
  regions: string[];
}

/**
 * The distinct zones of the given regions (slug and the name to show), each with the names of its
 * regions; regions without a known zone are left out. Zones with more regions come first, and
 * within a zone the regions keep the order of REGION_ZONES (the broad ones, "North Caucasus",
 * first), so the buttons read the same whatever order the catalogue is stored in.
 */
export function zonesOfRegions(regions: readonly { slug: string; name: string }[]): RegionZone[] {
  const order = Object.keys(REGION_ZONES);
  const known = regions
    .filter((r) => {
      const zone = REGION_ZONES[r.slug];
      return zone !== undefined && IANAZone.isValidZone(zone);
    })
    .sort((a, b) => order.indexOf(a.slug) - order.indexOf(b.slug));
  const byZone = new Map<string, string[]>();
  for (const region of known) {
    const zone = REGION_ZONES[region.slug] as string;
    byZone.set(zone, [...(byZone.get(zone) ?? []), region.name]);
  }
  // A stable sort: zones with as many regions keep the order of their first region.
  return [...byZone]
    .map(([zone, names]) => ({ zone, regions: names }))
    .sort((a, b) => b.regions.length - a.regions.length);
}
