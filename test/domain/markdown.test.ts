import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_FOREIGN_AGENT_LABEL } from "../../src/domain/label.ts";
import { hasLabelInPlace, visibleTextOf } from "../../src/domain/labelled-text.ts";
import { escapeMarkdownV2 } from "../../src/domain/markdown.ts";

const L = DEFAULT_FOREIGN_AGENT_LABEL;

describe("escapeMarkdownV2", () => {
  it("escapes every character MarkdownV2 reserves, backslash included", () => {
    expect(escapeMarkdownV2("_*[]()~`>#+-=|{}.!\\")).toBe(
      "\\_\\*\\[\\]\\(\\)\\~\\`\\>\\#\\+\\-\\=\\|\\{\\}\\.\\!\\\\",
    );
  });

  it("leaves other characters alone", () => {
    expect(escapeMarkdownV2("ООО “МЕМО” 😀 & <b")).toBe("ООО “МЕМО” 😀 & <b");
  });

  it("round-trips any string through the MarkdownV2 reader", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), (s) => {
        expect(visibleTextOf({ text: escapeMarkdownV2(s), parseMode: "MarkdownV2" })).toBe(s);
      }),
    );
  });
});

describe("reading MarkdownV2 quotes", () => {
  it("shows an expandable quote's text without its ** and || marks", () => {
    expect(visibleTextOf({ text: "**>one\n>two||\nthree", parseMode: "MarkdownV2" })).toBe("one\ntwo\nthree");
  });

  it("keeps a spoiler closed at the end of a quoted line a spoiler", () => {
    const text = `>||*${escapeMarkdownV2(L)}*||\nbody`;
    expect(hasLabelInPlace({ text, parseMode: "MarkdownV2" }, L)).toBe(false);
    expect(visibleTextOf({ text, parseMode: "MarkdownV2" })).toBe(`${L}\nbody`);
  });
});
