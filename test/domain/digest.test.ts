import fc from "fast-check";
import { DateTime } from "luxon";
import { describe, expect, it } from "vitest";
import { type DigestItem, type DigestWords, renderDigest } from "../../src/domain/digest.ts";
import { htmlToPlain, parseHtml, visibleLength } from "../../src/domain/html.ts";
import { DEFAULT_FOREIGN_AGENT_LABEL, TEXT_LIMIT } from "../../src/domain/label.ts";
import { hasLabelInPlace } from "../../src/domain/labelled-text.ts";

const LABEL = DEFAULT_FOREIGN_AGENT_LABEL;
const words: DigestWords = {
  title: "Дайджест",
  more: (n) => `…и ещё ${n}`,
  fellOut: (n) => `${n} старых не вошли`,
};
const base = DateTime.fromISO("2026-06-10T10:00:00Z");
const item = (seq: number, extra: Partial<DigestItem> = {}): DigestItem => ({
  seq,
  headline: `Новость ${seq}`,
  url: `https://www.kavkaz-uzel.eu/articles/${seq}`,
  breaking: false,
  at: base.plus({ minutes: seq }),
  ...extra,
});
const render = (items: DigestItem[], fellOut = 0, zone = "Europe/Moscow") =>
  renderDigest(items, { label: LABEL, zone, lang: "ru", fellOut, words });
const lines = (part: string) => htmlToPlain(part).split("\n");

