import type { Redis } from "ioredis";
import type { RevisionKind } from "../domain/revision.ts";
import type { RedisKeys } from "./keys.ts";
import { defineScript, readLua } from "./lua.ts";

const REVISION_TTL_S = 7 * 24 * 3600;

/** The figures of one correction or retraction: counters by result, and where the walk is. */
export interface RevisionFigures {
  kind: RevisionKind;
  cursor: number;
  counts: Record<string, number>;
  requestedAt?: string;
  finishedAt?: string;
}

/**
 * The walks of corrections and retractions over an article's ledger: one small hash per walk,
 * numbered per article, with its cursor and its counts by result, kept a week.
 */
export class RevisionStore {
  private readonly advanceRevisionScript;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    this.advanceRevisionScript = defineScript(redis, "newsbellAdvanceRevision", readLua("advance-revision"));
  }

  /** Starts the figures of a correction or retraction; returns its number. */
  async startRevision(seq: number, kind: RevisionKind, now: string): Promise<number> {
    const revision = await this.redis.hincrby(this.keys.articleStats(seq), "revisions", 1);
    const key = this.keys.articleRevision(seq, revision);
    await this.redis
      .multi()
      .hset(key, "kind", kind, "requestedAt", now, "cursor", 0)
      .expire(key, REVISION_TTL_S)
      .exec();
    return revision;
  }

  async revisionFigures(seq: number, revision: number): Promise<RevisionFigures | undefined> {
    const raw = await this.redis.hgetall(this.keys.articleRevision(seq, revision));
    if (raw.kind !== "correct" && raw.kind !== "retract") return undefined;
    const counts: Record<string, number> = {};
    for (const [k, v] of Object.entries(raw)) if (k.startsWith("n:")) counts[k.slice(2)] = Number(v);
    return {
      kind: raw.kind,
      cursor: Number(raw.cursor ?? 0),
      counts,
      requestedAt: raw.requestedAt,
      finishedAt: raw.finishedAt,
    };
  }

  /** Counts the results of ledger shards `from`..`to-1` once; false if another run counted them. */
  async advanceRevision(
    seq: number,
    revision: number,
    from: number,
    to: number,
    counts: Record<string, number>,
    finishedAt: string | undefined,
  ): Promise<boolean> {
    const args: (string | number)[] = [from, to, finishedAt ?? ""];
    for (const [k, n] of Object.entries(counts)) if (n > 0) args.push(`n:${k}`, n);
    return (await this.advanceRevisionScript([this.keys.articleRevision(seq, revision)], args)) === 1;
  }

  /** True only the first time: the editor hears about a finished revision once. */
  async claimRevisionReport(seq: number, revision: number, now: string): Promise<boolean> {
    return (await this.redis.hsetnx(this.keys.articleRevision(seq, revision), "reportedAt", now)) === 1;
  }
}
