import { describe, expect, it } from "vitest";
import { mayEdit, parseUserId, roleOf } from "../../src/domain/roles.ts";

const staff = { configAdmins: [1], admins: new Set([2]), editors: new Set([3, 2]) };

describe("roles", () => {
  it("makes ADMIN_IDS and promoted admins admins, editors editors, everyone else a reader", () => {
    expect(roleOf(1, staff)).toBe("admin");
    expect(roleOf(2, staff)).toBe("admin");
    expect(roleOf(3, staff)).toBe("editor");
    expect(roleOf(4, staff)).toBe("reader");
    expect(roleOf(undefined, staff)).toBe("reader");
  });

  it("lets admins and editors edit, and readers not", () => {
    expect([mayEdit("admin"), mayEdit("editor"), mayEdit("reader")]).toEqual([true, true, false]);
  });

  it("reads a user id only as a positive whole number", () => {
    expect(parseUserId(" 123456789 ")).toBe(123456789);
    for (const bad of ["", "0", "-5", "12a", "1.5", "1e9", "99999999999999999"])
      expect(parseUserId(bad), bad).toBeUndefined();
  });
});
