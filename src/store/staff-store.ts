import type { Redis } from "ioredis";
import { type Role, roleOf } from "../domain/roles.ts";
import type { RedisKeys } from "./keys.ts";
import { defineScript, readLua } from "./lua.ts";

const REMEMBER_NAME = readLua("remember-staff-name");

export interface StaffMember {
  userId: number;
  name: string;
}

/**
 * Editors and admins promoted at run time, each with the name they had when promoted or, once
 * they write to the bot, the one they have now.
 */
export class StaffStore {
  private readonly rememberScript;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
    private readonly configAdmins: readonly number[],
  ) {
    this.rememberScript = defineScript(redis, "newsbellRememberStaffName", REMEMBER_NAME);
  }

  /**
   * Keeps `name` for the user where they are staff (an editor, an admin promoted or set by
   * ADMIN_IDS), in one round trip; a reader's name is never written. True when it changed a name.
   */
  async rememberName(userId: number, name: string): Promise<boolean> {
    if (name.trim() === "") return false;
    const changed = await this.rememberScript(
      [this.keys.staffEditors, this.keys.staffAdmins, this.keys.staffConfigNames],
      [String(userId), name, this.configAdmins.includes(userId) ? "1" : "0"],
    );
    return Number(changed) > 0;
  }

  /** The names kept for the admins set by ADMIN_IDS, who were never promoted with a name. */
  async configAdminNames(): Promise<StaffMember[]> {
    return this.members(this.keys.staffConfigNames);
  }

  /** One round trip: asked on every newsroom command and button tap. */
  async roleOf(userId: number | undefined): Promise<Role> {
    if (userId === undefined) return "reader";
    if (this.configAdmins.includes(userId)) return "admin";
    const [admin, editor] = await this.redis
      .multi()
      .hexists(this.keys.staffAdmins, String(userId))
      .hexists(this.keys.staffEditors, String(userId))
      .exec()
      .then((r) => (r ?? []).map(([err, v]) => (err ? Promise.reject(err) : v === 1)));
    return roleOf(userId, {
      configAdmins: this.configAdmins,
      admins: new Set(admin ? [userId] : []),
      editors: new Set(editor ? [userId] : []),
    });
  }

  isConfigAdmin(userId: number): boolean {
    return this.configAdmins.includes(userId);
  }

  async editors(): Promise<StaffMember[]> {
    return this.members(this.keys.staffEditors);
  }

  async admins(): Promise<StaffMember[]> {
    return this.members(this.keys.staffAdmins);
  }

  /** True when the user was not an editor before. */
  async addEditor(member: StaffMember): Promise<boolean> {
    return (await this.redis.hset(this.keys.staffEditors, String(member.userId), member.name)) === 1;
  }

  async removeEditor(userId: number): Promise<boolean> {
    return (await this.redis.hdel(this.keys.staffEditors, String(userId))) === 1;
  }

  async addAdmin(member: StaffMember): Promise<boolean> {
    return (await this.redis.hset(this.keys.staffAdmins, String(member.userId), member.name)) === 1;
  }

  async removeAdmin(userId: number): Promise<boolean> {
    return (await this.redis.hdel(this.keys.staffAdmins, String(userId))) === 1;
  }

  private async members(key: string): Promise<StaffMember[]> {
    const raw = await this.redis.hgetall(key);
    return Object.entries(raw)
      .map(([id, name]) => ({ userId: Number(id), name }))
      .sort((a, b) => a.userId - b.userId);
  }
}
