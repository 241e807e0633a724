import { describe, expect, it } from "vitest";
import { defaultReaderOptions, type ReaderOptions } from "../../src/domain/reader-options.ts";
import { formatOptionsCell, parseOptionsCell } from "../../src/domain/subscriber-options.ts";

const options = (changes: Partial<ReaderOptions>): ReaderOptions => ({
  ...defaultReaderOptions(),
  ...changes,
});
const privateChat = (o?: ReaderOptions) => ({
  id: 5,
  kind: "private" as const,
  ...(o ? { options: o } : {}),
});

const read = (cell: string) => {
  const check = parseOptionsCell(cell);
  if (!check.ok) throw new Error(check.reason);
  return check.cell;
};
const reason = (cell: string) => {
  const check = parseOptionsCell(cell);
  return check.ok ? "accepted" : check.reason;
};

describe("writing the options cell", () => {
  it("writes {} for a chat with the defaults, or with no options at all", () => {
    expect(formatOptionsCell(privateChat(), "private")).toBe("{}");
    expect(formatOptionsCell(privateChat(defaultReaderOptions()), "private")).toBe("{}");
  });

  it("writes every option that differs from the defaults, in a fixed order, times as HH:MM", () => {
    const cell = formatOptionsCell(
      {
        id: -100,
        kind: "channel",
        threadId: 9,
        options: options({
          mode: "digest",
          digestTimes: [0, 19 * 60 + 5],
          breakingAtOnce: false,
          quiet: { from: 23 * 60 + 30, to: 7 * 60 },
          quietHoldsBreaking: true,
          muteUntil: Date.UTC(2026, 11, 7, 5, 0, 0, 250),
          muteKeep: false,
          filters: [
            { keep: true, phrase: "грозный" },
            { keep: false, phrase: "права человека" },
          ],
          filterBreaking: true,
          pinBreaking: true,
        }),
      },
      "group",
    );
    expect(JSON.parse(cell)).toEqual({
      kind: "channel",
      thread: 9,
      mode: "digest",
      digestTimes: ["00:00", "19:05"],
      breakingAtOnce: false,
      quiet: { from: "23:30", to: "07:00" },
      quietHoldsBreaking: true,
      muteUntil: "2026-12-07T05:00:00.250Z",
      muteKeep: false,
      filters: ["+грозный", "-права человека"],
      filterBreaking: true,
      pinBreaking: true,
    });
    expect(Object.keys(JSON.parse(cell))).toEqual([
      "kind",
      "thread",
      "mode",
      "digestTimes",
      "breakingAtOnce",
      "quiet",
      "quietHoldsBreaking",
      "muteUntil",
      "muteKeep",
      "filters",
      "filterBreaking",
      "pinBreaking",
    ]);
  });

  it("writes a pause that is over as it is stored, in UTC", () => {
    expect(formatOptionsCell(privateChat(options({ muteUntil: Date.UTC(2020, 0, 1) })), "private")).toBe(
      '{"muteUntil":"2020-01-01T00:00:00Z"}',
    );
  });
});

