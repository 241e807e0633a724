import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { CatalogState } from "../../src/domain/catalog.ts";
import type { ChatSettings } from "../../src/domain/chat.ts";
import {
  defaultReaderOptions,
  isDefaultReaderOptions,
  MAX_FILTERS,
  type ReaderOptions,
} from "../../src/domain/reader-options.ts";
import {
  applySubscriberRow,
  formatSubscriberLine,
  isHeaderRecord,
  parseSubscriberRecord,
  SUBSCRIBER_CSV_HEADER,
  splitSubscriberLine,
} from "../../src/domain/subscriber-csv.ts";

const catalog = new Map<string, CatalogState>([
  ["chechnya", "active"],
  ["dagestan", "active"],
  ["courts", "active"],
  ["old-topic", "archived"],
]);
const defaults = { lang: "ru", timeZone: "Europe/Moscow" } as const;

const parse = (line: string) => parseSubscriberRecord(line.split(","), catalog);
const reason = (line: string) => {
  const check = parse(line);
  return check.ok ? "accepted" : check.reason;
};

describe("reading a subscriber line", () => {
  it("takes the two contract columns alone, leaving every setting unset", () => {
    expect(parse("123456789,chechnya;courts")).toEqual({
      ok: true,
      row: { chatId: 123456789, slugs: ["chechnya", "courts"] },
    });
  });

  it("takes an archived slug, so a backup made after archiving restores whole", () => {
    expect(parse("5,old-topic;courts")).toEqual({
      ok: true,
      row: { chatId: 5, slugs: ["old-topic", "courts"] },
    });
  });

  it("accepts group and supergroup ids, which are negative", () => {
    expect(parse("-4001234,courts")).toMatchObject({ ok: true, row: { chatId: -4001234 } });
    expect(parse("-1001234567890,courts")).toMatchObject({ ok: true, row: { chatId: -1001234567890 } });
  });

  it("reads every optional column", () => {
    expect(parse("7,dagestan,en,both,America/Argentina/Buenos_Aires,0")).toEqual({
      ok: true,
      row: {
        chatId: 7,
        slugs: ["dagestan"],
        lang: "en",
        editions: "both",
        timeZone: "America/Argentina/Buenos_Aires",
        active: false,
      },
    });
  });

  it("reads the active flag as true or false too, in any case, as spreadsheets write it", () => {
    for (const [flag, active] of [
      ["true", true],
      ["TRUE", true],
      ["False", false],
      ["false", false],
      ["1", true],
      ["0", false],
    ] as const) {
      expect(parse(`7,dagestan,,,,${flag}`)).toEqual({
        ok: true,
        row: { chatId: 7, slugs: ["dagestan"], active },
      });
    }
  });

  it("treats an empty optional column as not given", () => {
    expect(parse("7,dagestan,,,Asia/Tbilisi,")).toEqual({
      ok: true,
      row: { chatId: 7, slugs: ["dagestan"], timeZone: "Asia/Tbilisi" },
    });
  });

  it("lists each slug once and ignores empty entries between semicolons", () => {
    expect(parse("7,courts;;courts;chechnya;")).toMatchObject({ row: { slugs: ["courts", "chechnya"] } });
  });

  it.each([
    ["abc,courts", 'bad chat id "abc"'],
    ["0,courts", 'bad chat id "0"'],
    ["1.5,courts", 'bad chat id "1.5"'],
    ["+5,courts", 'bad chat id "+5"'],
    ["007,courts", 'bad chat id "007"'],
    ["99999999999999999,courts", 'bad chat id "99999999999999999"'],
    [",courts", 'bad chat id ""'],
    ["5,atlantis", 'unknown slug "atlantis"'],
    ["5,courts;atlantis", 'unknown slug "atlantis"'],
    ["5,", "no slugs"],
    ["5,;", "no slugs"],
    ["5,courts,de", 'bad language "de" (ru or en)'],
    ["5,courts,ru,fr", 'bad editions "fr" (ru, en or both)'],
    ["5,courts,ru,ru,Mars/Olympus_Mons", 'bad time zone "Mars/Olympus_Mons"'],
    ["5,courts,ru,ru,UTC,yes", 'bad active flag "yes" (1, 0, true or false)'],
    ["5,courts,ru,ru,UTC,2", 'bad active flag "2" (1, 0, true or false)'],
    ["5", "expected 2 to 7 columns, got 1"],
    ["5,courts,ru,ru,UTC,1,{},extra", "expected 2 to 7 columns, got 8"],
  ])("rejects %j: %s", (line, why) => {
    expect(reason(line)).toBe(why);
  });

  it("recognises a header by a first field that is not a number", () => {
    expect(isHeaderRecord(SUBSCRIBER_CSV_HEADER.split(","))).toBe(true);
    expect(isHeaderRecord(["chat_id", "slugs"])).toBe(true);
    expect(isHeaderRecord(["12", "courts"])).toBe(false);
    expect(isHeaderRecord(["-1001234567890", "courts"])).toBe(false);
  });
});

