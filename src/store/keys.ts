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
    chatMoves: `${prefix}:chat:moved`,
    /** Hash: channel id → title, the channels a user connected and may switch to from their private chat. */
    userChannels: (userId: number) => `${prefix}:user:${userId}:channels`,
    /**
     * String "<message id>.<seq>": the breaking alert the bot pinned in a group or channel that pins
     * them, kept PIN_HOURS and a margin (PinStore).
     */
    pin: (chatId: number) => `${prefix}:pin:${chatId}`,
    /** Set once a chat that pins breaking news was told the bot may not pin there; cleared by a pin or the setting. */
    pinRefusalTold: (chatId: number) => `${prefix}:pin:${chatId}:refused-told`,
    /** Set while a channel's connector has been told the bot lost its rights there; cleared on connecting. */
    channelLossTold: (chatId: number) => `${prefix}:channel:${chatId}:loss-told`,
    /** Hash: chat id → when it said /stop, so that an older backup does not bring it back. */
    stoppedChats: `${prefix}:stopped`,
    /** Set: a slug's followers whose id mod 1024 is `shard`, while the slug's width is 1 (or not yet moved). */
    subscriptionShard: (slug: string, shard: number) => `${prefix}:sub:${slug}:${shard}`,
    /**
     * Set: part `part` of a widened slug's shard, the followers with floor(id / 1024) mod width =
     * part, so each part stays under Redis's stock set-max-intset-entries (subscription-store.ts).
     */
    subscriptionPart: (slug: string, shard: number, part: number) => `${prefix}:sub:${slug}:${shard}:${part}`,
    /** Hash: slug → its width (parts per shard); a slug not in it has width 1. */
    subscriptionWidths: `${prefix}:subwidth`,
    /** Bitmap: bit k set once shard k of a widened slug has all its members in their parts. */
    subscriptionPlaced: (slug: string) => `${prefix}:sub:${slug}:placed`,
    subscriptionCounts: `${prefix}:subcount`,
    session: `${prefix}:session:`,
    /** Set for a while once an update is handled, so Telegram's repeat of it is dropped (create-bot.ts). */
    handledUpdate: (updateId: number) => `${prefix}:update:${updateId}`,
    /**
     * String: the sequence number of an article id (any text, ':' included), kept 90 days after
     * the id was last published (ArticleStore.record).
     */
    articleId: (id: string) => `${prefix}:article:id:${id}`,
    /**
     * Hash id → seq where every id was kept before ids had keys of their own. Only read now: its
     * entries move to `articleId` keys as their ids come again, and it expires 90 days after the
     * first record that finds it.
     */
    articleIds: `${prefix}:article:ids`,
    /** Counter of article sequence numbers: one small integer, kept for good so no seq is reused. */
    articleSeq: `${prefix}:article:seq`,
    article: (seq: number) => `${prefix}:article:${seq}`,
    /**
     * Counter bumped in the same transaction as every correction or retraction: a digest sender
     * reads it around each message, so a revision it rendered too early for is seen (send-digest.ts).
     */
    articleRevisions: `${prefix}:article:revisions`,
    articleStats: (seq: number) => `${prefix}:article:${seq}:stats`,
    /** String: the article's cleaned full text, compressed (ArticleTexts), kept ARTICLE_TEXT_DAYS. */
    articleText: (seq: number) => `${prefix}:article:${seq}:text`,
    /** String: the token of the one sender uploading the article's picture by URL (PictureStore). */
    articlePictureUpload: (seq: number) => `${prefix}:article:${seq}:photo-upload`,
    /** Hash: link host → mirror host (/mirror). */
    mirrors: `${prefix}:mirrors`,
    /** Set once LINK_MIRRORS was taken at the first start: from then on the admins own the map. */
    mirrorsSeeded: `${prefix}:mirrors:seeded`,
    ledgerShard: (seq: number, chatId: number) =>
      `${prefix}:article:${seq}:sent:${shardOf(chatId, LEDGER_SHARDS)}`,
    /** One ledger shard by its number, for walking an article's whole ledger. */
    ledgerShardAt: (seq: number, shard: number) => `${prefix}:article:${seq}:sent:${shard}`,
    articleMoved: (seq: number) => `${prefix}:article:${seq}:moved`,
    /** Hash: readers' reactions to an article's alerts, reaction → total; never who reacted. */
    articleReactions: (seq: number) => `${prefix}:article:${seq}:reactions`,
    /** Hash: the reaction counts a channel message last reported, reaction → count, kept 48 h. */
    messageReactions: (chatId: number, messageId: number) => `${prefix}:reactions:${chatId}:${messageId}`,
    /** Sorted set of article seqs by when they were recorded; trimmed to the revision window. */
    articleRecent: `${prefix}:article:recent`,
    /**
     * Sorted set: the newest article seqs of one slug in one edition, by when recorded (ms);
     * capped and trimmed like `articleRecent`. What /latest reads instead of every article.
     */
    articleLatest: (slug: string, edition: string) => `${prefix}:article:latest:${slug}:${edition}`,
    /** Set once the articles recorded before `articleLatest` existed have been put in it. */
    articleLatestFilled: `${prefix}:latest:filled`,
    /** Counter of one chat's /latest calls in the current few seconds (the per-chat limit). */
    latestCalls: (chatId: number) => `${prefix}:latest:calls:${chatId}`,
    /** Hash: the figures of one correction or retraction of an article. */
    articleRevision: (seq: number, revision: number) => `${prefix}:article:${seq}:rev:${revision}`,
    // --- the newsroom: staff promoted at run time (user id → name) and the audit trail (a stream) ---
    staffAdmins: `${prefix}:staff:admins`,
    staffEditors: `${prefix}:staff:editors`,
    /** Hash: user id → name of the admins set by ADMIN_IDS, kept as they write to the bot. */
    staffConfigNames: `${prefix}:staff:config-names`,
    audit: `${prefix}:audit`,
    /**
     * Hash: one scheduled push (its draft as JSON, when it goes in ms, who claimed it to send or
     * cancel); the id is its article id (src/store/scheduled-pushes.ts).
     */
    scheduledPush: (id: string) => `${prefix}:scheduled:${id}`,
    /** Sorted set: the ids of scheduled pushes by when they go (ms). */
    scheduledPushes: `${prefix}:scheduled`,
    /** List of the latest delivery errors, newest first, capped. */
    deliveryErrors: `${prefix}:delivery:errors`,
    rateTat: `${prefix}:rate:tat`,
    /** The interactive lane's own schedule (status edits, replies to taps): see acquire-slot.lua. */
    rateTatInteractive: `${prefix}:rate:tat:interactive`,
    /** Set for a moment after a bulk send found the horizon full: interactive sends keep to their lane. */
    rateBulkWaiting: `${prefix}:rate:bulk-waiting`,
    ratePause: `${prefix}:rate:pause`,
    rateChat: (chatId: number) => `${prefix}:rate:chat:${chatId}`,
    bullPrefix: `${prefix}:bull`,
    // --- readers' options (src/store/held-store.ts, src/store/digest-ledger.ts) ---
    /** Sorted set: the seqs held for a chat's next digest (the seq padded to 15 digits, "b" after it if breaking) by when held (ms). */
    heldItems: (chatId: number) => `${prefix}:held:${chatId}`,
    /** Counter: held items that fell out of the 200 cap since the last digest. */
    heldFellOut: (chatId: number) => `${prefix}:held:${chatId}:out`,
    /** Hash: the digest being sent (items, rendered parts, parts sent), so a retried job resumes it. */
    heldFlight: (chatId: number) => `${prefix}:held:${chatId}:flight`,
    /** Sorted set: chat id -> when its held items are due as a digest (ms); the digest tick reads it. */
    heldDue: `${prefix}:held:due`,
    /** JSON: what one sent digest message holds (its articles, in order), kept 48 h for corrections. */
    digestMessage: (chatId: number, messageId: number) => `${prefix}:digest:${chatId}:${messageId}`,
    // --- feed polling (src/store/feed-store.ts); feed ids are [a-z0-9-], never a ':' ---
    /** Hash: validators, failures, next attempt, down flag, whether the first poll is done. */
    feedState: (feedId: string) => `${prefix}:feed:${feedId}:state`,
    /** What every feed's key starts with, before its feed id: FeedStore.health scans for them. */
    feedHead: `${prefix}:feed:`,
    /** Sorted set of item keys by when last seen in the feed, trimmed to the newest. */
    feedSeen: (feedId: string) => `${prefix}:feed:${feedId}:seen`,
    /** Held while one poll of the feed runs, so two workers never poll it at once. */
    feedLock: (feedId: string) => `${prefix}:feed:${feedId}:lock`,
  };
}

export type RedisKeys = ReturnType<typeof redisKeys>;
