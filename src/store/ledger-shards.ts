import type { Redis } from "ioredis";
import { LEDGER_SHARDS, type RedisKeys } from "./keys.ts";

/** One field of an article's ledger: the chat it was keyed by, and its value as stored. */
export interface LedgerField {
  chatId: number;
  raw: string;
}

/**
 * Every field of an article's ledger shards `from`..`to-1` (those past LEDGER_SHARDS do not
 * exist), in one round trip: each reader picks the values it knows by their own pattern.
 */
export async function readLedgerShards(
  redis: Redis,
  keys: RedisKeys,
  seq: number,
  from: number,
  to: number,
): Promise<LedgerField[]> {
  const pipeline = redis.pipeline();
  for (let shard = from; shard < Math.min(to, LEDGER_SHARDS); shard++)
    pipeline.hgetall(keys.ledgerShardAt(seq, shard));
  const fields: LedgerField[] = [];
  for (const [err, entries] of (await pipeline.exec()) ?? []) {
    if (err) throw err;
    for (const [chatId, raw] of Object.entries(entries as Record<string, string>))
      fields.push({ chatId: Number(chatId), raw });
  }
  return fields;
}
