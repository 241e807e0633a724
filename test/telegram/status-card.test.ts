import { describe, expect, it } from "vitest";
import type { DeliveryProgress } from "../../src/domain/delivery-progress.ts";
import { newsroomData, parseNewsroomData, statusCard } from "../../src/telegram/status-card.ts";

const t = (key: string, vars?: Record<string, string | number>) =>
  `${key}${vars ? JSON.stringify(vars) : ""}`;
const progress = (state: DeliveryProgress["state"]): DeliveryProgress => ({
  state,
  sent: 1,
  failed: 0,
  failedBy: [],
  cancelled: 0,
  held: 0,
  optedOut: 0,
  remaining: 0,
  total: 1,
  etaSeconds: undefined,
  elapsedSeconds: 1,
  reads: 0,
});
const article = { id: "brk-1", headline: "<b>H</b> & co", breaking: true };
const buttons = (state: DeliveryProgress["state"], revisable = true) =>
  statusCard(article, 7, progress(state), t, revisable)
    .reply_markup.inline_keyboard.flat()
    .map((b) => b.text);

describe("the editor's status message", () => {
  it("offers Stop only while sending, Correct and Retract while the alert can change, nothing once retracted", () => {
    expect(buttons("sending")).toEqual(["nr-btn-cancel", "nr-btn-correct", "nr-btn-retract"]);
    expect(buttons("finished")).toEqual(["nr-btn-correct", "nr-btn-retract"]);
    expect(buttons("finished", false)).toEqual([]);
    expect(buttons("retracted")).toEqual([]);
  });

  it("escapes the headline and the id, since the message is HTML", () => {
    expect(statusCard(article, 7, progress("finished"), t, true).text).toContain(
      "&lt;b&gt;H&lt;/b&gt; &amp; co",
    );
  });

  it("says how many chats the readers' options held for a digest or left out, and nothing when none", () => {
    expect(statusCard(article, 7, progress("finished"), t, true).text).not.toContain("nr-status-readers");
    const card = statusCard(article, 7, { ...progress("finished"), held: 3, optedOut: 2 }, t, true);
    expect(card.text).toContain(
      'nr-status-readers{"parts":"nr-status-held{\\"held\\":3}, nr-status-opted-out{\\"optedOut\\":2}"}',
    );
  });

  it("leaves out a part of the readers' line that is zero: no «не нужно 0»", () => {
    const held = statusCard(article, 7, { ...progress("finished"), held: 3 }, t, true).text;
    expect(held).toContain('nr-status-readers{"parts":"nr-status-held{\\"held\\":3}"}');
    expect(held).not.toContain("nr-status-opted-out");
    const optedOut = statusCard(article, 7, { ...progress("finished"), optedOut: 4 }, t, true).text;
    expect(optedOut).toContain('nr-status-readers{"parts":"nr-status-opted-out{\\"optedOut\\":4}"}');
    expect(optedOut).not.toContain("nr-status-held");
  });

  it("reads back only well-formed button data of its own", () => {
    expect(parseNewsroomData(newsroomData("retract-yes", 42))).toEqual({ action: "retract-yes", seq: 42 });
    for (const bad of ["nr:delete:1", "nr:cancel:", "nr:cancel:1:2", "adm:audit:1", "nr:cancel:-1"])
      expect(parseNewsroomData(bad), bad).toBeUndefined();
  });

  it("shows how many read the article here once anyone did, and nothing before", () => {
    expect(statusCard(article, 7, progress("finished"), t, true).text).not.toContain("nr-reads");
    const card = statusCard(article, 7, { ...progress("finished"), reads: 312 }, t, true);
    expect(card.text.split("\n").at(-1)).toBe('nr-reads{"count":312}');
  });
});
