import { readFileSync } from "node:fs";
import { type CatalogEntry, parseCatalogCsv } from "../domain/catalog.ts";

const SEED_FILE = new URL("../../data/catalog.csv", import.meta.url);

/** The default regions and topics every new installation starts with. */
export function defaultCatalog(): CatalogEntry[] {
  return parseCatalogCsv(readFileSync(SEED_FILE, "utf8"));
}
