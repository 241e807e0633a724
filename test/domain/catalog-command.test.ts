import { describe, expect, it } from "vitest";
import { CATALOG_NAME_MAX, parseCatalogCommand } from "../../src/domain/catalog-command.ts";

describe("parseCatalogCommand", () => {
  it("reads nothing after /catalog as the list", () => {
    expect(parseCatalogCommand("")).toEqual({ action: "list" });
    expect(parseCatalogCommand("   \n ")).toEqual({ action: "list" });
  });

  it("reads add with slug, kind and both names, names keeping their inner spaces", () => {
    expect(parseCatalogCommand("add karabakh region Нагорный Карабах | Nagorno-Karabakh")).toEqual({
      action: "add",
      slug: "karabakh",
      kind: "region",
      nameRu: "Нагорный Карабах",
      nameEn: "Nagorno-Karabakh",
    });
  });

  it("accepts the verb and the kind in any case and collapses runs of spaces and line breaks in names", () => {
    expect(parseCatalogCommand("  ADD  media   Topic  Свобода \n  слова|Free   speech ")).toEqual({
      action: "add",
      slug: "media",
      kind: "topic",
      nameRu: "Свобода слова",
      nameEn: "Free speech",
    });
  });

  it("finds the names after the kind even when a name repeats the slug or the kind", () => {
    expect(parseCatalogCommand("add region region region | region")).toEqual({
      action: "add",
      slug: "region",
      kind: "region",
      nameRu: "region",
      nameEn: "region",
    });
  });

  it("refuses a malformed slug and says which", () => {
    expect(parseCatalogCommand("add Karabakh region A | B")).toEqual({ error: "bad-slug", slug: "Karabakh" });
    expect(parseCatalogCommand("archive kara_bakh")).toEqual({ error: "bad-slug", slug: "kara_bakh" });
    expect(parseCatalogCommand(`rename ${"a".repeat(33)} A | B`)).toMatchObject({ error: "bad-slug" });
  });

  it("shortens a long bad slug for the answer without splitting a character", () => {
    const result = parseCatalogCommand(`restore ${"😀".repeat(50)}`);
    expect(result).toEqual({ error: "bad-slug", slug: "😀".repeat(40) });
  });

  it("refuses a kind other than topic or region, quoting it without splitting a character", () => {
    expect(parseCatalogCommand("add karabakh country A | B")).toEqual({ error: "bad-kind", kind: "country" });
    const result = parseCatalogCommand(`add karabakh ${"🗺".repeat(30)} A | B`);
    expect(result).toEqual({ error: "bad-kind", kind: "🗺".repeat(20) });
  });

  it("asks for both names when they are missing, empty or not split by one bar", () => {
    for (const text of [
      "add karabakh region",
      "add karabakh region Карабах",
      "add karabakh region Карабах |",
      "add karabakh region | Karabakh",
      "add karabakh region A | B | C",
      "rename karabakh",
      "rename karabakh Карабах",
      "rename karabakh  |  ",
    ]) {
      expect(parseCatalogCommand(text), text).toEqual({ error: "names" });
    }
  });

  it("refuses a name longer than a menu button can show", () => {
    const long = "я".repeat(CATALOG_NAME_MAX + 1);
    expect(parseCatalogCommand(`add x topic ${long} | X`)).toEqual({ error: "name-too-long" });
    expect(parseCatalogCommand(`rename x X | ${long}`)).toEqual({ error: "name-too-long" });
    const fits = "я".repeat(CATALOG_NAME_MAX);
    expect(parseCatalogCommand(`rename x ${fits} | X`)).toMatchObject({ action: "rename", nameRu: fits });
  });

  it("reads rename, archive and restore", () => {
    expect(parseCatalogCommand("rename chechnya Чечня | Chechen Republic")).toEqual({
      action: "rename",
      slug: "chechnya",
      nameRu: "Чечня",
      nameEn: "Chechen Republic",
    });
    expect(parseCatalogCommand("archive chechnya")).toEqual({ action: "archive", slug: "chechnya" });
    expect(parseCatalogCommand("Restore chechnya")).toEqual({ action: "restore", slug: "chechnya" });
  });

  it("answers an unknown verb, a missing slug or extra words with the usage", () => {
    for (const text of [
      "list",
      "delete chechnya",
      "add",
      "add  ",
      "add karabakh",
      "rename",
      "archive",
      "archive a b",
    ]) {
      expect(parseCatalogCommand(text), text).toEqual({ error: "usage" });
    }
  });
});
