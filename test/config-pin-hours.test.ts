import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../src/config.ts";

const token = { BOT_TOKEN: "123:abc" };

describe("PIN_HOURS", () => {
  it("keeps a pinned breaking alert 12 hours unless told otherwise, and treats empty as unset", () => {
    expect(parseConfig(token).pinHours).toBe(12);
    expect(parseConfig({ ...token, PIN_HOURS: "" }).pinHours).toBe(12);
    expect(parseConfig({ ...token, PIN_HOURS: "3" }).pinHours).toBe(3);
    expect(parseConfig({ ...token, PIN_HOURS: "168" }).pinHours).toBe(168);
  });

  it("refuses anything but a whole number of hours from 1 to a week, naming the variable", () => {
    for (const value of ["0", "169", "1.5", "soon", "-2"]) {
      expect(() => parseConfig({ ...token, PIN_HOURS: value }), value).toThrow(ConfigError);
      expect(() => parseConfig({ ...token, PIN_HOURS: value }), value).toThrow(
        "PIN_HOURS must be a whole number from 1 to 168",
      );
    }
  });
});