describe("renderDigest", () => {
  it("opens with the label in bold, then the title, then one line per article", () => {
    const [part, ...rest] = render([item(1), item(2, { breaking: true })]);
    expect(rest).toEqual([]);
    expect(hasLabelInPlace({ text: part ?? "", parseMode: "HTML" }, LABEL)).toBe(true);
    expect(lines(part ?? "")).toEqual([LABEL, "Дайджест", "🔴 Новость 2 · 13:02", "Новость 1 · 13:01"]);
  });

  it("links every headline to its article", () => {
    const [part = ""] = render([item(1)]);
    const link = parseHtml(part).elements.find((e) => e.tag === "a");
    expect(link).toBeDefined();
    expect(part).toContain('<a href="https://www.kavkaz-uzel.eu/articles/1">Новость 1</a>');
  });

  it("puts the newest first, whatever order the items come in", () => {
    const [part = ""] = render([item(5), item(1), item(9), item(3)]);
    expect(
      lines(part)
        .slice(2)
        .map((l) => l.split(" · ")[0]),
    ).toEqual(["Новость 9", "Новость 5", "Новость 3", "Новость 1"]);
  });

  it("gives the time in the chat's zone, with the date for an older day", () => {
    const [yekaterinburg = ""] = render([item(5)], 0, "Asia/Yekaterinburg");
    expect(lines(yekaterinburg)[2]).toBe("Новость 5 · 15:05");
    const [mixed = ""] = render([item(5), item(6, { at: base.minus({ days: 1 }) })]);
    expect(lines(mixed)[3]).toBe("Новость 6 · 9 июн., 13:00");
  });

  it("uses the time format the words give", () => {
    const [part = ""] = renderDigest([item(5)], {
      label: LABEL,
      zone: "UTC",
      lang: "en",
      fellOut: 0,
      words: { ...words, timeFormat: "h:mm a" },
    });
    expect(lines(part)[2]).toBe("Новость 5 · 10:05 AM");
  });

  it("escapes headlines and links, so that no article can break the markup", () => {
    const [part = ""] = render([
      item(1, { headline: 'A <b>bold</b> & "quoted" </a>', url: 'https://x.example/?a=1&b="2"' }),
    ]);
    expect(part).toContain('href="https://x.example/?a=1&amp;b=&quot;2&quot;"');
    expect(lines(part)[2]).toBe('A <b>bold</b> & "quoted" </a> · 13:01');
    expect(parseHtml(part).elements.map((e) => e.tag)).toEqual(["b", "b", "a"]);
  });

  it("lists 50 articles and says how many more there are", () => {
    const items = Array.from({ length: 73 }, (_, i) => item(i + 1));
    const parts = render(items);
    const all = parts.flatMap((p) => lines(p).slice(2));
    expect(all).toHaveLength(51);
    expect(all[0]).toBe("Новость 73 · 14:13");
    expect(all[49]).toBe("Новость 24 · 13:24");
    expect(all[50]).toBe("…и ещё 23");
  });

  it('counts the more articles it is told of, so that one message rendered again keeps its "and N more" line', () => {
    const [part = ""] = renderDigest([item(1), item(2)], {
      label: LABEL,
      zone: "Europe/Moscow",
      lang: "ru",
      fellOut: 0,
      words,
      more: 23,
    });
    expect(lines(part).slice(2)).toEqual(["Новость 2 · 13:02", "Новость 1 · 13:01", "…и ещё 23"]);
    const items = Array.from({ length: 52 }, (_, i) => item(i + 1));
    const all = renderDigest(items, {
      label: LABEL,
      zone: "Europe/Moscow",
      lang: "ru",
      fellOut: 0,
      words,
      more: 3,
    });
    expect(all.flatMap((p) => lines(p)).at(-1)).toBe("…и ещё 5");
  });

  it("says how many older articles fell out, after the list", () => {
    const [part = ""] = render([item(1)], 12);
    expect(lines(part).at(-1)).toBe("12 старых не вошли");
    const [none = ""] = render([item(1)], 0);
    expect(none).not.toContain("старых");
  });

  it("keeps each article on one line, whatever line breaks its headline has", () => {
    const [part = ""] = render([item(1, { headline: "Первая\nстрока\r\n  вторая " })]);
    expect(lines(part)).toEqual([LABEL, "Дайджест", "Первая строка вторая · 13:01"]);
  });

  it("makes no message of no articles", () => {
    expect(render([])).toEqual([]);
  });

  it("splits a long digest into parts, each under 4096 with the label on top, losing no line", () => {
    const items = Array.from({ length: 50 }, (_, i) =>
      item(i + 1, { headline: `${"Длинный заголовок ".repeat(16)}${i}` }),
    );
    const parts = render(items, 3);
    expect(parts.length).toBeGreaterThan(1);
    const seen: string[] = [];
    for (const part of parts) {
      expect(visibleLength(part)).toBeLessThanOrEqual(TEXT_LIMIT);
      expect(hasLabelInPlace({ text: part, parseMode: "HTML" }, LABEL)).toBe(true);
      expect(lines(part)[1]).toBe("Дайджест");
      seen.push(...lines(part).slice(2));
    }
    expect(seen).toHaveLength(51);
    expect(seen.at(-1)).toBe("3 старых не вошли");
    expect(seen.slice(0, 50).map((l) => l.match(/(\d+) · /)?.[1])).toEqual(
      Array.from({ length: 50 }, (_, i) => String(49 - i)),
    );
  });

  it("shortens an absurdly long headline so that its line always fits, never inside an emoji", () => {
    const [part = ""] = render([item(1, { headline: "😀".repeat(3000) })]);
    expect(visibleLength(part)).toBeLessThanOrEqual(TEXT_LIMIT);
    expect(htmlToPlain(part)).toContain("…");
    expect(htmlToPlain(part)).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it("keeps every part within Telegram's limit with the label in place, for any articles", () => {
    const headline = fc.string({ unit: "grapheme", maxLength: 400 });
    fc.assert(
      fc.property(
        fc.array(
          fc.record({ headline, breaking: fc.boolean(), minutes: fc.integer({ min: 0, max: 10_000 }) }),
          {
            maxLength: 80,
          },
        ),
        fc.integer({ min: 0, max: 500 }),
        (raw, fellOut) => {
          const items = raw.map((r, i) =>
            item(i, { headline: r.headline, breaking: r.breaking, at: base.plus({ minutes: r.minutes }) }),
          );
          const parts = render(items, fellOut);
          if (items.length === 0 && fellOut === 0) expect(parts).toEqual([]);
          for (const part of parts) {
            expect(visibleLength(part)).toBeLessThanOrEqual(TEXT_LIMIT);
            expect(hasLabelInPlace({ text: part, parseMode: "HTML" }, LABEL)).toBe(true);
          }
          const listed = parts.flatMap((p) => parseHtml(p).elements.filter((e) => e.tag === "a"));
          expect(listed).toHaveLength(Math.min(items.length, 50));
        },
      ),
      { numRuns: 100 },
    );
  });
});
