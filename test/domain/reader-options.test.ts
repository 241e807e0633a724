import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeChat, encodeChat, newChat } from "../../src/domain/chat.ts";
import { type KeywordFilter, parseFilter } from "../../src/domain/keyword-filter.ts";
import {
  DEFAULT_READER_OPTIONS,
  decodeReaderOptions,
  defaultReaderOptions,
  encodeReaderOptions,
  isDefaultReaderOptions,
  MAX_FILTERS,
  type ReaderOptions,
} from "../../src/domain/reader-options.ts";

const dayMinute = fc.integer({ min: 0, max: 1439 });
const word = fc.stringMatching(/^[a-zа-яе0-9]{1,8}$/);
const phrase = fc
  .array(word, { minLength: 1, maxLength: 3 })
  .map((ws) => ws.join(" "))
  .filter((p) => p.length <= 40);
const filters = fc.uniqueArray(fc.record({ keep: fc.boolean(), phrase }), {
  maxLength: MAX_FILTERS,
  selector: (f) => `${f.keep}${f.phrase}`,
});
const options: fc.Arbitrary<ReaderOptions> = fc
  .record({
    mode: fc.constantFrom("instant" as const, "digest" as const, "breaking" as const),
    digestTimes: fc.uniqueArray(dayMinute, { maxLength: 2 }).map((t) => t.sort((a, b) => a - b)),
    breakingAtOnce: fc.boolean(),
    quiet: fc.option(
      fc.tuple(dayMinute, dayMinute).filter(([a, b]) => a !== b),
      { nil: undefined },
    ),
    quietHoldsBreaking: fc.boolean(),
    muteUntil: fc.option(fc.integer({ min: 0, max: 4_102_444_800_000 }), { nil: undefined }),
    muteKeep: fc.boolean(),
    filters,
    filterBreaking: fc.boolean(),
    pinBreaking: fc.boolean(),
  })
  .map(({ quiet, muteUntil, ...rest }) => ({
    ...rest,
    ...(quiet ? { quiet: { from: quiet[0], to: quiet[1] } } : {}),
    ...(muteUntil !== undefined ? { muteUntil } : {}),
  }));

const typical: ReaderOptions = {
  ...defaultReaderOptions(),
  quiet: { from: 23 * 60, to: 8 * 60 },
  filters: [
    { keep: false, phrase: "футбол" },
    { keep: false, phrase: "гороскоп" },
    { keep: true, phrase: "чечня" },
  ],
};

