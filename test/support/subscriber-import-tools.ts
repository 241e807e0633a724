import { PassThrough, Readable } from "node:stream";
import type { Redis } from "ioredis";
import { defaultCatalog } from "../../src/store/catalog-seed.ts";
import { CatalogStore } from "../../src/store/catalog-store.ts";
import { ChatStore } from "../../src/store/chat-store.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { StopList } from "../../src/store/stop-list.ts";
import { exportSubscribers } from "../../src/store/subscriber-export.ts";
import { type ImportOptions, importSubscribers } from "../../src/store/subscriber-import.ts";
import { SubscriptionStore } from "../../src/store/subscription-store.ts";
import { deletePrefix, testPrefix } from "./redis.ts";

/** The settings an import gives a chat whose line leaves them empty. */
export const IMPORT_DEFAULTS = { lang: "ru", timeZone: "Europe/Moscow" } as const;

/** Fresh installations on `redis` to import into and export from; `cleanup` deletes them all. */
export function importTools(redis: Redis) {
  const prefixes: string[] = [];
  return {
    /** A fresh prefix with the default catalogue, like a new installation. */
    async freshInstall(name: string) {
      const prefix = testPrefix(name);
      prefixes.push(prefix);
      const keys = redisKeys(prefix);
      await new CatalogStore(redis, keys).seedOnce(defaultCatalog());
      return {
        keys,
        chats: new ChatStore(redis, keys),
        subs: new SubscriptionStore(redis, keys),
        stopList: new StopList(redis, keys),
      };
    },

    async importText(keys: ReturnType<typeof redisKeys>, csv: string, options: Partial<ImportOptions> = {}) {
      const bad: string[] = [];
      const summary = await importSubscribers(redis, keys, Readable.from([Buffer.from(csv)]), {
        defaults: IMPORT_DEFAULTS,
        onBadLine: (line, reason) => bad.push(`line ${line}: ${reason}`),
        ...options,
      });
      return { summary, bad };
    },

    async exportText(keys: ReturnType<typeof redisKeys>): Promise<string> {
      const out = new PassThrough();
      const chunks: Buffer[] = [];
      out.on("data", (chunk: Buffer) => chunks.push(chunk));
      await exportSubscribers(redis, keys, out);
      out.end();
      return Buffer.concat(chunks).toString("utf8");
    },

    async cleanup() {
      for (const prefix of prefixes) await deletePrefix(redis, prefix);
    },
  };
}
