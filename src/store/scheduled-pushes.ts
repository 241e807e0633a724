import type { Redis } from "ioredis";
import type { KeptPush, ScheduledPush } from "../domain/scheduled-push.ts";
import type { RedisKeys } from "./keys.ts";
import { defineScript, readLua } from "./lua.ts";

const CLAIM_LUA = readLua("claim-scheduled");
const SAVE_LUA = readLua("save-scheduled");

/** A push whose job was lost and never ran is dropped a month after its time, not kept for ever. */
const KEEP_AFTER_MS = 30 * 24 * 3600 * 1000;

export type SaveResult = "ok" | "exists" | "gone" | "send" | "cancel";
export type ClaimResult = "ok" | "early" | "gone" | "send" | "cancel";

/**
 * Editors' scheduled pushes: one hash each (the draft, its time, its claim) and a sorted set of
 * their ids by time. The push, not its BullMQ job, is what is true: the job only wakes a worker,
 * which reads the time here; a change of time written here wins over a job's old delay.
 */
export class ScheduledPushStore {
  private readonly claimScript;
  private readonly saveScript;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    this.claimScript = defineScript(redis, "newsbellClaimScheduled", CLAIM_LUA);
    this.saveScript = defineScript(redis, "newsbellSaveScheduled", SAVE_LUA);
  }

  /** Keeps a new push; "exists" when its id is kept already. */
  create(push: ScheduledPush): Promise<SaveResult> {
    return this.save(push, "create");
  }

  /** Changes a push not yet claimed; "gone", or the claim's kind, when it can no longer change. */
  update(push: ScheduledPush): Promise<SaveResult> {
    return this.save(push, "update");
  }

  private async save(push: ScheduledPush, mode: "create" | "update"): Promise<SaveResult> {
    const { id, draft, atMs, editor, createdAt } = push;
    return (await this.saveScript(
      [this.keys.scheduledPush(id), this.keys.scheduledPushes],
      [id, JSON.stringify({ id, draft, editor, createdAt }), atMs, mode, atMs + KEEP_AFTER_MS],
    )) as SaveResult;
  }

  async get(id: string): Promise<KeptPush | undefined> {
    const fields = await this.redis.hgetall(this.keys.scheduledPush(id));
    return decode(fields);
  }

  /** The pushes kept, soonest first; ids whose push expired leave the index as they are found. */
  async list(): Promise<KeptPush[]> {
    const ids = await this.redis.zrange(this.keys.scheduledPushes, "0", "-1");
    const pushes = await Promise.all(ids.map((id) => this.get(id)));
    const gone = ids.filter((_, i) => pushes[i] === undefined);
    if (gone.length > 0) await this.redis.zrem(this.keys.scheduledPushes, ...gone);
    return pushes.filter((p): p is KeptPush => p !== undefined);
  }

  /**
   * Claims the push to send it (refused as "early" before its time) or to cancel it: the first
   * claim wins, and a claim by the same kind again (a retried job) is "ok".
   */
  async claim(id: string, kind: "send" | "cancel", nowMs: number): Promise<ClaimResult> {
    return (await this.claimScript([this.keys.scheduledPush(id)], [kind, nowMs])) as ClaimResult;
  }

  /** Notes that the editor got the status message, so a retried job does not send another. */
  async markCardSent(id: string): Promise<void> {
    await this.redis.hset(this.keys.scheduledPush(id), "cardSent", "1");
  }

  /** Drops a push that went out or was cancelled. */
  async remove(id: string): Promise<void> {
    await this.redis.multi().del(this.keys.scheduledPush(id)).zrem(this.keys.scheduledPushes, id).exec();
  }
}

function decode(fields: Record<string, string>): KeptPush | undefined {
  if (fields.push === undefined || fields.atMs === undefined) return undefined;
  const rest = JSON.parse(fields.push) as Omit<ScheduledPush, "atMs">;
  const claim = fields.claim === "send" || fields.claim === "cancel" ? fields.claim : undefined;
  return {
    ...rest,
    atMs: Number(fields.atMs),
    cardSent: fields.cardSent === "1",
    ...(claim ? { claim } : {}),
  };
}
