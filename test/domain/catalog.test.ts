import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  CatalogParseError,
  findEntry,
  followingTier,
  isValidSlug,
  parseCatalogCsv,
  sortForReader,
} from "../../src/domain/catalog.ts";

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

  it("puts the regions most followed first, so that Чечня is on the first page, and then sorts by name", () => {
    const regions = parseCatalogCsv(seed).filter((e) => e.kind === "region");
    const alphabetical = sortForReader(regions, "ru").map((e) => e.slug);
    expect(alphabetical.indexOf("chechnya")).toBeGreaterThanOrEqual(12);
    const subscribers = new Map([
      ["chechnya", 21_044],
      ["dagestan", 17_932],
      ["ingushetia", 3_120],
      ["abkhazia", 40],
    ]);
    const ordered = sortForReader(regions, "ru", subscribers).map((e) => e.slug);
    expect(ordered.slice(0, 4)).toEqual(["dagestan", "chechnya", "ingushetia", "abkhazia"]);
    expect(ordered.slice(4)).toEqual(alphabetical.filter((s) => !subscribers.has(s)));
  });

  it("moves an entry only when its following grows by an order of magnitude, not at each reader's tap", () => {
    const regions = parseCatalogCsv(seed).filter((e) => ["georgia", "armenia", "abkhazia"].includes(e.slug));
    const order = (georgia: number) =>
      sortForReader(
        regions,
        "en",
        new Map([
          ["georgia", georgia],
          ["armenia", 3],
        ]),
      ).map((e) => e.nameEn);
    expect(order(0)).toEqual(["Abkhazia", "Armenia", "Georgia"]);
    expect(order(8)).toEqual(["Abkhazia", "Armenia", "Georgia"]);
    expect(order(9)).toEqual(["Georgia", "Abkhazia", "Armenia"]);
    expect(followingTier(0)).toBe(0);
    expect(followingTier(98)).toBe(1);
    expect(followingTier(21_044)).toBe(4);
  });

  it("finds an entry by its slug or its Russian or English name, whatever the case, with ё as е", () => {
    const entries = parseCatalogCsv(seed);
    const slugOf = (typed: string) => findEntry(entries, typed)?.slug;
    expect(slugOf("Чечня")).toBe("chechnya");
    expect(slugOf("чечня")).toBe("chechnya");
    expect(slugOf("CHECHNYA")).toBe("chechnya");
    expect(slugOf("  Chechnya ")).toBe("chechnya");
    expect(slugOf("Вооруженные конфликты")).toBe("armed-conflicts");
    expect(slugOf("вооружённые КОНФЛИКТЫ")).toBe("armed-conflicts");
    expect(slugOf("Kabardino Balkaria")).toBe("kabardino-balkaria");
    expect(slugOf("north ossetia")).toBe("north-ossetia");
    expect(slugOf("Северная Осетия")).toBe("north-ossetia");
    expect(slugOf("Courts and prosecutions")).toBe("courts");
  });

  it("finds an entry by a beginning of 3 or more letters only when no other entry begins so", () => {
    const entries = parseCatalogCsv(seed);
    const slugOf = (typed: string) => findEntry(entries, typed)?.slug;
    expect(slugOf("Карачаево")).toBe("karachay-cherkessia");
    expect(slugOf("ингуш")).toBe("ingushetia");
    // Северный Кавказ and Северная Осетия both begin so: neither is guessed.
    expect(slugOf("Север")).toBeUndefined();
    expect(slugOf("че")).toBeUndefined();
    expect(slugOf("football")).toBeUndefined();
    expect(slugOf("")).toBeUndefined();
  });

  it("prefers an active entry to an archived one of the same name, and finds an archived one by its own", () => {
    const entries = [
      {
        slug: "old-courts",
        kind: "topic" as const,
        nameRu: "Суды",
        nameEn: "Courts",
        state: "archived" as const,
      },
      { slug: "courts", kind: "topic" as const, nameRu: "Суды", nameEn: "Courts", state: "active" as const },
    ];
    expect(findEntry(entries, "суды")?.slug).toBe("courts");
    expect(findEntry(entries, "old-courts")?.slug).toBe("old-courts");
  });
});
