import { readFileSync } from "node:fs";
import type { Redis } from "ioredis";

type ScriptFn = (keys: (string | number)[], args: (string | number)[]) => Promise<unknown>;

/**
 * A line `--- @include "<name>"` in a script: replaced by `src/store/lua/includes/<name>.lua`, so
 * a rule several scripts share (a local function) is written once, as BullMQ does with its
 * `includes/`. Redis gets one self-contained script, and its SHA covers the included text.
 */
const INCLUDE = /^--- @include "([a-z0-9-]+)"$/gm;

function readLuaFile(path: string): string {
  return readFileSync(new URL(`./lua/${path}.lua`, import.meta.url), "utf8");
}

/**
 * The text of `src/store/lua/<name>.lua`, whose header names its KEYS and ARGV, with its includes
 * joined in. Found beside this module, so it works from the sources (tsx) and in tests alike;
 * call it at module load, so each file is read once per process.
 */
export function readLua(name: string): string {
  return readLuaFile(name).replace(INCLUDE, (_, include: string) =>
    readLuaFile(`includes/${include}`).trimEnd(),
  );
}

/** ioredis sends defined commands with EVALSHA and falls back to EVAL once per connection. */
export function defineScript(redis: Redis, name: string, lua: string): ScriptFn {
  const commands = redis as unknown as Record<
    string,
    ((...a: (string | number)[]) => Promise<unknown>) | undefined
  >;
  if (!commands[name]) redis.defineCommand(name, { lua });
  return (keys, args) => {
    const fn = commands[name];
    if (!fn) throw new Error(`script ${name} is not defined`);
    return fn.call(redis, keys.length, ...keys, ...args);
  };
}

/** A store's scripts by the names it calls them: each a Redis command name and its text (readLua). */
export type ScriptTable<N extends string> = Record<N, readonly [command: string, lua: string]>;

/** Every script of a store's table defined on its connection (see defineScript), by the same names. */
export function defineScripts<N extends string>(redis: Redis, table: ScriptTable<N>): Record<N, ScriptFn> {
  const defined = {} as Record<N, ScriptFn>;
  for (const name of Object.keys(table) as N[]) {
    const [command, lua] = table[name];
    defined[name] = defineScript(redis, command, lua);
  }
  return defined;
}
