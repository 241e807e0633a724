import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import {
  emptyCensus,
  failureShare,
  queueDepth,
  statsWindows,
  sumDeliveries,
  summarizeFeeds,
  tallyChat,
  topSubscriptions,
  totalSubscriptions,
} from "../../src/domain/admin-stats.ts";
import type { CatalogEntry } from "../../src/domain/catalog.ts";
import { encodeChat, newChat } from "../../src/domain/chat.ts";

describe("chat census", () => {
  it("counts chats by activity and kind, leaving out what it cannot read", () => {
    const census = emptyCensus();
    tallyChat(census, encodeChat(newChat(1, "private", "ru", "Europe/Moscow")));
    tallyChat(census, encodeChat({ ...newChat(2, "private", "en", "UTC"), active: false }));
    tallyChat(census, encodeChat(newChat(-3, "group", "ru", "Europe/Moscow")));
    tallyChat(census, encodeChat({ ...newChat(-4, "channel", "ru", "Asia/Tbilisi"), active: false }));
    tallyChat(census, "garbage");
    expect(census).toEqual({ total: 4, active: 2, inactive: 2, private: 2, groups: 1, channels: 1 });
  });
});

const catalog: CatalogEntry[] = [
  { slug: "chechnya", kind: "region", nameRu: "Чечня", nameEn: "Chechnya", state: "active" },
  { slug: "dagestan", kind: "region", nameRu: "Дагестан", nameEn: "Dagestan", state: "active" },
  { slug: "courts", kind: "topic", nameRu: "Суды", nameEn: "Courts", state: "archived" },
];

describe("subscriptions", () => {
  it("sums every slug's subscribers, ignoring a count gone negative", () => {
    expect(
      totalSubscriptions(
        new Map([
          ["a", 3],
          ["b", 4],
          ["c", -1],
        ]),
      ),
    ).toBe(7);
  });

  it("ranks the most followed slugs with names in the admin's language, ties by name", () => {
    const counts = new Map([
      ["courts", 5],
      ["dagestan", 9],
      ["chechnya", 5],
      ["gone", 1],
      ["nobody", 0],
    ]);
    expect(topSubscriptions(counts, catalog, "en")).toEqual([
      { slug: "dagestan", name: "Dagestan", subscribers: 9, archived: false },
      { slug: "chechnya", name: "Chechnya", subscribers: 5, archived: false },
      { slug: "courts", name: "Courts", subscribers: 5, archived: true },
      { slug: "gone", name: "gone", subscribers: 1, archived: false },
    ]);
    expect(topSubscriptions(counts, catalog, "ru", 2).map((t) => t.name)).toEqual(["Дагестан", "Суды"]);
  });
});

describe("sumDeliveries", () => {
  it("adds up sent alerts and failures by reason over a window's articles, most frequent reason first", () => {
    const summary = sumDeliveries([
      { sent: 100, failed: { blocked: 3, not_found: 1 } },
      { sent: 50, failed: { blocked: 2, unavailable: 4 } },
      { sent: 0, failed: {} },
    ]);
    expect(summary).toEqual({
      articles: 3,
      sent: 150,
      failed: 10,
      reasons: [
        { reason: "blocked", count: 5 },
        { reason: "unavailable", count: 4 },
        { reason: "not_found", count: 1 },
      ],
    });
    expect(failureShare(summary)).toBeCloseTo(10 / 160);
  });

  it("reports nothing for a window without articles", () => {
    const summary = sumDeliveries([]);
    expect(summary).toEqual({ articles: 0, sent: 0, failed: 0, reasons: [] });
    expect(failureShare(summary)).toBe(0);
  });
});

describe("statsWindows", () => {
  it("starts the day window 24 h and the week window 7 days before now", () => {
    const now = DateTime.fromISO("2026-11-30T12:00:00Z");
    expect(statsWindows(now)).toEqual({
      day: Date.parse("2026-11-29T12:00:00Z"),
      week: Date.parse("2026-11-23T12:00:00Z"),
    });
  });
});

describe("queueDepth", () => {
  it("leaves out the next run a job scheduler keeps queued: the digest clock is not a queued job", () => {
    expect(queueDepth({ wait: 0, prioritized: 0, active: 0, delayed: 1 }, 1)).toBe(0);
    expect(queueDepth({ wait: 3, prioritized: 0, active: 1, delayed: 2 }, 2)).toBe(4);
    expect(queueDepth({}, 1)).toBe(0);
  });

  it("adds waiting, prioritized, running and delayed jobs", () => {
    expect(queueDepth({ wait: 2, prioritized: 1, active: 3, delayed: 4 })).toBe(10);
    expect(queueDepth({})).toBe(0);
  });
});

describe("summarizeFeeds", () => {
  it("counts healthy feeds and lists the troubled ones, down first, then by failures", () => {
    const summary = summarizeFeeds([
      { feedId: "ok", down: false, failures: 0, lastSuccessAt: 1 },
      { feedId: "flaky", down: false, failures: 1, lastError: "timeout" },
      { feedId: "dead", down: true, failures: 5, lastError: "HTTP 503" },
      { feedId: "worse", down: false, failures: 2 },
    ]);
    expect(summary.total).toBe(4);
    expect(summary.healthy).toBe(1);
    expect(summary.troubled.map((f) => f.feedId)).toEqual(["dead", "worse", "flaky"]);
  });
});
