import { beforeAll, describe, expect, inject, it } from "vitest";
import { DEFAULT_FOREIGN_AGENT_LABEL } from "../src/domain/label.ts";
import { hasLabelInPlace, type MessageEntity, type ParseMode } from "../src/domain/labelled-text.ts";
import { type AuditedCall, readAudit } from "./support/label-audit.ts";

type Shown = { text: string; parseMode: ParseMode; entities?: MessageEntity[] };

// These lists are the audit's own, not imported from the transformer: an audit must not trust
// the mechanism it checks.
const TEXT_METHODS = new Set(["sendMessage", "editMessageText"]);
const CAPTION_METHODS = new Set([
  "sendPhoto",
  "sendVideo",
  "sendAnimation",
  "sendAudio",
  "sendDocument",
  "sendVoice",
  "sendPaidMedia",
  "editMessageCaption",
  "copyMessage",
]);

function shown(p: Record<string, unknown>, field: "text" | "caption"): Shown {
  const entities = p[field === "text" ? "entities" : "caption_entities"] as MessageEntity[] | undefined;
  return {
    text: typeof p[field] === "string" ? (p[field] as string) : "",
    parseMode: p.parse_mode as ParseMode,
    entities,
  };
}

/** What a payload puts in a chat; undefined for a method this audit does not know (which fails it). */
function textsOf(method: string, payload: Record<string, unknown>): Shown[] | undefined {
  if (TEXT_METHODS.has(method)) return [shown(payload, "text")];
  if (CAPTION_METHODS.has(method)) return [shown(payload, "caption")];
  if (method === "editMessageMedia")
    return [shown((payload.media ?? {}) as Record<string, unknown>, "caption")];
  if (method === "sendMediaGroup") {
    const media = (payload.media as Record<string, unknown>[] | undefined) ?? [];
    // An album of photos or videos shows one caption, the first item's; one of documents or audio
    // shows every item's caption as a message of its own.
    return media
      .filter(
        (item, i) =>
          i === 0 ||
          ((item.type === "document" || item.type === "audio") &&
            typeof item.caption === "string" &&
            item.caption !== ""),
      )
      .map((item) => shown(item, "caption"));
  }
  if (method.startsWith("send") && method !== "sendChatAction") return undefined;
  return [];
}

describe("the foreign-agent label across the whole e2e run", () => {
  const run = inject("auditedRun");
  // Read when the tests run, not when the file is collected: vitest may collect it before the
  // files whose payloads it reads have run.
  let calls: AuditedCall[] = [];
  beforeAll(() => {
    calls = readAudit();
  });
  const label = process.env.FOREIGN_AGENT_LABEL || DEFAULT_FOREIGN_AGENT_LABEL;

  it(`saw the payloads of every sender in the ${run} run (the audit is not vacuous)`, () => {
    const files = new Set(calls.map((c) => c.file));
    if (run === "chaos") {
      // Worker processes killed, stalled and stopped, Redis restarted, a failover, a cluster.
      for (const file of ["crash-worker", "crash-redis", "digest-crash", "sentinel-failover", "cluster-tag"])
        expect(files).toContain(file);
      expect(calls.filter((c) => c.method === "sendMessage").length).toBeGreaterThan(1000);
      return;
    }
    // The bot, the workers in this process and in the `start` process, the feed poller, the pins,
    // the scheduled pushes and the status messages reactions refresh.
    for (const file of [
      "subscriber-bot",
      "delivery",
      "webhook",
      "start",
      "newsroom",
      "admin",
      "channels",
      "forum-topics",
      "photo-alerts",
      "digests",
      "reader-options",
      "pins",
      "scheduled-pushes",
      "reactions",
    ])
      expect(files).toContain(file);
    expect([...files].some((f) => f.startsWith("feed"))).toBe(true);
    expect(calls.filter((c) => c.method === "sendMessage").length).toBeGreaterThan(1000);
    expect(calls.filter((c) => c.method === "editMessageText").length).toBeGreaterThan(0);
    // Alerts carry the label under the headline, every other message carries it first: both are here.
    const secondLine = calls.filter((c) =>
      String(c.payload.text ?? "")
        .split("\n")[1]
        ?.includes(label),
    );
    const firstLine = calls.filter((c) =>
      String(c.payload.text ?? "")
        .split("\n")[0]
        ?.includes(label),
    );
    expect(secondLine.length).toBeGreaterThan(100);
    expect(firstLine.length).toBeGreaterThan(20);
    // Photo alerts carry it in the caption, under the headline, when sent and when corrected.
    const captionUnderHeadline = (method: string) =>
      calls.filter(
        (c) =>
          c.method === method &&
          String(c.payload.caption ?? "")
            .split("\n")[1]
            ?.includes(label),
      ).length;
    expect(captionUnderHeadline("sendPhoto")).toBeGreaterThan(900);
    expect(captionUnderHeadline("editMessageCaption")).toBeGreaterThan(0);
  });

  it("finds the label, bold and in place, in every message-bearing payload the fake Bot API received", () => {
    const missing = calls.flatMap((call) =>
      (
        textsOf(call.method, call.payload) ?? [
          { text: `unknown method ${call.method}`, parseMode: undefined },
        ]
      )
        .filter((t) => !hasLabelInPlace(t, label))
        .map((t) => `${call.file} ${call.method}: ${t.text.slice(0, 120)}`),
    );
    expect(missing).toEqual([]);
  });

  it("never saw a method that cannot carry the label", () => {
    const unlabellable =
      /^(forwardMessages?|copyMessages|sendSticker|sendLocation|sendVenue|sendContact|sendPoll|sendDice|sendVideoNote|sendGame|sendInvoice|answerInlineQuery)$/;
    expect(calls.filter((c) => unlabellable.test(c.method)).map((c) => `${c.file} ${c.method}`)).toEqual([]);
  });
});
