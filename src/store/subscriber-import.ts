import type { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { parse } from "csv-parse";
import type { Redis } from "ioredis";
import type { CatalogState } from "../domain/catalog.ts";
import { type ChatSettings, encodeChat } from "../domain/chat.ts";
import {
  applySubscriberRow,
  type ChatDefaults,
  isHeaderRecord,
  parseSubscriberRecord,
  type SubscriberRow,
} from "../domain/subscriber-csv.ts";
import { CatalogStore } from "./catalog-store.ts";
import { ChatStore } from "./chat-store.ts";
import type { RedisKeys } from "./keys.ts";
import { SubscriptionStore } from "./subscription-store.ts";

/** Lines per Redis round trip: big enough to amortise latency, small enough to keep memory flat. */
export const IMPORT_BATCH = 1000;
// A real line is well under 1 KB; a longer one means this is not a subscriber file.
const MAX_LINE_BYTES = 1 << 20;

export interface ImportOptions {
  defaults: ChatDefaults;
  onBadLine: (line: number, reason: string) => void;
  /** Called with the size of each chunk read from the input. */
  onBytes?: (bytes: number) => void;
  batchSize?: number;
}

export interface ImportSummary {
  /** Good lines, i.e. chats whose settings and subscriptions are now as the file says. */
  chats: number;
  /** Subscriptions named on good lines. */
  subscriptions: number;
  badLines: number;
  /** How many of those chats and subscriptions did not exist before: 0 and 0 on a re-import. */
  newChats: number;
  newSubscriptions: number;
}

interface ParsedRecord {
  record: string[];
  info: { lines: number };
}

/**
 * Streams a subscriber CSV into Redis. The parser is consumed with `for await`, so while a
 * batch is being written nothing more is read: memory stays flat however long the file is.
 * Writing the same file twice changes nothing (SADD and HSET of the same values).
 */
export async function importSubscribers(
  redis: Redis,
  keys: RedisKeys,
  input: Readable,
  options: ImportOptions,
): Promise<ImportSummary> {
  const catalog = new Map<string, CatalogState>(
    (await new CatalogStore(redis, keys).all()).map((e) => [e.slug, e.state]),
  );
  const writer = new BatchWriter(new ChatStore(redis, keys), new SubscriptionStore(redis, keys), options.defaults);
  const batchSize = options.batchSize ?? IMPORT_BATCH;
  const summary: ImportSummary = { chats: 0, subscriptions: 0, badLines: 0, newChats: 0, newSubscriptions: 0 };
  let batch: SubscriberRow[] = [];
  const flush = async () => {
    const written = await writer.write(batch);
    summary.chats += batch.length;
    summary.subscriptions += batch.reduce((n, row) => n + row.slugs.length, 0);
    summary.newChats += written.newChats;
    summary.newSubscriptions += written.newSubscriptions;
    batch = [];
  };

  await pipeline(
    input,
    async function* countBytes(chunks: AsyncIterable<Buffer>) {
      for await (const chunk of chunks) {
        options.onBytes?.(chunk.length);
        yield chunk;
      }
    },
    parse({
      info: true,
      bom: true,
      trim: true,
      quote: false,
      skip_empty_lines: true,
      relax_column_count: true,
      max_record_size: MAX_LINE_BYTES,
    }),
    async (records: AsyncIterable<ParsedRecord>) => {
      let first = true;
      for await (const { record, info } of records) {
        if (first && isHeaderRecord(record)) {
          first = false;
          continue;
        }
        first = false;
        const check = parseSubscriberRecord(record, catalog);
        if (!check.ok) {
          summary.badLines++;
          options.onBadLine(info.lines, check.reason);
          continue;
        }
        batch.push(check.row);
        if (batch.length >= batchSize) await flush();
      }
      await flush();
    },
  );
  return summary;
}

class BatchWriter {
  constructor(
    private readonly chats: ChatStore,
    private readonly subscriptions: SubscriptionStore,
    private readonly defaults: ChatDefaults,
  ) {}

  async write(rows: readonly SubscriberRow[]): Promise<{ newChats: number; newSubscriptions: number }> {
    if (rows.length === 0) return { newChats: 0, newSubscriptions: 0 };
    const stored = await this.chats.getMany([...new Set(rows.map((r) => r.chatId))]);
    // A chat may appear on several lines; later lines build on earlier ones, as if imported one by one.
    const next = new Map<number, ChatSettings>();
    for (const row of rows) {
      next.set(row.chatId, applySubscriberRow(row, next.get(row.chatId) ?? stored.get(row.chatId), this.defaults));
    }
    const changed = [...next.values()].filter((chat) => {
      const before = stored.get(chat.id);
      return !before || encodeChat(before) !== encodeChat(chat);
    });
    const pairs = rows.flatMap((row) => row.slugs.map((slug) => ({ chatId: row.chatId, slug })));
    const [, newSubscriptions] = await Promise.all([
      this.chats.saveMany(changed),
      this.subscriptions.subscribeMany(pairs),
    ]);
    return { newChats: next.size - stored.size, newSubscriptions };
  }
}