describe("splitting a subscriber line into fields", () => {
  it("splits at commas and trims each field", () => {
    expect(splitSubscriberLine(" 5 , courts;chechnya ,ru")).toEqual(["5", "courts;chechnya", "ru"]);
  });

  it("honours CSV quoting, as a spreadsheet writes it", () => {
    expect(splitSubscriberLine('"3110",chechnya')).toEqual(["3110", "chechnya"]);
    expect(splitSubscriberLine('"3110","chechnya;courts","en","both","UTC","TRUE"')).toEqual([
      "3110",
      "chechnya;courts",
      "en",
      "both",
      "UTC",
      "TRUE",
    ]);
    expect(splitSubscriberLine(' "3110" ,"a,b",""')).toEqual(["3110", "a,b", ""]);
    expect(splitSubscriberLine('"say ""hi""",x')).toEqual(['say "hi"', "x"]);
  });

  it("refuses a line whose quoting is broken", () => {
    for (const line of ['"3110,chechnya', '"31"10,chechnya', '31"10,chechnya', '"1"\r"2",courts'])
      expect(splitSubscriberLine(line)).toBeUndefined();
  });

  it("reads a quoted first line as the same record as an unquoted one", () => {
    const quoted = splitSubscriberLine('"3110","courts"');
    expect(quoted && parseSubscriberRecord(quoted, catalog)).toEqual(parse("3110,courts"));
  });
});

describe("settings after importing a line", () => {
  it("gives a new chat the defaults, its language's edition, and makes it active", () => {
    expect(applySubscriberRow({ chatId: 5, slugs: ["courts"] }, undefined, defaults)).toEqual({
      id: 5,
      kind: "private",
      lang: "ru",
      editions: "ru",
      timeZone: "Europe/Moscow",
      active: true,
    });
  });

  it("makes a new chat with a negative id a group, so it is rate-limited as one", () => {
    expect(applySubscriberRow({ chatId: -1001, slugs: ["courts"] }, undefined, defaults).kind).toBe("group");
  });

  it("lets a new chat's edition follow the language the line gives", () => {
    const chat = applySubscriberRow({ chatId: 5, slugs: ["courts"], lang: "en" }, undefined, defaults);
    expect(chat).toMatchObject({ lang: "en", editions: "en" });
  });

  it("changes only the settings the line gives on an existing chat", () => {
    const existing: ChatSettings = {
      id: 9,
      kind: "channel",
      lang: "en",
      editions: "both",
      timeZone: "Asia/Baku",
      active: false,
    };
    expect(applySubscriberRow({ chatId: 9, slugs: ["courts"] }, existing, defaults)).toEqual(existing);
    expect(applySubscriberRow({ chatId: 9, slugs: ["courts"], lang: "ru" }, existing, defaults)).toEqual({
      ...existing,
      lang: "ru",
    });
  });
});

