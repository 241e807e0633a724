import { describe, expect, it } from "vitest";
import {
  canStillRevise,
  decideAfterRevisionFailure,
  isWithinRevisionWindow,
} from "../../src/domain/revision.ts";

const api = (code: number, description: string, retryAfter?: number) =>
  ({ kind: "api", code, description, ...(retryAfter ? { retryAfter } : {}) }) as const;

describe("what a correction or retraction does after Telegram refuses one chat", () => {
  it("counts an unchanged edit as done: the alert already reads as corrected", () => {
    expect(decideAfterRevisionFailure(api(400, "Bad Request: message is not modified: …"))).toEqual({
      action: "done",
    });
  });

  it("names why an alert could not be changed", () => {
    expect(
      decideAfterRevisionFailure(api(400, "Bad Request: message can't be deleted for everyone")),
    ).toEqual({
      action: "failed",
      reason: "too_old",
    });
    expect(decideAfterRevisionFailure(api(400, "Bad Request: message to delete not found"))).toEqual({
      action: "failed",
      reason: "gone",
    });
    expect(decideAfterRevisionFailure(api(403, "Forbidden: bot was blocked by the user"))).toEqual({
      action: "failed",
      reason: "chat_unavailable",
    });
    expect(decideAfterRevisionFailure(api(400, "Bad Request: chat not found"))).toEqual({
      action: "failed",
      reason: "chat_unavailable",
    });
    expect(decideAfterRevisionFailure(api(400, "Bad Request: something new"))).toEqual({
      action: "failed",
      reason: "refused",
    });
  });

  it("waits out a 429 for everyone and retries 5xx and network errors", () => {
    expect(decideAfterRevisionFailure(api(429, "Too Many Requests", 7))).toEqual({
      action: "wait-and-retry",
      seconds: 7,
    });
    expect(decideAfterRevisionFailure(api(502, "Bad Gateway"))).toEqual({ action: "retry" });
    expect(decideAfterRevisionFailure({ kind: "network", requestLeft: true })).toEqual({ action: "retry" });
  });

  it("allows changes for 48 hours after the first send, and not a moment more", () => {
    const sent = Date.parse("2026-11-28T12:00:00Z");
    expect(isWithinRevisionWindow(sent, sent + 47.9 * 3600_000)).toBe(true);
    expect(isWithinRevisionWindow(sent, sent + 48 * 3600_000)).toBe(false);
  });

  it("counts the window from the first send, else from when the article was recorded, else its publication", () => {
    const hour = 3600_000;
    const now = Date.parse("2026-11-30T12:00:00Z");
    const at = (hoursAgo: number) => new Date(now - hoursAgo * hour).toISOString();
    expect(canStillRevise({ firstSentAt: at(49), publishedAt: at(1) }, at(1), now)).toBe(false);
    expect(canStillRevise({ publishedAt: at(47) }, at(60), now)).toBe(true);
    expect(canStillRevise({}, at(49), now)).toBe(false);
  });
});
