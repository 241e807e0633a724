import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { defaultCatalog } from "../src/store/catalog-seed.ts";
import { CatalogStore } from "../src/store/catalog-store.ts";
import { redisKeys } from "../src/store/keys.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "./support/redis.ts";
import { runCli } from "./support/run-cli.ts";
import { writeSyntheticSubscriberCsv } from "./support/subscriber-csv-fixture.ts";

const REPORT_RSS = fileURLToPath(new URL("./support/report-max-rss.mjs", import.meta.url));
const LINES = 1_000_000;
const RSS_LIMIT_MB = 300;

const prefix = testPrefix("import-memory");
const redis = new Redis(SHARED_REDIS_URL);
const dir = mkdtempSync(join(tmpdir(), "newsbell-import-memory-"));

afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
  rmSync(dir, { recursive: true, force: true });
});

describe("newsbell import, a million lines", () => {
  it(`stays under ${RSS_LIMIT_MB} MB of memory however long the file is`, async () => {
    const path = join(dir, "1m.csv");
    await writeSyntheticSubscriberCsv(
      path,
      LINES,
      defaultCatalog().map((e) => e.slug),
    );
    await new CatalogStore(redis, redisKeys(prefix)).seedOnce(defaultCatalog());
    const started = performance.now();
    const { code, stdout, stderr } = await runCli(
      ["import", path],
      { BOT_TOKEN: "1:x", REDIS_URL: SHARED_REDIS_URL, REDIS_PREFIX: prefix },
      ["--import", REPORT_RSS],
    ).done;
    const seconds = (performance.now() - started) / 1000;
    const maxRssMb = Number(stderr.match(/max-rss-kb (\d+)/)?.[1]) / 1024;
    console.info(
      `import of ${LINES} lines: ${seconds.toFixed(1)} s, ${Math.round(LINES / seconds)} lines/s, peak RSS ${maxRssMb.toFixed(0)} MB`,
    );
    expect(code).toBe(0);
    expect(stdout).toMatch(/^imported 1000000 chats, \d+ subscriptions; 0 bad lines\n$/);
    expect(maxRssMb).toBeLessThan(RSS_LIMIT_MB);
  }, 180_000);
});
