import { describe, expect, it } from "vitest";
import { parseConfig } from "../src/config.ts";

const token = { BOT_TOKEN: "123:abc" };

describe("LINK_PREVIEWS", () => {
  it("is on unless the operator turns it off", () => {
    expect(parseConfig(token).linkPreviews).toBe(true);
    expect(parseConfig({ ...token, LINK_PREVIEWS: "" }).linkPreviews).toBe(true);
    expect(parseConfig({ ...token, LINK_PREVIEWS: "false" }).linkPreviews).toBe(false);
    expect(parseConfig({ ...token, LINK_PREVIEWS: "0" }).linkPreviews).toBe(false);
    expect(parseConfig({ ...token, LINK_PREVIEWS: "true" }).linkPreviews).toBe(true);
  });

  it("refuses anything but true or false, naming the variable", () => {
    expect(() => parseConfig({ ...token, LINK_PREVIEWS: "maybe" })).toThrow(
      "LINK_PREVIEWS must be true or false",
    );
  });
});
