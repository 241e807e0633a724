import { describe, expect, it } from "vitest";
import {
  countsChange,
  type ReactionLike,
  reactionChange,
  reactionSum,
  reactionsLine,
  topReactions,
} from "../../src/domain/reactions.ts";

const emoji = (e: string): ReactionLike => ({ type: "emoji", emoji: e });

describe("reactionChange", () => {
  it("adds a new reaction and takes away a removed one", () => {
    expect(reactionChange([], [emoji("👍")])).toEqual({ "👍": 1 });
    expect(reactionChange([emoji("👍")], [])).toEqual({ "👍": -1 });
  });

  it("moves a changed reaction from the old emoji to the new one, and leaves kept ones alone", () => {
    expect(reactionChange([emoji("👍"), emoji("🔥")], [emoji("😢"), emoji("🔥")])).toEqual({
      "👍": -1,
      "😢": 1,
    });
  });

  it("counts every custom emoji under one key and paid stars under another", () => {
    expect(
      reactionChange(
        [],
        [{ type: "custom_emoji", custom_emoji_id: "5368324170671202286" }, { type: "paid" }],
      ),
    ).toEqual({ "✨": 1, "⭐": 1 });
  });
});

describe("countsChange", () => {
  it("adds the difference between a channel message's last counts and its new ones", () => {
    const counts = [
      { type: emoji("👍"), total_count: 12 },
      { type: emoji("😢"), total_count: 3 },
    ];
    expect(countsChange({}, counts)).toEqual({ "👍": 12, "😢": 3 });
    expect(countsChange({ "👍": 10, "🔥": 2 }, counts)).toEqual({ "👍": 2, "😢": 3, "🔥": -2 });
  });

  it("adds nothing when the same counts come again", () => {
    expect(countsChange({ "👍": 12 }, [{ type: emoji("👍"), total_count: 12 }])).toEqual({});
  });
});

describe("topReactions and reactionsLine", () => {
  it("shows the five most frequent, most first, without the ones that fell to zero", () => {
    const totals = { "👍": 120, "😢": 45, "🔥": 12, "🎉": 3, "❤": 7, "🤔": 1, "👎": 0 };
    expect(topReactions(totals).map(([k]) => k)).toEqual(["👍", "😢", "🔥", "❤", "🎉"]);
    expect(reactionsLine({ "👍": 120, "😢": 45, "🔥": 12 })).toBe("👍 120 · 😢 45 · 🔥 12");
  });

  it("is empty when nobody reacted", () => {
    expect(reactionsLine({})).toBe("");
    expect(reactionsLine({ "👍": 0 })).toBe("");
  });

  it("sums every positive total for ranking", () => {
    expect(reactionSum({ "👍": 3, "😢": 2, "🔥": -1 })).toBe(5);
  });
});
