import type { Redis } from "ioredis";
import { AUDIT_RETENTION_DAYS, type AuditAction, type AuditEntry } from "../domain/audit.ts";
import type { RedisKeys } from "./keys.ts";

const RETENTION_MS = AUDIT_RETENTION_DAYS * 24 * 3600 * 1000;

/**
 * The audit trail is a Redis stream: entries are ordered by time, appended in one command, and
 * trimmed by age (MINID) on every append, so nothing outlives the retention period.
 */
export class AuditStore {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async record(entry: AuditEntry): Promise<void> {
    const atMs = Date.parse(entry.at);
    const fields = ["at", entry.at, "actorId", String(entry.actorId), "actorName", entry.actorName];
    fields.push("action", entry.action, "subject", entry.subject);
    if (entry.detail !== undefined) fields.push("detail", entry.detail);
    await this.redis.xadd(this.keys.audit, "MINID", "~", String(atMs - RETENTION_MS), "*", ...fields);
  }

  /** Newest first; `page` counts from 0. */
  async page(page: number, size: number): Promise<{ entries: AuditEntry[]; more: boolean }> {
    const wanted = (page + 1) * size + 1;
    const rows = await this.redis.xrevrange(this.keys.audit, "+", "-", "COUNT", wanted);
    const entries = rows.slice(page * size, (page + 1) * size).flatMap(([, fields]) => decode(fields) ?? []);
    return { entries, more: rows.length > (page + 1) * size };
  }

  /** Drops what is older than the retention, also when nothing new was appended for a while. */
  async trim(nowMs: number): Promise<void> {
    await this.redis.xtrim(this.keys.audit, "MINID", "~", String(nowMs - RETENTION_MS));
  }
}

function decode(fields: string[]): AuditEntry | undefined {
  const map = new Map<string, string>();
  for (let i = 0; i + 1 < fields.length; i += 2) map.set(fields[i] as string, fields[i + 1] as string);
  const at = map.get("at");
  const action = map.get("action") as AuditAction | undefined;
  if (!at || !action) return undefined;
  const detail = map.get("detail");
  return {
    at,
    actorId: Number(map.get("actorId") ?? 0),
    actorName: map.get("actorName") ?? "",
    action,
    subject: map.get("subject") ?? "",
    ...(detail !== undefined ? { detail } : {}),
  };
}
