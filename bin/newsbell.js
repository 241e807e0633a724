#!/usr/bin/env node
// Runs the compiled CLI (`npm run build` writes dist/). Development and the tests run the
// TypeScript sources instead: `node --import tsx src/cli.ts`.
import { existsSync } from "node:fs";

const cli = new URL("../dist/src/cli.js", import.meta.url);
if (!existsSync(cli)) {
  process.stderr.write("newsbell: dist/ is missing: run npm run build first\n");
  process.exit(1);
}
await import(cli.href);
