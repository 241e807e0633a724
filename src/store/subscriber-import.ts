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

interface CsvRecord {
  record: string[];
  info: { lines: number };
}

/**
 * Streams a subscriber CSV into Redis. Records are pulled with `for await`, so while a batch
 * waits for Redis nothing more is read: memory stays flat however long the file is. Importing
 * the same file twice changes nothing (SADD and HSET of the same values).
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
  const writer = new BatchWriter(
    new ChatStore(redis, keys),
    new SubscriptionStore(redis, keys),
    options.defaults,
    options.batchSize ?? IMPORT_BATCH,
  );
  let badLines = 0;
  await pipeline(
    input,
    countBytes(options.onBytes),
    csvParser(),
    async (records: AsyncIterable<CsvRecord>) => {
      for await (const { record, info } of withoutHeader(records)) {
        const check = parseSubscriberRecord(record, catalog);
        if (check.ok) {
          await writer.add(check.row);
        } else {
          badLines++;
          options.onBadLine(info.lines, check.reason);
        }
      }
      await writer.finish();
    },
  );
  return { ...writer.totals, badLines };
}

function countBytes(onBytes: ((bytes: number) => void) | undefined) {
  return async function* (chunks: AsyncIterable<Buffer | string>) {
    for await (const chunk of chunks) {
      onBytes?.(Buffer.byteLength(chunk));
      yield chunk;
    }
  };
}

function csvParser() {
  return parse({
    info: true, // line numbers for the report
    bom: true,
    trim: true,
    // No field can hold a comma, so quoting is never needed; honouring it would let one stray
    // quote swallow every line after it instead of costing one bad line.
    quote: false,
    skip_empty_lines: true,
    relax_column_count: true, // the column count is checked per line, as a bad line
    max_record_size: MAX_LINE_BYTES,
  });
}

async function* withoutHeader(records: AsyncIterable<CsvRecord>): AsyncGenerator<CsvRecord> {
  let first = true;
  for await (const record of records) {
    if (!(first && isHeaderRecord(record.record))) yield record;
    first = false;
  }
}

/**
 * Collects rows into batches and writes each in a few pipelined round trips. One batch is
 * written while the next is being read; the next write waits for the previous one, so writes
 * happen in file order and a chat on two lines ends as the later line says.
 */
class BatchWriter {
  readonly totals = { chats: 0, subscriptions: 0, newChats: 0, newSubscriptions: 0 };
  private rows: SubscriberRow[] = [];
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly chats: ChatStore,
    private readonly subscriptions: SubscriptionStore,
    private readonly defaults: ChatDefaults,
    private readonly batchSize: number,
  ) {}

  /** Resolves once the row is batched; waits only when a full batch must queue behind a write. */
  async add(row: SubscriberRow): Promise<void> {
    this.rows.push(row);
    if (this.rows.length >= this.batchSize) await this.flush();
  }

  async finish(): Promise<void> {
    await this.flush();
    await this.writing;
  }

  private async flush(): Promise<void> {
    const rows = this.rows;
    this.rows = [];
    await this.writing;
    if (rows.length === 0) return;
    this.writing = this.write(rows);
    // Awaited by the next flush; marked handled so a failure before then is not "unhandled".
    this.writing.catch(() => {});
  }

  private async write(rows: readonly SubscriberRow[]): Promise<void> {
    const stored = await this.chats.getMany([...new Set(rows.map((r) => r.chatId))]);
    const next = new Map<number, ChatSettings>();
    for (const row of rows) {
      const current = next.get(row.chatId) ?? stored.get(row.chatId);
      next.set(row.chatId, applySubscriberRow(row, current, this.defaults));
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
    this.totals.chats += rows.length;
    this.totals.subscriptions += pairs.length;
    this.totals.newChats += next.size - stored.size;
    this.totals.newSubscriptions += newSubscriptions;
  }
}