describe("reading the options cell", () => {
  it("reads {} as every default, with the kind and topic not given", () => {
    expect(read("{}")).toEqual({ options: defaultReaderOptions() });
  });

  it("reads back what it writes", () => {
    const o = options({
      mode: "breaking",
      digestTimes: [8 * 60],
      quiet: { from: 22 * 60, to: 6 * 60 },
      muteUntil: Date.UTC(2019, 5, 1, 12, 30, 15, 1),
      filters: [{ keep: false, phrase: "д'артаньян" }],
    });
    expect(read(formatOptionsCell({ id: -7, kind: "channel", threadId: 3, options: o }, "group"))).toEqual({
      kind: "channel",
      threadId: 3,
      options: o,
    });
  });

  it("reads filters as /filter takes them: case folded, ё as е, repeats once", () => {
    expect(read('{"filters":["+Ёлка", "-  ФУТБОЛ ", "+елка"]}').options.filters).toEqual([
      { keep: true, phrase: "елка" },
      { keep: false, phrase: "футбол" },
    ]);
  });

  it("reads digest times sorted, and a pause with any offset as the same moment", () => {
    const cell = read('{"digestTimes":["19:30","8:00"],"muteUntil":"2026-12-07T08:00:00+03:00"}');
    expect(cell.options.digestTimes).toEqual([8 * 60, 19 * 60 + 30]);
    expect(cell.options.muteUntil).toBe(Date.UTC(2026, 11, 7, 5));
  });

  it("reads quiet hours that cross midnight", () => {
    expect(read('{"quiet":{"from":"23:00","to":"08:00"}}').options.quiet).toEqual({ from: 1380, to: 480 });
  });

  it.each([
    [
      '{"colour":"red"}',
      'bad options: unknown key "colour" (kind, thread, mode, digestTimes, breakingAtOnce, quiet, quietHoldsBreaking, muteUntil, muteKeep, filters, filterBreaking, pinBreaking)',
    ],
    ['{"kind":"supergroup"}', 'bad options: kind "supergroup" (private, group, channel)'],
    ['{"thread":0}', "bad options: thread 0 (a forum topic's id, a positive whole number)"],
    ['{"thread":"7"}', `bad options: thread "7" (a forum topic's id, a positive whole number)`],
    ['{"mode":"hourly"}', 'bad options: mode "hourly" (instant, digest, breaking)'],
    [
      '{"digestTimes":"08:00"}',
      'bad options: digestTimes "08:00" (a list of HH:MM times, like ["08:00", "19:30"])',
    ],
    [
      '{"digestTimes":["24:00"]}',
      'bad options: digestTimes ["24:00"] (a list of HH:MM times, like ["08:00", "19:30"])',
    ],
    [
      '{"digestTimes":["08:00","12:00","18:00"]}',
      'bad options: digestTimes ["08:00","12:00","18:00"] (at most 2 times)',
    ],
    ['{"breakingAtOnce":"no"}', 'bad options: breakingAtOnce "no" (true or false)'],
    ['{"quiet":"23:00-08:00"}', 'bad options: quiet "23:00-08:00" (like {"from": "23:00", "to": "07:00"})'],
    [
      '{"quiet":{"from":"23:00"}}',
      'bad options: quiet {"from":"23:00"} (like {"from": "23:00", "to": "07:00"})',
    ],
    [
      '{"quiet":{"from":"23:00","to":"23:00"}}',
      'bad options: quiet {"from":"23:00","to":"23:00"} starts when it ends',
    ],
    ['{"quietHoldsBreaking":1}', "bad options: quietHoldsBreaking 1 (true or false)"],
    [
      '{"muteUntil":"2026-12-07T05:00:00"}',
      'bad options: muteUntil "2026-12-07T05:00:00" (a time with its offset, like "2026-12-07T05:00:00Z")',
    ],
    [
      '{"muteUntil":1765083600000}',
      'bad options: muteUntil 1765083600000 (a time with its offset, like "2026-12-07T05:00:00Z")',
    ],
    [
      '{"muteUntil":"1969-12-31T23:59:59Z"}',
      'bad options: muteUntil "1969-12-31T23:59:59Z" (a time with its offset, like "2026-12-07T05:00:00Z")',
    ],
    ['{"muteKeep":null}', "bad options: muteKeep null (true or false)"],
    ['{"filters":"+грозный"}', 'bad options: filters "+грозный" (a list like ["+word", "-word"])'],
    [
      '{"filters":["+a, b"]}',
      `bad options: filter "+a, b" holds a sign other than letters, digits, spaces, - and '`,
    ],
    [
      '{"filters":["-say \\"hi\\""]}',
      `bad options: filter "-say \\"hi\\"" holds a sign other than letters, digits, spaces, - and '`,
    ],
    [
      '{"filters":["+a;b"]}',
      `bad options: filter "+a;b" holds a sign other than letters, digits, spaces, - and '`,
    ],
    ['{"filters":["грозный"]}', 'bad options: filter "грозный" does not start with + or -'],
    ['{"filters":["+"]}', 'bad options: filter "+" has no word'],
    ['{"filters":[7]}', "bad options: filter 7 is not text"],
    [
      `{"filters":["+${"ж".repeat(41)}"]}`,
      `bad options: filter "+${"ж".repeat(41)}" is longer than 40 characters`,
    ],
    [
      `{"filters":[${Array.from({ length: 21 }, (_, i) => `"+w${i}"`).join(",")}]}`,
      "bad options: 21 filters (at most 20)",
    ],
    ['{"filterBreaking":"true"}', 'bad options: filterBreaking "true" (true or false)'],
  ])("refuses %s: %s", (cell, why) => {
    expect(reason(cell)).toBe(why);
  });

  it("names the unknown key among the known ones, and cuts a long value short", () => {
    expect(reason('{"__proto__":{"mode":"digest"}}')).toMatch(
      /^bad options: unknown key "__proto__" \(kind, thread, mode/,
    );
    expect(reason(`{"mode":"${"x".repeat(500)}"}`)).toHaveLength(
      "bad options: mode  (instant, digest, breaking)".length + 80,
    );
  });
});
