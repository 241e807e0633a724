/** Subscriptions are split into this many small sets per slug so each stays a compact intset. */
export const SUBSCRIPTION_SHARDS = 1024;
/** Chat settings live in this many small hashes so each stays a compact listpack. */
export const CHAT_BUCKETS = 4096;

/** The per-article ledger is split like subscriptions, so each part stays a small listpack hash. */
export const LEDGER_SHARDS = 1024;

export function shardOf(chatId: number, shards: number): number {
  return ((chatId % shards) + shards) % shards;
}

/** Every Redis key the project writes, under one prefix. */
export function redisKeys(prefix: string) {
  return {
    prefix,
    catalog: `${prefix}:catalog`,
    catalogSeeded: `${prefix}:catalog:seeded`,
    chatBucket: (chatId: number) => `${prefix}:chat:${shardOf(chatId, CHAT_BUCKETS)}`,
    chatBucketAt: (bucket: number) => `${prefix}:chat:${bucket}`,
    subscriptionShard: (slug: string, shard: number) => `${prefix}:sub:${slug}:${shard}`,
    subscriptionCounts: `${prefix}:subcount`,
    session: `${prefix}:session:`,
    articleIds: `${prefix}:article:ids`,
    articleSeq: `${prefix}:article:seq`,
    article: (seq: number) => `${prefix}:article:${seq}`,
    articleStats: (seq: number) => `${prefix}:article:${seq}:stats`,
    ledgerShard: (seq: number, chatId: number) =>
      `${prefix}:article:${seq}:sent:${shardOf(chatId, LEDGER_SHARDS)}`,
    articleMoved: (seq: number) => `${prefix}:article:${seq}:moved`,
    rateTat: `${prefix}:rate:tat`,
    ratePause: `${prefix}:rate:pause`,
    rateChat: (chatId: number) => `${prefix}:rate:chat:${chatId}`,
    bullPrefix: `${prefix}:bull`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
