import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { CatalogParseError, isValidSlug, parseCatalogCsv, sortForReader } from "../../src/domain/catalog.ts";

const seed = readFileSync(new URL("../../data/catalog.csv", import.meta.url), "utf8");

describe("catalogue", () => {
  it("parses every row of the default catalogue with its slug, kind and both names", () => {
    const entries = parseCatalogCsv(seed);
    expect(entries).toHaveLength(33);
    expect(entries.filter((e) => e.kind === "region")).toHaveLength(21);
    expect(entries.find((e) => e.slug === "karabakh")).toEqual({
      slug: "karabakh",
      kind: "region",
      nameRu: "Нагорный Карабах",
      nameEn: "Nagorno-Karabakh",
      state: "active",
    });
  });

  it("accepts only slugs that fit a /start deep link", () => {
    expect(isValidSlug("north-caucasus")).toBe(true);
    expect(isValidSlug("a".repeat(32))).toBe(true);
    for (const bad of ["", "a".repeat(33), "Chechnya", "north_caucasus", "с", "a b", "a/b"]) {
      expect(isValidSlug(bad)).toBe(false);
    }
  });

  it("rejects a seed with a bad row, naming the line", () => {
    expect(() => parseCatalogCsv("slug,kind,name_ru,name_en\nok,topic,А,A\nBad,topic,Б,B")).toThrow(
      new CatalogParseError('line 3: bad slug "Bad"'),
    );
    expect(() => parseCatalogCsv("slug,kind,name_ru,name_en\nok,city,А,A")).toThrow(/line 2: bad kind/);
    expect(() => parseCatalogCsv("slug,kind,name_ru,name_en\nok,topic,А,A\nok,topic,Б,B")).toThrow(
      /duplicate/,
    );
    expect(() => parseCatalogCsv("name\nx")).toThrow(/header/);
  });

  it("sorts entries by the name the reader sees", () => {
    const entries = parseCatalogCsv(seed).filter((e) => ["georgia", "armenia", "abkhazia"].includes(e.slug));
    expect(sortForReader(entries, "en").map((e) => e.nameEn)).toEqual(["Abkhazia", "Armenia", "Georgia"]);
    expect(sortForReader(entries, "ru").map((e) => e.nameRu)).toEqual(["Абхазия", "Армения", "Грузия"]);
  });
});
