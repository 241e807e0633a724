import { describe, expect, it } from "vitest";
import { adminRows, memberLabel, parseStaffCommand, type StandIn } from "../../src/domain/staff-command.ts";

const none: StandIn = { kind: "none" };
const ivan: StandIn = { kind: "user", userId: 555, name: "Иван Петров (@ivan)", isBot: false };

describe("parseStaffCommand", () => {
  it("lists when nothing follows the command", () => {
    expect(parseStaffCommand("", none)).toEqual({ action: "list" });
    expect(parseStaffCommand("  ", ivan)).toEqual({ action: "list" });
  });

  it("reads add and remove with a typed id, unnamed when nobody stands in", () => {
    expect(parseStaffCommand("add 12345", none)).toEqual({
      action: "add",
      userId: 12345,
      name: "id 12345",
      known: false,
    });
    expect(parseStaffCommand(" REMOVE  12345 ", none)).toMatchObject({ action: "remove", userId: 12345 });
  });

  it("takes the user of the replied-to or forwarded message when no id is typed", () => {
    expect(parseStaffCommand("add", ivan)).toEqual({
      action: "add",
      userId: 555,
      name: "Иван Петров (@ivan)",
      known: true,
    });
  });

  it("lets a typed id win over the stand-in, keeping the name only for the same user", () => {
    expect(parseStaffCommand("add 777", ivan)).toEqual({
      action: "add",
      userId: 777,
      name: "id 777",
      known: false,
    });
    expect(parseStaffCommand("add 555", ivan)).toMatchObject({ userId: 555, name: "Иван Петров (@ivan)" });
  });

  it("explains a hidden account instead of guessing", () => {
    expect(parseStaffCommand("add", { kind: "hidden", name: "Anon  \n Person" })).toEqual({
      error: "hidden",
      name: "Anon Person",
    });
  });

  it("refuses a bot as staff", () => {
    expect(parseStaffCommand("add", { kind: "user", userId: 1, name: "Some bot", isBot: true })).toEqual({
      error: "bot",
    });
  });

  it("refuses what is not a positive numeric id, quoting it", () => {
    expect(parseStaffCommand("add @ivan", none)).toEqual({ error: "bad-id", text: "@ivan" });
    expect(parseStaffCommand("remove -5", none)).toEqual({ error: "bad-id", text: "-5" });
    expect(parseStaffCommand("add 0", none)).toEqual({ error: "bad-id", text: "0" });
    expect(parseStaffCommand("add 99999999999999999", none)).toMatchObject({ error: "bad-id" });
  });

  it("answers an unknown verb, a missing id with no stand-in, or extra words with the usage", () => {
    for (const text of ["list", "promote 5", "add", "remove", "add 5 6"]) {
      expect(parseStaffCommand(text, none), text).toEqual({ error: "usage" });
    }
  });

  it("keeps a stand-in's name to one short line", () => {
    const long: StandIn = { kind: "user", userId: 9, name: `A\nB ${"x".repeat(100)}`, isBot: false };
    const result = parseStaffCommand("add", long);
    expect(result).toMatchObject({ userId: 9 });
    const name = (result as { name: string }).name;
    expect(name.startsWith("A B ")).toBe(true);
    expect([...name].length).toBeLessThanOrEqual(64);
  });
});

describe("memberLabel", () => {
  it("shows the name and the id, or the id alone when no name is known", () => {
    expect(memberLabel({ userId: 555, name: "Иван" })).toBe("Иван, id 555");
    expect(memberLabel({ userId: 555, name: "id 555" })).toBe("id 555");
    expect(memberLabel({ userId: 555, name: "" })).toBe("id 555");
  });
});

describe("adminRows", () => {
  it("lists ADMIN_IDS admins first, marked, then promoted admins by id, each once", () => {
    expect(
      adminRows(
        [9001, 9002, 9001],
        [
          { userId: 800, name: "Мария" },
          { userId: 9002, name: "Old name" },
          { userId: 700, name: "Олег" },
        ],
      ),
    ).toEqual([
      { userId: 9001, name: "id 9001", configured: true },
      { userId: 9002, name: "Old name", configured: true },
      { userId: 700, name: "Олег", configured: false },
      { userId: 800, name: "Мария", configured: false },
    ]);
  });
});
