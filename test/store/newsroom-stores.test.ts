import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { newChat } from "../../src/domain/chat.ts";
import { AuditStore } from "../../src/store/audit-store.ts";
import { ChatStore } from "../../src/store/chat-store.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { countReach } from "../../src/store/reach.ts";
import { StaffStore } from "../../src/store/staff-store.ts";
import { SubscriptionStore } from "../../src/store/subscription-store.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "../support/redis.ts";

const prefix = testPrefix("newsroom-stores");
const redis = new Redis(SHARED_REDIS_URL);
const keys = redisKeys(prefix);

afterAll(async () => {
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

describe("staff store", () => {
  const staff = new StaffStore(redis, keys, [10]);

  it("knows ADMIN_IDS admins, promoted admins and editors by the user id alone", async () => {
    await staff.addEditor({ userId: 30, name: "Editor" });
    await staff.addAdmin({ userId: 20, name: "Admin" });
    expect(await staff.roleOf(10)).toBe("admin");
    expect(await staff.roleOf(20)).toBe("admin");
    expect(await staff.roleOf(30)).toBe("editor");
    expect(await staff.roleOf(40)).toBe("reader");
    expect(await staff.roleOf(undefined)).toBe("reader");
  });

  it("says whether an add or a removal changed anything, and lists members with their names", async () => {
    expect(await staff.addEditor({ userId: 31, name: "Second" })).toBe(true);
    expect(await staff.addEditor({ userId: 31, name: "Second" })).toBe(false);
    expect((await staff.editors()).map((m) => m.name)).toEqual(["Editor", "Second"]);
    expect(await staff.removeEditor(31)).toBe(true);
    expect(await staff.removeEditor(31)).toBe(false);
    expect(await staff.roleOf(31)).toBe("reader");
  });

  it("keeps the name a staff member writes with, and never writes a reader's name", async () => {
    await staff.addEditor({ userId: 32, name: "id 32" });
    expect(await staff.rememberName(32, "Zaur (@zaur)")).toBe(true);
    expect(await staff.rememberName(32, "Zaur (@zaur)")).toBe(false);
    expect((await staff.editors()).find((m) => m.userId === 32)?.name).toBe("Zaur (@zaur)");
    expect(await staff.rememberName(10, "Config Admin")).toBe(true);
    expect(await staff.configAdminNames()).toEqual([{ userId: 10, name: "Config Admin" }]);
    expect(await staff.rememberName(40, "A Reader")).toBe(false);
    const stored = await Promise.all(
      [keys.staffEditors, keys.staffAdmins, keys.staffConfigNames].map((k) => redis.hgetall(k)),
    );
    expect(JSON.stringify(stored)).not.toContain("A Reader");
    await staff.removeEditor(32);
  });
});

describe("audit store", () => {
  const audit = new AuditStore(redis, keys);
  const entry = (at: string, subject: string) => ({
    at,
    actorId: 1,
    actorName: "Admin",
    action: "catalog-add" as const,
    subject,
  });

  it("pages newest first and says when there is more", async () => {
    const now = Date.now();
    for (let i = 0; i < 5; i++) await audit.record(entry(new Date(now + i).toISOString(), `s${i}`));
    const first = await audit.page(0, 2);
    expect(first.entries.map((e) => e.subject)).toEqual(["s4", "s3"]);
    expect(first.more).toBe(true);
    const last = await audit.page(2, 2);
    expect(last.entries.map((e) => e.subject)).toEqual(["s0"]);
    expect(last.more).toBe(false);
  });

  it("drops entries older than 90 days", async () => {
    const old = new AuditStore(redis, redisKeys(`${prefix}-old`));
    const now = Date.now();
    await old.record(entry(new Date(now).toISOString(), "fresh"));
    await old.trim(now + 91 * 24 * 3600 * 1000);
    expect((await old.page(0, 10)).entries).toEqual([]);
    await deletePrefix(redis, `${prefix}-old`);
  });
});

describe("reach of an article", () => {
  it("counts each active chat of the edition once, however many of the slugs it follows", async () => {
    const chats = new ChatStore(redis, keys);
    const subs = new SubscriptionStore(redis, keys);
    await chats.saveMany([
      newChat(101, "private", "ru", "Europe/Moscow"),
      newChat(102, "private", "ru", "Europe/Moscow"),
      { ...newChat(103, "private", "ru", "Europe/Moscow"), active: false },
      newChat(104, "private", "en", "Europe/Moscow"),
      { ...newChat(105, "private", "en", "Europe/Moscow"), editions: "both" },
    ]);
    for (const [id, slug] of [
      [101, "chechnya"],
      [101, "dagestan"],
      [102, "dagestan"],
      [103, "chechnya"],
      [104, "chechnya"],
      [105, "dagestan"],
    ] as const)
      await subs.subscribe(id, slug);
    expect(await countReach(subs, ["chechnya", "dagestan"], "ru")).toEqual({ count: 3, exact: true });
    expect(await countReach(subs, ["chechnya", "dagestan"], "en")).toEqual({ count: 2, exact: true });
    expect(await countReach(subs, [], "ru")).toEqual({ count: 0, exact: true });
  });
});