describe("reader options encoding", () => {
  it("round-trips every shape of options", () => {
    fc.assert(
      fc.property(options, (o) => {
        const encoded = encodeReaderOptions(o);
        expect(encoded).not.toContain("|");
        expect(decodeReaderOptions(encoded)).toEqual(o);
      }),
      { numRuns: 500 },
    );
  });

  it("encodes the defaults as nothing, and nothing as the defaults", () => {
    expect(encodeReaderOptions(DEFAULT_READER_OPTIONS)).toBe("");
    expect(encodeReaderOptions(defaultReaderOptions())).toBe("");
    expect(decodeReaderOptions("")).toEqual(DEFAULT_READER_OPTIONS);
    expect(isDefaultReaderOptions(decodeReaderOptions(""))).toBe(true);
  });

  it("hands out a copy of the defaults that a caller may change", () => {
    const o = decodeReaderOptions("");
    o.filters.push({ keep: false, phrase: "спорт" });
    o.digestTimes.push(480);
    expect(DEFAULT_READER_OPTIONS.filters).toEqual([]);
    expect(DEFAULT_READER_OPTIONS.digestTimes).toEqual([]);
  });

  it("is not default once any one option differs", () => {
    const changes: Partial<ReaderOptions>[] = [
      { mode: "digest" },
      { mode: "breaking" },
      { digestTimes: [480] },
      { breakingAtOnce: false },
      { quiet: { from: 0, to: 60 } },
      { quietHoldsBreaking: true },
      { muteUntil: 1 },
      { muteKeep: false },
      { filters: [{ keep: true, phrase: "a" }] },
      { filterBreaking: true },
      { pinBreaking: true },
    ];
    for (const change of changes) {
      const o = { ...defaultReaderOptions(), ...change };
      expect(isDefaultReaderOptions(o)).toBe(false);
      expect(encodeReaderOptions(o)).not.toBe("");
    }
  });

  it("keeps 3 Cyrillic filters and quiet hours within 120 bytes of the chat string", () => {
    const plain = newChat(123456789, "private", "ru", "Europe/Moscow");
    const extra =
      Buffer.byteLength(encodeChat({ ...plain, options: typical })) - Buffer.byteLength(encodeChat(plain));
    expect(extra).toBeLessThanOrEqual(120);
    // With digest mode at two times on top it still fits.
    const digest = { ...typical, mode: "digest" as const, digestTimes: [480, 1140] };
    const more =
      Buffer.byteLength(encodeChat({ ...plain, options: digest })) - Buffer.byteLength(encodeChat(plain));
    expect(more).toBeLessThanOrEqual(120);
  });

  it("never throws on broken input and keeps the parts it can read", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), (raw) => {
        const o = decodeReaderOptions(raw);
        expect(o.filters.length).toBeLessThanOrEqual(MAX_FILTERS);
        expect(o.digestTimes.length).toBeLessThanOrEqual(2);
      }),
    );
    const o = decodeReaderOptions("d;t480.9999.abc;q100.100;u!!;zz;+;-ok;+bad<tag>;F");
    expect(o.mode).toBe("digest");
    expect(o.digestTimes).toEqual([480]);
    expect(o.quiet).toBeUndefined();
    expect(o.muteUntil).toBeUndefined();
    expect(o.filters).toEqual([{ keep: false, phrase: "ok" }]);
    expect(o.filterBreaking).toBe(true);
  });

  it("normalises filters written by hand into the string, as parseFilter would", () => {
    expect(decodeReaderOptions("-Футбол;+ЁЛКА;+o’brien;-Мини-Футбол").filters).toEqual([
      { keep: false, phrase: "футбол" },
      { keep: true, phrase: "елка" },
      { keep: true, phrase: "o'brien" },
      { keep: false, phrase: "мини-футбол" },
    ]);
    expect(decodeReaderOptions(`-${"я".repeat(41)};-a  b;+ x`).filters).toEqual([
      { keep: false, phrase: "a b" },
      { keep: true, phrase: "x" },
    ]);
  });

  it("reads back every filter parseFilter accepts, ligatures and letters that grow when normalised included", () => {
    const readBack = (filter: KeywordFilter) =>
      decodeReaderOptions(encodeReaderOptions({ ...defaultReaderOptions(), filters: [filter] })).filters;
    const typed = fc
      .tuple(
        fc.constantFrom("+", "-"),
        fc.string({ unit: fc.constantFrom("ﬁ", "ǆ", "ǅ", "ß", "a", "я", "Ё", " ", "-", "'"), maxLength: 45 }),
      )
      .map(([sign, rest]) => `${sign}${rest}`);
    fc.assert(
      fc.property(typed, (input) => {
        const parsed = parseFilter(input);
        if (parsed.ok) expect(readBack(parsed.filter)).toEqual([parsed.filter]);
      }),
    );
    const fi = parseFilter(`-${"ﬁ".repeat(20)}`);
    expect(fi.ok && readBack(fi.filter)).toEqual([{ keep: false, phrase: "fi".repeat(20) }]);
  });

  it("reads at most 20 filters and each one once", () => {
    const many = Array.from({ length: 30 }, (_, i) => `-w${i}`).join(";");
    expect(decodeReaderOptions(many).filters).toHaveLength(MAX_FILTERS);
    expect(decodeReaderOptions("-a;-a;+a").filters).toEqual([
      { keep: false, phrase: "a" },
      { keep: true, phrase: "a" },
    ]);
  });
});

describe("reader options in the chat string", () => {
  const old = [
    "ru|ru|1|p|Europe/Moscow",
    "en|both|0|g|Asia/Tbilisi",
    "ru|ru|1|g|Europe/Moscow|42|",
    "en|en|1|c|UTC||5001",
  ];

  it("decodes the strings stored before options existed, without options, and keeps their short form", () => {
    for (const raw of old) {
      const chat = decodeChat(7, raw);
      expect(chat).toBeDefined();
      expect(chat?.options).toBeUndefined();
      // Written again, only the edition field of a chat reading its own language empties.
      expect(chat && encodeChat(chat)).toBe(raw.replace(/^(ru|en)\|\1\|/, "$1||"));
    }
  });

  it("adds nothing to a chat whose options are the defaults", () => {
    const plain = newChat(1, "private", "ru", "Europe/Moscow");
    expect(encodeChat({ ...plain, options: defaultReaderOptions() })).toBe(encodeChat(plain));
    expect(decodeChat(1, encodeChat({ ...plain, options: defaultReaderOptions() }))).toEqual(plain);
  });

  it("round-trips options next to a forum topic, a connector, or neither", () => {
    fc.assert(
      fc.property(
        options,
        fc.option(fc.integer({ min: 1, max: 1_000_000 }), { nil: undefined }),
        fc.option(fc.integer({ min: 1, max: 2 ** 40 }), { nil: undefined }),
        (o, threadId, connectedBy) => {
          const chat = {
            ...newChat(-100123, "group", "en", "America/Argentina/Buenos_Aires"),
            ...(threadId !== undefined ? { threadId } : {}),
            ...(connectedBy !== undefined ? { connectedBy } : {}),
            ...(isDefaultReaderOptions(o) ? {} : { options: o }),
          };
          expect(decodeChat(chat.id, encodeChat(chat))).toEqual(chat);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("keeps a chat readable whose options field is broken, with default options", () => {
    const chat = decodeChat(1, "ru|ru|1|p|Europe/Moscow|||zz;;;");
    expect(chat).toEqual(newChat(1, "private", "ru", "Europe/Moscow"));
  });
});
