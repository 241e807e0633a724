/** What the audit trail records: every act of an editor or admin that changes what readers get. */
export type AuditAction =
  | "push"
  | "cancel"
  | "correct"
  | "retract"
  | "schedule"
  | "schedule-time"
  | "schedule-edit"
  | "schedule-cancel"
  | "editor-add"
  | "editor-remove"
  | "admin-add"
  | "admin-remove"
  | "catalog-add"
  | "catalog-rename"
  | "catalog-archive"
  | "catalog-restore"
  | "mirror-set"
  | "mirror-remove";

export interface AuditEntry {
  /** ISO 8601, UTC. */
  at: string;
  actorId: number;
  actorName: string;
  action: AuditAction;
  /** The article id, slug or user id the act concerned. */
  subject: string;
  /** A short human-readable detail (a new headline, a name). */
  detail?: string;
}

/** Audit entries are kept this long. */
export const AUDIT_RETENTION_DAYS = 90;

const DETAIL_MAX = 200;

/** Display names and details are user text: kept to one short line. */
export function oneLine(text: string, max = DETAIL_MAX): string {
  const flat = text.replace(/\s+/g, " ").trim();
  const chars = [...flat];
  return chars.length <= max ? flat : `${chars.slice(0, max - 1).join("")}…`;
}
