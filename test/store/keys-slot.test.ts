import { describe, expect, it } from "vitest";
import { redisKeys } from "../../src/store/keys.ts";

describe("Redis keys", () => {
  it("all begin with the prefix, so a {tag} prefix keeps every key in one Redis Cluster slot", () => {
    const keys = redisKeys("{nb}");
    const built: string[] = [];
    for (const [name, value] of Object.entries(keys)) {
      if (name === "prefix") continue;
      if (typeof value === "string") built.push(value);
      else if (typeof value === "function") {
        // Every key builder takes ids, seqs, slugs or shard numbers: try a number and a text.
        const build = value as (...args: unknown[]) => unknown;
        for (const args of [
          [7, 3],
          ["slug", 3],
        ]) {
          const key = build(...args);
          if (typeof key === "string") built.push(key);
        }
      }
    }
    expect(built.length).toBeGreaterThan(30);
    expect(built.filter((key) => !key.startsWith("{nb}:"))).toEqual([]);
  });
});
