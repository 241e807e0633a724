import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Redis } from "ioredis";
import { afterAll, beforeAll } from "vitest";
import { defaultCatalog } from "../../src/store/catalog-seed.ts";
import { CatalogStore } from "../../src/store/catalog-store.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "./redis.ts";
import { runCli } from "./run-cli.ts";

export interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

/**
 * The real CLI against a Redis prefix and a temporary folder of the calling test file's own,
 * with the default catalogue seeded; both go when the file's tests are done.
 */
export function cliFixture(name: string) {
  const prefix = testPrefix(name);
  const keys = redisKeys(prefix);
  const redis = new Redis(SHARED_REDIS_URL);
  const dir = mkdtempSync(join(tmpdir(), `newsbell-${name}-`));
  beforeAll(async () => {
    await new CatalogStore(redis, keys).seedOnce(defaultCatalog());
  });
  afterAll(async () => {
    await deletePrefix(redis, prefix);
    redis.disconnect();
    rmSync(dir, { recursive: true, force: true });
  });
  const env = { BOT_TOKEN: "1:x", REDIS_URL: SHARED_REDIS_URL, REDIS_PREFIX: prefix };
  return {
    prefix,
    keys,
    redis,
    dir,
    /** Runs the real CLI against this file's prefix. */
    newsbell: (args: string[], more: Record<string, string> = {}): Promise<Run> =>
      runCli(args, { ...env, ...more }).done,
    /** The real CLI with `input` on its standard input. */
    newsbellWithInput: (args: string[], input: string): Promise<Run> => runCli(args, env, [], { input }).done,
    file(fileName: string, content: string): string {
      const path = join(dir, fileName);
      writeFileSync(path, content);
      return path;
    },
  };
}
