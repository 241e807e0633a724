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

  /** Seeds once: after the first start the catalogue belongs to the admins. */
  async seedOnce(entries: readonly CatalogEntry[]): Promise<boolean> {
    const first = await this.redis.set(this.keys.catalogSeeded, new Date().toISOString(), "NX");
    if (first !== "OK") return false;
    const pipeline = this.redis.pipeline();
    for (const entry of entries) pipeline.hsetnx(this.keys.catalog, entry.slug, encodeEntry(entry));
    await pipeline.exec();
    return true;
  }

  async all(): Promise<CatalogEntry[]> {
    const raw = await this.redis.hgetall(this.keys.catalog);
    return Object.entries(raw).flatMap(([slug, value]) => decodeEntry(slug, value) ?? []);
  }

  async get(slug: string): Promise<CatalogEntry | undefined> {
    const raw = await this.redis.hget(this.keys.catalog, slug);
    return raw === null ? undefined : decodeEntry(slug, raw);
  }

  async put(entry: CatalogEntry): Promise<void> {
    await this.redis.hset(this.keys.catalog, entry.slug, encodeEntry(entry));
  }
}
