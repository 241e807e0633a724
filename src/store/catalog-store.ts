import type { Redis } from "ioredis";
import type { CatalogEntry } from "../domain/catalog.ts";
import type { RedisKeys } from "./keys.ts";

function decodeEntry(slug: string, raw: string): CatalogEntry | undefined {
  try {
    const v = JSON.parse(raw) as Omit<CatalogEntry, "slug">;
    return { slug, kind: v.kind, nameRu: v.nameRu, nameEn: v.nameEn, state: v.state };
  } catch {
    return undefined;
  }
}

function encodeEntry(entry: CatalogEntry): string {
  const { slug: _slug, ...rest } = entry;
  return JSON.stringify(rest);
}

export class CatalogStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  /**
   * Seeds once: after the first start the catalogue belongs to the admins. The entries and then
   * the flag go in one transaction, so a start that dies halfway leaves neither (with the flag
   * first, a crash left it set over an empty catalogue for good). HSETNX never overwrites, so two
   * first starts at once seed the same entries, and only one of them reports it.
   */
  async seedOnce(entries: readonly CatalogEntry[]): Promise<boolean> {
    if ((await this.redis.exists(this.keys.catalogSeeded)) === 1) return false;
    const transaction = this.redis.multi();
    for (const entry of entries) transaction.hsetnx(this.keys.catalog, entry.slug, encodeEntry(entry));
    transaction.set(this.keys.catalogSeeded, new Date().toISOString(), "NX");
    const results = await transaction.exec();
    if (results === null) throw new Error("seeding the catalogue was aborted");
    for (const [err] of results) if (err) throw err;
    return results.at(-1)?.[1] === "OK";
  }

  async all(): Promise<CatalogEntry[]> {
    const raw = await this.redis.hgetall(this.keys.catalog);
    return Object.entries(raw).flatMap(([slug, value]) => decodeEntry(slug, value) ?? []);
  }

  async get(slug: string): Promise<CatalogEntry | undefined> {
    const raw = await this.redis.hget(this.keys.catalog, slug);
    return raw === null ? undefined : decodeEntry(slug, raw);
  }

  /** Adds a new entry; false when the slug is taken (by an active or an archived entry). */
  async add(entry: CatalogEntry): Promise<boolean> {
    return (await this.redis.hsetnx(this.keys.catalog, entry.slug, encodeEntry(entry))) === 1;
  }

  async put(entry: CatalogEntry): Promise<void> {
    await this.redis.hset(this.keys.catalog, entry.slug, encodeEntry(entry));
  }
}
