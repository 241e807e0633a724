import { readdirSync, readFileSync } from "node:fs";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { readLua } from "../../src/store/lua.ts";
import { SHARED_REDIS_URL } from "../support/redis.ts";

const redis = new Redis(SHARED_REDIS_URL);
const scriptPath = (name: string) => new URL(`../../src/store/lua/${name}.lua`, import.meta.url);
const names = readdirSync(new URL("../../src/store/lua/", import.meta.url))
  .filter((file) => file.endsWith(".lua"))
  .map((file) => file.slice(0, -".lua".length));

afterAll(() => {
  redis.disconnect();
});

describe("the store's Lua scripts", () => {
  it("are found beside the store's sources", () => {
    expect(names.length).toBeGreaterThan(0);
  });

  for (const name of names) {
    it(`${name}.lua opens with a header naming its KEYS, ARGV and output, and Redis compiles it`, async () => {
      const lua = readLua(name);
      const header = lua.slice(0, lua.indexOf("]]"));
      expect(lua.startsWith("--[[")).toBe(true);
      expect(header).toMatch(/Input:[\s\S]*KEYS\[1\][\s\S]*ARGV[\s\S]*Output:/);
      expect(await redis.script("LOAD", lua)).toMatch(/^[0-9a-f]{40}$/);
    });
  }

  it("are read with their includes joined in, so Redis never sees an include line", () => {
    const including = names.filter((name) => readLua(name) !== readFileSync(scriptPath(name), "utf8"));
    expect(including).toEqual(expect.arrayContaining(["advance-fanout", "route-fanout", "settle-delivery"]));
    for (const name of names) expect(readLua(name)).not.toContain("@include");
    for (const name of including) expect(readLua(name)).toContain("local function deliveryFinished");
  });
});
