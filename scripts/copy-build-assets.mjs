// The compiled code reads some files at run time relative to its own module (src/store/lua.ts,
// src/telegram/i18n.ts, src/store/catalog-seed.ts). tsc copies none of them, so the build puts each
// where the compiled module looks for it, and dist/ runs on its own.
import { cpSync } from "node:fs";

const root = new URL("../", import.meta.url);
for (const [from, to] of [
  ["src/store/lua", "dist/src/store/lua"],
  ["locales", "dist/locales"],
  ["data", "dist/data"],
]) {
  cpSync(new URL(from, root), new URL(to, root), { recursive: true });
}
