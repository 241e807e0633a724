import { oneLine } from "./audit.ts";
import { parseUserId } from "./roles.ts";

/** Staff names are user text: one line, short enough for a list and an audit line. */
export const STAFF_NAME_MAX = 64;

/**
 * Who a message the command replies to points at: its sender, or the sender of the message it
 * forwards; "hidden" when that sender hides their account from forwards.
 */
export type StandIn =
  | { kind: "user"; userId: number; name: string; isBot: boolean }
  | { kind: "hidden"; name: string }
  | { kind: "none" };

export type StaffCommand =
  | { action: "list" }
  | { action: "add" | "remove"; userId: number; name: string; known: boolean };

export type StaffCommandError =
  | { error: "usage" }
  | { error: "bad-id"; text: string }
  | { error: "hidden"; name: string }
  | { error: "bot" };

/** The name kept for a user whose profile we have not seen. */
export function unnamed(userId: number): string {
  return `id ${userId}`;
}

/** "Name (@user), id 123", or just "id 123" when the name is not known. */
export function memberLabel(member: { userId: number; name: string }): string {
  const name = oneLine(member.name, STAFF_NAME_MAX);
  return name === "" || name === unnamed(member.userId)
    ? unnamed(member.userId)
    : `${name}, id ${member.userId}`;
}

/**
 * Parses what follows `/editors` or `/admins`: nothing (the list), `add <user_id>`,
 * `remove <user_id>`. Without an id, the message the command replies to stands in for it.
 * A typed id wins over the stand-in; the stand-in's name is used when it is the same user.
 */
export function parseStaffCommand(args: string, standIn: StandIn): StaffCommand | StaffCommandError {
  const words = args.trim().split(/\s+/).filter(Boolean);
  const [verb, ...rest] = words;
  if (verb === undefined) return { action: "list" };
  const action = verb.toLowerCase();
  if (action !== "add" && action !== "remove") return { error: "usage" };
  if (rest.length > 1) return { error: "usage" };
  const typed = rest[0];
  if (typed !== undefined) {
    const userId = parseUserId(typed);
    if (userId === undefined) return { error: "bad-id", text: [...typed].slice(0, 40).join("") };
    const same = standIn.kind === "user" && standIn.userId === userId;
    const name = same ? oneLine(standIn.name, STAFF_NAME_MAX) : "";
    return { action, userId, name: name || unnamed(userId), known: name !== "" };
  }
  switch (standIn.kind) {
    case "none":
      return { error: "usage" };
    case "hidden":
      return { error: "hidden", name: oneLine(standIn.name, STAFF_NAME_MAX) };
    case "user": {
      if (standIn.isBot) return { error: "bot" };
      const name = oneLine(standIn.name, STAFF_NAME_MAX);
      return { action, userId: standIn.userId, name: name || unnamed(standIn.userId), known: name !== "" };
    }
  }
}

export interface AdminRow {
  userId: number;
  name: string;
  /** In ADMIN_IDS: can't be removed from chat. */
  configured: boolean;
}

/**
 * The admins for the staff list: every ADMIN_IDS admin (named when also promoted at run time),
 * then the promoted ones by id, each once.
 */
export function adminRows(
  configAdmins: readonly number[],
  promoted: readonly { userId: number; name: string }[],
  configNames: readonly { userId: number; name: string }[] = [],
): AdminRow[] {
  const names = new Map([...configNames, ...promoted].map((m) => [m.userId, m.name]));
  const configured = [...new Set(configAdmins)].map((userId) => ({
    userId,
    name: names.get(userId) ?? unnamed(userId),
    configured: true,
  }));
  const others = promoted
    .filter((m) => !configAdmins.includes(m.userId))
    .sort((a, b) => a.userId - b.userId)
    .map((m) => ({ userId: m.userId, name: m.name, configured: false }));
  return [...configured, ...others];
}
