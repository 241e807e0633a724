import { describe, expect, it } from "vitest";
import { backoffMs, decideAfterFailure } from "../../src/domain/send-failure.ts";

const api = (code: number, description: string, extra: { retryAfter?: number; migrateTo?: number } = {}) =>
  decideAfterFailure({ kind: "api", code, description, ...extra });

describe("what delivery does after a failed send", () => {
  it("waits out a 429 for retry_after seconds, at least one", () => {
    expect(api(429, "Too Many Requests: retry after 7", { retryAfter: 7 })).toEqual({
      action: "wait-and-retry",
      seconds: 7,
    });
    expect(api(429, "Too Many Requests")).toEqual({ action: "wait-and-retry", seconds: 1 });
  });

  it("stops alerting a chat that blocked the bot, was deactivated or kicked it", () => {
    expect(api(403, "Forbidden: bot was blocked by the user")).toEqual({
      action: "deactivate",
      reason: "blocked",
    });
    expect(api(403, "Forbidden: user is deactivated")).toEqual({ action: "deactivate", reason: "blocked" });
    expect(api(403, "Forbidden: bot can't initiate conversation with a user")).toEqual({
      action: "deactivate",
      reason: "blocked",
    });
  });

  it("moves a group that became a supergroup", () => {
    expect(
      api(400, "Bad Request: group chat was upgraded to a supergroup chat", { migrateTo: -100123 }),
    ).toEqual({
      action: "move-chat",
      to: -100123,
    });
  });

  it("treats a vanished chat as inactive and other 400s as final", () => {
    expect(api(400, "Bad Request: chat not found")).toEqual({ action: "deactivate", reason: "not_found" });
    expect(api(400, "Bad Request: can't parse entities")).toEqual({
      action: "give-up",
      reason: "bad_request",
    });
  });

  it("retries server errors, and network failures marking whether the request had left", () => {
    expect(api(502, "Bad Gateway")).toEqual({ action: "retry-later", ambiguous: false });
    expect(decideAfterFailure({ kind: "network", requestLeft: true })).toEqual({
      action: "retry-later",
      ambiguous: true,
    });
    expect(decideAfterFailure({ kind: "network", requestLeft: false })).toEqual({
      action: "retry-later",
      ambiguous: false,
    });
  });

  it("sends a forum group's alert to General when its topic was deleted or closed", () => {
    for (const description of [
      "Bad Request: message thread not found",
      "Bad Request: TOPIC_DELETED",
      "Bad Request: TOPIC_CLOSED",
    ])
      expect(api(400, description)).toEqual({ action: "fall-back-to-general" });
  });

  it("stops posting in a channel where the bot is no longer an administrator that may post", () => {
    expect(api(403, "Forbidden: bot is not a member of the channel chat")).toEqual({
      action: "deactivate",
      reason: "blocked",
    });
    expect(api(400, "Bad Request: need administrator rights in the channel chat")).toEqual({
      action: "deactivate",
      reason: "blocked",
    });
  });

  it("backs off exponentially up to a cap", () => {
    expect([1, 2, 3, 4, 5, 6].map((a) => backoffMs(a))).toEqual([500, 1000, 2000, 4000, 8000, 8000]);
  });
});
