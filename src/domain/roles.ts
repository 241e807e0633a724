/** Who may do what: readers subscribe, editors push and revise alerts, admins also run the catalogue. */
export type Role = "admin" | "editor" | "reader";

export interface Staff {
  /** ADMIN_IDS: admins by configuration, who cannot be demoted from chat. */
  configAdmins: readonly number[];
  /** Admins promoted at run time. */
  admins: ReadonlySet<number>;
  editors: ReadonlySet<number>;
}

export function roleOf(userId: number | undefined, staff: Staff): Role {
  if (userId === undefined) return "reader";
  if (staff.configAdmins.includes(userId) || staff.admins.has(userId)) return "admin";
  if (staff.editors.has(userId)) return "editor";
  return "reader";
}

export function mayEdit(role: Role): boolean {
  return role === "admin" || role === "editor";
}

/** A Telegram user id as typed in a command: a positive whole number, nothing else. */
export function parseUserId(text: string): number | undefined {
  const trimmed = text.trim();
  if (!/^\d{1,16}$/.test(trimmed)) return undefined;
  const id = Number(trimmed);
  return Number.isSafeInteger(id) && id > 0 ? id : undefined;
}
