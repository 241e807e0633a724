import { describe, expect, it } from "vitest";
import type { CatalogEntry } from "../../src/domain/catalog.ts";
import { catalogListing } from "../../src/domain/catalog-listing.ts";

const entry = (
  slug: string,
  kind: "topic" | "region",
  nameRu: string,
  nameEn: string,
  state: "active" | "archived" = "active",
): CatalogEntry => ({ slug, kind, nameRu, nameEn, state });

const entries = [
  entry("dagestan", "region", "Дагестан", "Dagestan"),
  entry("abkhazia", "region", "Абхазия", "Abkhazia"),
  entry("chechnya", "region", "Чечня", "Chechnya", "archived"),
  entry("elections", "topic", "Выборы", "Elections"),
  entry("courts", "topic", "Суды", "Courts"),
];

describe("catalogListing", () => {
  it("groups topics first, then regions, each sorted by the name in the admin's language", () => {
    const ru = catalogListing(entries, new Map(), "ru");
    expect(ru.map((g) => g.kind)).toEqual(["topic", "region"]);
    expect(ru[0]?.rows.map((r) => r.name)).toEqual(["Выборы", "Суды"]);
    expect(ru[1]?.rows.map((r) => r.name)).toEqual(["Абхазия", "Дагестан", "Чечня"]);
    const en = catalogListing(entries, new Map(), "en");
    expect(en[0]?.rows.map((r) => r.name)).toEqual(["Courts", "Elections"]);
  });

  it("keeps archived entries, marked by their state, with their subscribers", () => {
    const [, regions] = catalogListing(entries, new Map([["chechnya", 12]]), "en");
    expect(regions?.rows.find((r) => r.slug === "chechnya")).toEqual({
      slug: "chechnya",
      name: "Chechnya",
      state: "archived",
      subscribers: 12,
    });
  });

  it("shows 0 for a slug nobody follows and never a negative count", () => {
    const [topics] = catalogListing(entries, new Map([["courts", -1]]), "en");
    expect(topics?.rows.map((r) => r.subscribers)).toEqual([0, 0]);
  });

  it("orders entries with the same name by slug, so the list never reshuffles", () => {
    const twins = [entry("b-twin", "topic", "Двойник", "Twin"), entry("a-twin", "topic", "Двойник", "Twin")];
    expect(catalogListing(twins, new Map(), "ru")[0]?.rows.map((r) => r.slug)).toEqual(["a-twin", "b-twin"]);
  });

  it("gives empty groups for an empty catalogue", () => {
    expect(catalogListing([], new Map(), "ru")).toEqual([
      { kind: "topic", rows: [] },
      { kind: "region", rows: [] },
    ]);
  });
});
