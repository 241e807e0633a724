import { describe, expect, it } from "vitest";
import { decideAfterPinFailure } from "../../src/domain/pin-failure.ts";

const api = (code: number, description: string, retryAfter?: number) =>
  ({ kind: "api", code, description, ...(retryAfter ? { retryAfter } : {}) }) as const;

describe("what a failed pin comes to", () => {
  it("calls a missing right a refusal, in each of the ways Telegram says it", () => {
    for (const failure of [
      api(400, "Bad Request: not enough rights to manage pinned messages in the chat"),
      api(400, "Bad Request: CHAT_ADMIN_REQUIRED"),
      api(403, "Forbidden: bot is not a member of the channel chat"),
    ])
      expect(decideAfterPinFailure(failure), failure.description).toEqual({ action: "refused" });
  });

  it("waits out a flood, retries a server or network failure, and gives up on any other 400", () => {
    expect(decideAfterPinFailure(api(429, "Too Many Requests", 7))).toEqual({
      action: "wait-and-retry",
      seconds: 7,
    });
    expect(decideAfterPinFailure(api(502, "Bad Gateway"))).toEqual({ action: "retry" });
    expect(decideAfterPinFailure({ kind: "network", requestLeft: true })).toEqual({ action: "retry" });
    expect(decideAfterPinFailure(api(400, "Bad Request: message to pin not found"))).toEqual({
      action: "give-up",
    });
  });
});
