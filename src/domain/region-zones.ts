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

/**
 * The regions' main cities, in Russian and English, for /timezone: the zone search knows the
 * cities IANA names ("Tbilisi", "Москва"), not Makhachkala or Nalchik, where the readers are.
 */
const CITY_ZONES: Readonly<Record<string, readonly string[]>> = {
  "Europe/Moscow": [
    "Грозный Grozny",
    "Махачкала Makhachkala",
    "Дербент Derbent",
    "Хасавюрт Khasavyurt",
    "Магас Magas",
    "Назрань Nazran",
    "Нальчик Nalchik",
    "Черкесск Cherkessk",
    "Владикавказ Vladikavkaz",
    "Майкоп Maykop",
    "Краснодар Krasnodar",
    "Сочи Sochi",
    "Новороссийск Novorossiysk",
    "Ставрополь Stavropol",
    "Пятигорск Pyatigorsk",
    "Кисловодск Kislovodsk",
    "Ростов-на-Дону Rostov-on-Don",
    "Элиста Elista",
    "Сухум Sukhum Sukhumi",
    "Цхинвал Tskhinval Tskhinvali",
  ],
  "Europe/Astrakhan": ["Астрахань Astrakhan"],
  "Europe/Volgograd": ["Волгоград Volgograd"],
  "Asia/Tbilisi": ["Тбилиси Tbilisi", "Батуми Batumi", "Кутаиси Kutaisi"],
  "Asia/Yerevan": ["Ереван Yerevan", "Гюмри Gyumri"],
  "Asia/Baku": ["Баку Baku", "Гянджа Ganja", "Степанакерт Stepanakert Ханкенди Khankendi"],
};

/** The zones of the regions' cities whose name starts with `query` (3 letters at least), any case, ё = е. */
export function zonesOfCities(query: string): string[] {
  const fold = (s: string) => s.toLocaleLowerCase("ru").replace(/ё/g, "е").trim();
  const q = fold(query);
  if ([...q].length < 3) return [];
  return Object.entries(CITY_ZONES)
    .filter(([, cities]) =>
      cities.some((names) =>
        fold(names)
          .split(" ")
          .some((name) => name.startsWith(q)),
      ),
    )
    .map(([zone]) => zone);
}

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
