import type { Readable } from "node:stream";
import { StringDecoder } from "node:string_decoder";
import type { Redis } from "ioredis";
import { DateTime } from "luxon";
import type { CatalogState } from "../domain/catalog.ts";
import { type ChatSettings, encodeChat } from "../domain/chat.ts";
import { heldRelease, sameReleaseRules } from "../domain/delivery-routing.ts";
import { DEFAULT_READER_OPTIONS } from "../domain/reader-options.ts";
import {
  applySubscriberRow,
  type ChatDefaults,
  isHeaderRecord,
  parseSubscriberRecord,
  type SubscriberRow,
  splitSubscriberLine,
} from "../domain/subscriber-csv.ts";
import { CatalogStore } from "./catalog-store.ts";
import { ChatStore } from "./chat-store.ts";
import { HeldStore } from "./held-store.ts";
import type { RedisKeys } from "./keys.ts";
import { StopList } from "./stop-list.ts";
import { SubscriptionStore } from "./subscription-store.ts";

/** Lines per Redis round trip: big enough to amortise latency, small enough to keep memory flat. */
export const IMPORT_BATCH = 1000;
// A real line is well under 1 KB; a longer one means this is not a subscriber file.
const MAX_LINE_CHARS = 1 << 20;

export interface ImportOptions {
  defaults: ChatDefaults;
  onBadLine: (line: number, reason: string) => void;
  /** Called with the size of each chunk read from the input. */
  onBytes?: (bytes: number) => void;
  batchSize?: number;
  /** Import the chats that said /stop too; by default their lines are skipped. */
  includeStopped?: boolean;
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
  /** Chats left out because they said /stop (each counted once, however many lines it has). */
  stoppedChats: number;
}

export class ImportInputError extends Error {}

/**
 * Streams a subscriber CSV into Redis. Chunks are pulled with `for await`, so while a batch
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
    new HeldStore(redis, keys),
    options.includeStopped ? undefined : new StopList(redis, keys),
    options.defaults,
    options.batchSize ?? IMPORT_BATCH,
  );
  const lines = new LineSplitter();
  let badLines = 0;
  let seenRecord = false;
  const take = async (number: number, line: string) => {
    if (line.trim() === "") return;
    const fields = splitSubscriberLine(line);
    // Only the first record may be a header.
    const first = !seenRecord;
    seenRecord = true;
    if (fields !== undefined && first && isHeaderRecord(fields)) return;
    const check =
      fields === undefined
        ? ({ ok: false, reason: "bad quoting" } as const)
        : parseSubscriberRecord(fields, catalog);
    if (check.ok) {
      await writer.add(check.row);
    } else {
      badLines++;
      options.onBadLine(number, check.reason);
    }
  };
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    options.onBytes?.(Buffer.byteLength(chunk));
    for (const [number, line] of lines.push(chunk)) await take(number, line);
  }
  for (const [number, line] of lines.end()) await take(number, line);
  await writer.finish();
  return { ...writer.totals, badLines };
}

/**
 * Cuts the input into numbered lines: UTF-8 decoded across chunk boundaries, without the line
 * ending ("\n" or "\r\n") and without a byte-order mark at the start.
 */
class LineSplitter {
  private readonly decoder = new StringDecoder("utf8");
  private rest = "";
  private count = 0;

  push(chunk: Buffer | string): [number, string][] {
    this.rest += typeof chunk === "string" ? chunk : this.decoder.write(chunk);
    const lines: [number, string][] = [];
    let start = 0;
    for (let end = this.rest.indexOf("\n"); end >= 0; end = this.rest.indexOf("\n", start)) {
      lines.push(this.line(this.rest.slice(start, end)));
      start = end + 1;
    }
    this.rest = this.rest.slice(start);
    if (this.rest.length > MAX_LINE_CHARS) {
      throw new ImportInputError(
        `line ${this.count + 1} is over ${MAX_LINE_CHARS} characters: not a subscriber file`,
      );
    }
    return lines;
  }

  end(): [number, string][] {
    const last = this.rest + this.decoder.end();
    this.rest = "";
    return last === "" ? [] : [this.line(last)];
  }

  private line(raw: string): [number, string] {
    this.count++;
    let line = raw.endsWith("\r") ? raw.slice(0, -1) : raw;
    if (this.count === 1 && line.startsWith("\ufeff")) line = line.slice(1);
    return [this.count, line];
  }
}

/**
 * Collects rows into batches and writes each in a few pipelined round trips. One batch is
 * written while the next is being read; the next write waits for the previous one, so writes
 * happen in file order and a chat on two lines ends as the later line says.
 */
class BatchWriter {
  readonly totals = { chats: 0, subscriptions: 0, newChats: 0, newSubscriptions: 0, stoppedChats: 0 };
  private rows: SubscriberRow[] = [];
  private writing: Promise<void> = Promise.resolve();
  // Only the chats that said /stop, so this stays as small as the stop list.
  private readonly stopped = new Set<number>();

  constructor(
    private readonly chats: ChatStore,
    private readonly subscriptions: SubscriptionStore,
    private readonly held: HeldStore,
    /** Absent when stopped chats are imported too. */
    private readonly stopList: StopList | undefined,
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

  private async write(batch: readonly SubscriberRow[]): Promise<void> {
    const rows = await this.withoutStopped(batch);
    if (rows.length === 0) return;
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
    await this.rescheduleHeld(changed, stored);
    this.totals.chats += rows.length;
    this.totals.subscriptions += pairs.length;
    this.totals.newChats += next.size - stored.size;
    this.totals.newSubscriptions += newSubscriptions;
  }

  /**
   * A line that changes an existing chat's mode, digest times, quiet hours, pause or time zone
   * changes when the news it holds comes, as the same change in /settings does. Rare: a restore
   * into an empty database has no existing chats, and a re-import changes nothing.
   */
  private async rescheduleHeld(
    changed: readonly ChatSettings[],
    stored: ReadonlyMap<number, ChatSettings>,
  ): Promise<void> {
    const now = DateTime.now();
    const moved = changed.filter((chat) => {
      const before = stored.get(chat.id);
      if (!before) return false;
      const rules = (c: ChatSettings) => c.options ?? DEFAULT_READER_OPTIONS;
      return before.timeZone !== chat.timeZone || !sameReleaseRules(rules(before), rules(chat));
    });
    // Sent together: one round trip for the batch, not one per chat.
    await Promise.all(
      moved.map((chat) => {
        const { regular, breaking } = heldRelease(chat, now);
        return this.held.reschedule(chat.id, regular.toMillis(), breaking.toMillis());
      }),
    );
  }

  private async withoutStopped(rows: readonly SubscriberRow[]): Promise<readonly SubscriberRow[]> {
    if (!this.stopList) return rows;
    const stopped = await this.stopList.stoppedAmong([...new Set(rows.map((r) => r.chatId))]);
    if (stopped.size === 0) return rows;
    for (const id of stopped) this.stopped.add(id);
    this.totals.stoppedChats = this.stopped.size;
    return rows.filter((r) => !stopped.has(r.chatId));
  }
}
