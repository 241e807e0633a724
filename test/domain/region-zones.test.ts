import { IANAZone } from "luxon";
import { describe, expect, it } from "vitest";
import { REGION_ZONES, zonesOfCities, zonesOfRegions } from "../../src/domain/region-zones.ts";

describe("the regions' time zones", () => {
  it("names a valid zone for every region of the agency's catalogue", () => {
    for (const zone of Object.values(REGION_ZONES)) expect(IANAZone.isValidZone(zone)).toBe(true);
  });

  it("groups regions by zone, most regions first, whatever order the catalogue comes in", () => {
    const regions = [
      { slug: "georgia", name: "Georgia" },
      { slug: "dagestan", name: "Dagestan" },
      { slug: "narnia", name: "Narnia" },
      { slug: "karabakh", name: "Nagorno-Karabakh" },
      { slug: "north-caucasus", name: "North Caucasus" },
      { slug: "azerbaijan", name: "Azerbaijan" },
      { slug: "chechnya", name: "Chechnya" },
    ];
    expect(zonesOfRegions(regions)).toEqual([
      { zone: "Europe/Moscow", regions: ["North Caucasus", "Chechnya", "Dagestan"] },
      { zone: "Asia/Baku", regions: ["Azerbaijan", "Nagorno-Karabakh"] },
      { zone: "Asia/Tbilisi", regions: ["Georgia"] },
    ]);
    expect(zonesOfRegions([...regions].reverse())).toEqual(zonesOfRegions(regions));
  });
});

describe("the regions' cities", () => {
  it("finds the zone of a region's city by the start of its Russian or English name", () => {
    expect(zonesOfCities("Махачкала")).toEqual(["Europe/Moscow"]);
    expect(zonesOfCities("nalch")).toEqual(["Europe/Moscow"]);
    expect(zonesOfCities("ханкенди")).toEqual(["Asia/Baku"]);
    expect(zonesOfCities("BATUMI")).toEqual(["Asia/Tbilisi"]);
    expect(zonesOfCities("Ростов")).toEqual(["Europe/Moscow"]);
  });

  it("needs three letters and finds nothing for other places", () => {
    expect(zonesOfCities("Ма")).toEqual([]);
    expect(zonesOfCities("Berlin")).toEqual([]);
    expect(zonesOfCities("")).toEqual([]);
  });
});
