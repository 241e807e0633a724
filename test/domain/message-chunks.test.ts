import { describe, expect, it } from "vitest";
import { htmlToPlain } from "../../src/domain/html.ts";
import { bodyBudget, packLines } from "../../src/domain/message-chunks.ts";

describe("packLines", () => {
  it("keeps everything in one message while it fits", () => {
    expect(packLines(["a", "b", "c"], 5)).toEqual(["a\nb\nc"]);
  });

  it("starts a new message before a line that would pass the limit, never splitting a line", () => {
    expect(packLines(["aaa", "bbb", "cc", "d"], 7)).toEqual(["aaa\nbbb", "cc\nd"]);
  });

  it("counts what Telegram shows, not the markup and entities", () => {
    const line = "<b>&lt;x&gt;</b>";
    expect(packLines([line, line], 7)).toEqual([`${line}\n${line}`]);
    expect(packLines([line, line], 6)).toEqual([line, line]);
  });

  it("counts characters outside the basic plane as two, like Telegram", () => {
    expect(packLines(["😀😀", "a"], 5)).toEqual(["😀😀", "a"]);
    expect(packLines(["😀😀", "a"], 6)).toEqual(["😀😀\na"]);
  });

  it("sends an overlong line alone", () => {
    expect(packLines(["a", "x".repeat(20), "b"], 10)).toEqual(["a", "x".repeat(20), "b"]);
  });

  it("makes no message from no lines", () => {
    expect(packLines([], 100)).toEqual([]);
  });

  it("keeps every message of a long list within the limit and loses no line", () => {
    const lines = Array.from(
      { length: 500 },
      (_, i) => `• <b>Region ${i}</b> (<code>slug-${i}</code>) — ${i * 7}`,
    );
    const chunks = packLines(lines, 4000);
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(htmlToPlain(chunk).length).toBeLessThanOrEqual(4000);
    expect(chunks.join("\n").split("\n")).toEqual(lines);
  });
});

describe("bodyBudget", () => {
  it("leaves room for the label and the line break under it", () => {
    expect(bodyBudget(4096, "LABEL")).toBe(4089);
  });
});