describe("writing a subscriber line", () => {
  it("writes slugs sorted, so equal data always exports to equal text", () => {
    const chat: ChatSettings = {
      id: -1001,
      kind: "group",
      lang: "en",
      editions: "both",
      timeZone: "UTC",
      active: false,
    };
    expect(formatSubscriberLine(-1001, ["dagestan", "chechnya"], chat)).toBe(
      "-1001,chechnya;dagestan,en,both,UTC,0,{}",
    );
  });

  it("leaves the settings empty for a chat without stored settings, which import reads as defaults", () => {
    const line = formatSubscriberLine(5, ["courts"], undefined);
    expect(line).toBe("5,courts,,,,,");
    expect(parse(line)).toEqual({ ok: true, row: { chatId: 5, slugs: ["courts"] } });
  });

  it("quotes an options cell holding commas and quotes, and reads it back through CSV quoting", () => {
    const chat: ChatSettings = {
      id: 5,
      kind: "private",
      lang: "ru",
      editions: "ru",
      timeZone: "UTC",
      active: true,
      options: { ...defaultReaderOptions(), filters: [{ keep: true, phrase: "o'brien" }] },
    };
    const line = formatSubscriberLine(5, ["courts"], chat);
    expect(line).toBe('5,courts,ru,ru,UTC,1,"{""filters"":[""+o\'brien""]}"');
    const fields = splitSubscriberLine(line);
    expect(fields?.[6]).toBe(`{"filters":["+o'brien"]}`);
    expect(fields && parseSubscriberRecord(fields, catalog)).toMatchObject({ ok: true, row: { chatId: 5 } });
  });

  it("reads back every chat it writes as the same settings, options, topic and kind included", () => {
    const dayMinute = fc.integer({ min: 0, max: 1439 });
    const phrase = fc
      .array(fc.stringMatching(/^[a-zа-яе0-9]{1,8}(?:['-][a-zа-я]{1,4})?$/), { minLength: 1, maxLength: 3 })
      .map((ws) => ws.join(" "))
      .filter((p) => p.length <= 40);
    const optionsArb: fc.Arbitrary<ReaderOptions | undefined> = fc.option(
      fc
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
          filters: fc.uniqueArray(fc.record({ keep: fc.boolean(), phrase }), {
            maxLength: MAX_FILTERS,
            selector: (f) => `${f.keep}${f.phrase}`,
          }),
          filterBreaking: fc.boolean(),
          pinBreaking: fc.boolean(),
        })
        .map(({ quiet, muteUntil, ...rest }) => ({
          ...rest,
          ...(quiet ? { quiet: { from: quiet[0], to: quiet[1] } } : {}),
          ...(muteUntil !== undefined ? { muteUntil } : {}),
        }))
        .filter((o) => !isDefaultReaderOptions(o)),
      { nil: undefined },
    );
    const chatArb = fc.record({
      id: fc.oneof(fc.integer({ min: 1, max: 2 ** 52 }), fc.integer({ min: -(2 ** 52), max: -1 })),
      lang: fc.constantFrom("ru" as const, "en" as const),
      editions: fc.constantFrom("ru" as const, "en" as const, "both" as const),
      timeZone: fc.constantFrom("Europe/Moscow", "UTC", "America/Argentina/Buenos_Aires", "Asia/Tbilisi"),
      active: fc.boolean(),
      channel: fc.boolean(),
      threadId: fc.option(fc.integer({ min: 1, max: 2 ** 31 }), { nil: undefined }),
      options: optionsArb,
    });
    const slugsArb = fc.uniqueArray(fc.constantFrom("chechnya", "dagestan", "courts"), { minLength: 1 });
    fc.assert(
      fc.property(chatArb, slugsArb, ({ channel, threadId, options, ...settings }, slugs) => {
        const chat: ChatSettings = {
          ...settings,
          kind: settings.id > 0 ? "private" : channel ? "channel" : "group",
          ...(threadId !== undefined ? { threadId } : {}),
          ...(options !== undefined ? { options } : {}),
        };
        const fields = splitSubscriberLine(formatSubscriberLine(chat.id, slugs, chat));
        if (!fields) throw new Error("the line it wrote does not split");
        const check = parseSubscriberRecord(fields, catalog);
        if (!check.ok) throw new Error(check.reason);
        expect([...check.row.slugs].sort()).toEqual([...slugs].sort());
        expect(applySubscriberRow(check.row, undefined, defaults)).toEqual(chat);
      }),
    );
  });
});

describe("importing a line with an options cell", () => {
  const existing: ChatSettings = {
    id: -100777,
    kind: "channel",
    lang: "en",
    editions: "both",
    timeZone: "Asia/Baku",
    active: true,
    threadId: 12,
    connectedBy: 4242,
    options: { ...defaultReaderOptions(), mode: "digest", filters: [{ keep: false, phrase: "футбол" }] },
  };
  const row = (line: string) => {
    const fields = splitSubscriberLine(line);
    const check = fields && parseSubscriberRecord(fields, catalog);
    if (!check?.ok) throw new Error(`refused: ${check?.reason}`);
    return check.row;
  };

  it("leaves an existing chat's options, topic and kind alone when the line has no options cell, as old files have not", () => {
    expect(applySubscriberRow(row("-100777,courts,ru,ru,UTC,1"), existing, defaults)).toEqual({
      ...existing,
      lang: "ru",
      editions: "ru",
      timeZone: "UTC",
    });
    expect(applySubscriberRow(row("-100777,courts,,,,,"), existing, defaults)).toEqual(existing);
  });

  it("puts back the defaults for what a given cell leaves out, keeping the kind and who connected the channel", () => {
    expect(applySubscriberRow(row("-100777,courts,,,,,{}"), existing, defaults)).toEqual({
      id: -100777,
      kind: "channel",
      lang: "en",
      editions: "both",
      timeZone: "Asia/Baku",
      active: true,
      connectedBy: 4242,
    });
  });

  it("sets the options a cell gives, as a whole", () => {
    const line = '-100777,courts,,,,,"{""mode"":""breaking"",""filters"":[""+Ёлка""]}"';
    expect(applySubscriberRow(row(line), existing, defaults)).toEqual({
      ...existing,
      threadId: undefined,
      options: { ...defaultReaderOptions(), mode: "breaking", filters: [{ keep: true, phrase: "елка" }] },
    });
  });

  it("makes a new chat a channel when the cell says so", () => {
    expect(
      applySubscriberRow(row('-100888,courts,,,,,"{""kind"":""channel""}"'), undefined, defaults).kind,
    ).toBe("channel");
  });

  it.each([
    [
      '5,courts,,,,,"{""kind"":""channel""}"',
      'bad options: kind "channel" for chat id 5 (a private chat\'s id is positive)',
    ],
    [
      '-5,courts,,,,,"{""kind"":""private""}"',
      "bad options: kind \"private\" for chat id -5 (a group's or channel's id is negative)",
    ],
    ["5,courts,,,,,digest", "bad options: not a JSON object: digest"],
    ['5,courts,,,,,"{""mode"" ""digest""}"', 'bad options: not a JSON object: {"mode" "digest"}'],
    ['5,courts,,,,,"[""digest""]"', 'bad options: not a JSON object: ["digest"]'],
  ])("refuses %j whole: %s", (line, why) => {
    const fields = splitSubscriberLine(line);
    expect(fields && parseSubscriberRecord(fields, catalog)).toEqual({ ok: false, reason: why });
  });
});
