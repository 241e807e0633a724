import { readFileSync } from "node:fs";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { ELLIPSIS } from "../../src/domain/fit-text.ts";
import { escapeHtml, htmlToPlain } from "../../src/domain/html.ts";
import { CAPTION_LIMIT, DEFAULT_FOREIGN_AGENT_LABEL, TEXT_LIMIT } from "../../src/domain/label.ts";
import {
  applyLabel,
  descriptionCarriesLabel,
  hasLabelInPlace,
  type MessageEntity,
  normaliseParseMode,
  type TextPayload,
  visibleTextOf,
} from "../../src/domain/labelled-text.ts";

const L = DEFAULT_FOREIGN_AGENT_LABEL;
const BOLD_L = `<b>${escapeHtml(L)}</b>`;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

function html(text: string): TextPayload {
  return { text, parseMode: "HTML" };
}

function plain(text: string, entities?: MessageEntity[]): TextPayload {
  return entities === undefined ? { text, parseMode: undefined } : { text, parseMode: undefined, entities };
}

function occurrences(haystack: string, needle: string): number {
  return haystack.split(needle).length - 1;
}

/** Tags balanced, and outside tags nothing but escaped text. */
function isWellFormedHtml(source: string): boolean {
  const tag = /<(\/?)([a-z][a-z-]*)[^<>]*>/g;
  const open: string[] = [];
  for (const m of source.matchAll(tag)) {
    if (m[1] === "/") {
      if (open.pop() !== m[2]) return false;
    } else open.push(m[2] ?? "");
  }
  const outside = source.replace(tag, "");
  return (
    open.length === 0 && !/[<>]/.test(outside) && !/&(?!(amp|lt|gt|quot|#\d+|#x[0-9a-fA-F]+);)/.test(outside)
  );
}

describe("visibleTextOf", () => {
  it("reads HTML and plain text", () => {
    expect(visibleTextOf(html("<b>a</b> &amp; b"))).toBe("a & b");
    expect(visibleTextOf(plain("<b>a</b>"))).toBe("<b>a</b>");
  });
});

describe("the agency's label", () => {
  const page = readFileSync(new URL("../fixtures/article-page.txt", import.meta.url), "utf8");

  it("is the text the agency prints on its own article page, verbatim", () => {
    expect(page).toContain(DEFAULT_FOREIGN_AGENT_LABEL);
  });

  it("fits a caption together with a shortened article and stays intact", () => {
    const article = page.slice(0, page.indexOf("All news")).trim();
    const result = applyLabel(plain(article), DEFAULT_FOREIGN_AGENT_LABEL, CAPTION_LIMIT);
    const visible = visibleTextOf(result);
    expect(result.text.startsWith(BOLD_L)).toBe(true);
    expect(visible.length).toBeLessThanOrEqual(CAPTION_LIMIT);
    expect(visible.endsWith(ELLIPSIS)).toBe(true);
    expect(article.startsWith(visible.slice(L.length + 1, -1))).toBe(true);
  });
});

describe("applyLabel puts the label first when it is missing", () => {
  it("prepends the bold label and a newline to HTML", () => {
    expect(applyLabel(html("<i>Breaking</i> news"), L, TEXT_LIMIT)).toEqual(
      html(`${BOLD_L}\n<i>Breaking</i> news`),
    );
  });

  it("escapes HTML-special characters in a custom label", () => {
    expect(applyLabel(html("x"), 'A & B <C> "D"', TEXT_LIMIT).text).toBe(
      "<b>A &amp; B &lt;C&gt; &quot;D&quot;</b>\nx",
    );
  });

  it("turns plain text without entities into HTML, escaping it", () => {
    expect(applyLabel(plain("1 < 2 & 3"), L, TEXT_LIMIT)).toEqual(html(`${BOLD_L}\n1 &lt; 2 &amp; 3`));
  });

  it("treats an empty entity list as plain text without entities", () => {
    expect(applyLabel(plain("x", []), L, TEXT_LIMIT)).toEqual(html(`${BOLD_L}\nx`));
  });

  it("keeps plain text with entities plain, shifting entities and adding a bold one", () => {
    const link = { type: "text_link", offset: 0, length: 4, url: "https://x.test/" };
    const result = applyLabel(plain("News here", [link]), L, TEXT_LIMIT);
    expect(result).toEqual({
      text: `${L}\nNews here`,
      parseMode: undefined,
      entities: [
        { type: "bold", offset: 0, length: L.length },
        { ...link, offset: L.length + 1 },
      ],
    });
  });

  it("adds the label again when it stands first but not in bold", () => {
    expect(applyLabel(html(`${escapeHtml(L)}\nbody`), L, TEXT_LIMIT).text).toBe(
      `${BOLD_L}\n${escapeHtml(L)}\nbody`,
    );
  });

  it("adds the label when the bold first line holds more than the label", () => {
    const text = `<b>${escapeHtml(L)} extra</b>\nbody`;
    expect(applyLabel(html(text), L, TEXT_LIMIT).text).toBe(`${BOLD_L}\n${text}`);
  });

  it("adds the label when it stands only on the third line", () => {
    const text = `one\ntwo\n${BOLD_L}`;
    expect(applyLabel(html(text), L, TEXT_LIMIT).text).toBe(`${BOLD_L}\n${text}`);
  });

  it("adds the label when the bold entity does not cover exactly the label", () => {
    const text = `${L}\nbody`;
    const result = applyLabel(
      plain(text, [{ type: "bold", offset: 0, length: L.length + 2 }]),
      L,
      TEXT_LIMIT,
    );
    expect(result.text).toBe(`${L}\n${text}`);
  });
});

describe("applyLabel leaves a label that already stands in place", () => {
  it("keeps HTML whose first line is the bold label", () => {
    const text = `${BOLD_L}\n<i>body</i>`;
    expect(applyLabel(html(text), L, TEXT_LIMIT)).toEqual(html(text));
  });

  it("accepts <strong> and a label that is the whole message", () => {
    const text = `<strong>${escapeHtml(L)}</strong>`;
    expect(applyLabel(html(text), L, TEXT_LIMIT)).toEqual(html(text));
  });

  it("keeps an alert whose headline is line 1 and bold label line 2", () => {
    const text = `<b>Headline</b>\n${BOLD_L}\nbody`;
    expect(hasLabelInPlace(html(text), L)).toBe(true);
    expect(applyLabel(html(text), L, TEXT_LIMIT)).toEqual(html(text));
  });

  it("keeps plain text whose bold entity covers exactly the label", () => {
    const entities = [
      { type: "italic", offset: 0, length: 8 },
      { type: "bold", offset: 9, length: L.length },
    ];
    const p = plain(`Headline\n${L}\nbody`, entities);
    expect(hasLabelInPlace(p, L)).toBe(true);
    expect(applyLabel(p, L, TEXT_LIMIT)).toEqual(p);
  });

  it("does not count unformatted plain text as labelled", () => {
    expect(hasLabelInPlace(plain(`${L}\nbody`), L)).toBe(false);
  });
});

describe("applyLabel gives an empty message just the label", () => {
  it("returns the bold label as HTML for an absent caption", () => {
    expect(applyLabel(plain(""), L, CAPTION_LIMIT)).toEqual(html(BOLD_L));
    expect(applyLabel(html(""), L, CAPTION_LIMIT)).toEqual(html(BOLD_L));
  });

  it("uses a bold entity for an empty text with entities", () => {
    expect(applyLabel(plain(" ", [{ type: "italic", offset: 0, length: 1 }]), L, CAPTION_LIMIT)).toEqual(
      plain(L, [{ type: "bold", offset: 0, length: L.length }]),
    );
  });
});

describe("applyLabel shortens only the body to fit the limit", () => {
  const words = (n: number) => Array.from({ length: n }, (_, i) => `word${i}`).join(" ");

  it("shortens an over-long HTML body to plain escaped text ending with …", () => {
    const body = `<i>${escapeHtml(`${words(400)} & more`)}</i>`;
    const result = applyLabel(html(body), L, CAPTION_LIMIT);
    const visible = visibleTextOf(result);
    expect(result.parseMode).toBe("HTML");
    expect(result.text.startsWith(`${BOLD_L}\n`)).toBe(true);
    expect(result.text).not.toContain("<i>");
    expect(visible.length).toBeLessThanOrEqual(CAPTION_LIMIT);
    expect(visible.endsWith(`${ELLIPSIS}`)).toBe(true);
    expect(htmlToPlain(body).startsWith(visible.slice(L.length + 1, -1))).toBe(true);
  });

  it("counts visible characters, so escaped entities don't shorten the body early", () => {
    const body = "&lt;".repeat(CAPTION_LIMIT - L.length - 1);
    const result = applyLabel(html(body), L, CAPTION_LIMIT);
    expect(result.text).toBe(`${BOLD_L}\n${body}`);
    expect(visibleTextOf(result).length).toBe(CAPTION_LIMIT);
  });

  it("shortens the text after an alert's label and keeps the headline's markup", () => {
    const text = `<b>Head &amp; line</b>\n${BOLD_L}\n<i>${words(300)}</i>`;
    const result = applyLabel(html(text), L, CAPTION_LIMIT);
    expect(result.text.startsWith(`<b>Head &amp; line</b>\n${BOLD_L}\nword0 word1`)).toBe(true);
    expect(result.text.endsWith(ELLIPSIS)).toBe(true);
    expect(visibleTextOf(result).length).toBeLessThanOrEqual(CAPTION_LIMIT);
  });

  it("rebuilds a well-formed head when the label's <b> is nested in other markup", () => {
    const text = `<i>${BOLD_L}\n${words(300)}</i>`;
    const result = applyLabel(html(text), L, CAPTION_LIMIT);
    expect(result.text.startsWith(`${BOLD_L}\nword0 word1`)).toBe(true);
    expect(result.text).not.toContain("<i>");
    expect(visibleTextOf(result).length).toBeLessThanOrEqual(CAPTION_LIMIT);
  });

  it("shortens the body after an alert's label in plain text, keeping the head's entities", () => {
    const headline = "Headline";
    const text = `${headline}\n${L}\n${words(300)}`;
    const entities = [
      { type: "italic", offset: 0, length: headline.length },
      { type: "bold", offset: headline.length + 1, length: L.length },
    ];
    const result = applyLabel(plain(text, entities), L, CAPTION_LIMIT);
    expect(result.text.startsWith(`${headline}\n${L}\nword0 `)).toBe(true);
    expect(result.text.endsWith(ELLIPSIS)).toBe(true);
    expect(result.text.length).toBeLessThanOrEqual(CAPTION_LIMIT);
    expect(result.entities).toEqual(entities);
  });

  it("shortens a plain body with entities and clips or drops entities past the cut", () => {
    const body = words(300);
    const entities = [
      { type: "italic", offset: 0, length: body.length },
      { type: "url", offset: 900, length: 20 },
      { type: "bold", offset: 2000, length: 5 },
    ];
    const result = applyLabel(plain(body, entities), L, CAPTION_LIMIT);
    const kept = result.text.length - L.length - 2;
    expect(result.parseMode).toBeUndefined();
    expect(result.text.length).toBeLessThanOrEqual(CAPTION_LIMIT);
    expect(result.text.startsWith(`${L}\nword0 `)).toBe(true);
    expect(result.text.endsWith(ELLIPSIS)).toBe(true);
    expect(result.entities).toEqual([
      { type: "bold", offset: 0, length: L.length },
      { type: "italic", offset: L.length + 1, length: kept },
    ]);
  });

  it("drops the body entirely when only … would be left of it", () => {
    const result = applyLabel(plain("some body text"), L, L.length + 2);
    expect(result).toEqual(html(BOLD_L));
  });

  it("throws a RangeError when the label alone does not fit", () => {
    const giant = "ИНОАГЕНТ ".repeat(200);
    expect(() => applyLabel(plain("x"), giant, CAPTION_LIMIT)).toThrow(RangeError);
    expect(() => applyLabel(plain(""), giant, CAPTION_LIMIT)).toThrow(/never be shortened/);
  });

  it("throws a RangeError when the headline and label do not fit together", () => {
    const text = `<b>${"H".repeat(CAPTION_LIMIT)}</b>\n${BOLD_L}\nbody`;
    expect(() => applyLabel(html(text), L, CAPTION_LIMIT)).toThrow(RangeError);
  });

  it("throws a RangeError for an empty label", () => {
    expect(() => applyLabel(plain("x"), " ", TEXT_LIMIT)).toThrow(RangeError);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties

type Mode = "HTML" | "plain" | "entities";

interface Case {
  payload: TextPayload;
  /** What Telegram shows of the body. */
  body: string;
}

const labels = fc.constantFrom(
  DEFAULT_FOREIGN_AGENT_LABEL,
  'Label & <html> "quoted" 😀',
  "МАТЕРИАЛ_ИНОАГЕНТА *[`]*",
);

const specialUnits = fc.constantFrom(
  "<",
  ">",
  "&",
  '"',
  " ",
  "\n",
  "😀",
  "👍🏽",
  "я",
  "w",
  ".",
  "*",
  "_",
  "\\",
  "`",
  "[",
);

// Default sizes make strings of a few characters; "max" reaches the lengths that need shortening.
function bodiesFor(label: string, limit: number): fc.Arbitrary<string> {
  const justFitting = limit - label.length - 1;
  return fc.oneof(
    fc.string({ unit: "grapheme", maxLength: 200 }),
    fc.string({ unit: "grapheme", maxLength: 3_000, size: "max" }),
    fc.string({ unit: "binary", maxLength: 6_000, size: "max" }),
    fc.string({ unit: specialUnits, maxLength: 6_000, size: "max" }),
    // Up to about 20,000 UTF-16 code units.
    fc.string({ unit: "grapheme", minLength: 1_000, maxLength: 8_000, size: "max" }),
    fc
      .array(fc.string({ unit: "grapheme-composite", minLength: 1, maxLength: 15 }), {
        maxLength: 1_500,
        size: "max",
      })
      .map((ws) => ws.join(" ")),
    // Right around the length where the body stops fitting.
    fc.integer({ min: -2, max: 2 }).chain((d) =>
      fc.string({
        unit: fc.constantFrom("a", " ", "<", "&", "я", "\n"),
        minLength: justFitting + d,
        maxLength: justFitting + d,
      }),
    ),
  );
}

function entitiesFor(text: string): fc.Arbitrary<MessageEntity[]> {
  if (text.length === 0) return fc.constant([]);
  const entity = fc
    .tuple(
      fc.constantFrom("bold", "italic", "url", "text_link", "custom_emoji"),
      fc.nat(text.length - 1),
      fc.integer({ min: 1, max: text.length }),
    )
    .map(([type, offset, length]) => ({ type, offset, length: Math.min(length, text.length - offset) }));
  return fc.array(entity, { minLength: 1, maxLength: 5 });
}

function caseFor(mode: Mode, body: string): fc.Arbitrary<Case> {
  switch (mode) {
    case "HTML":
      return fc.constantFrom("", "i", "u", "tg-spoiler").map((tag) => ({
        payload: html(tag === "" ? escapeHtml(body) : `<${tag}>${escapeHtml(body)}</${tag}>`),
        body,
      }));
    case "plain":
      return fc.constant({ payload: plain(body), body });
    case "entities":
      return entitiesFor(body).map((entities) => ({ payload: plain(body, entities), body }));
  }
}

const modes = fc.constantFrom<Mode>("HTML", "plain", "entities");
const limits = fc.constantFrom(TEXT_LIMIT, CAPTION_LIMIT);

const scenarios = fc.tuple(labels, modes, limits).chain(([label, mode, limit]) =>
  bodiesFor(label, limit)
    .filter((body) => !body.includes(label))
    .chain((body) => caseFor(mode, body))
    .map((c) => ({ label, limit, ...c })),
);

const PROPERTY_RUNS = { numRuns: 200 };

describe("applyLabel, for any message", () => {
  it("stays within the limit in visible UTF-16 code units", () => {
    fc.assert(
      fc.property(scenarios, ({ label, limit, payload }) => {
        expect(visibleTextOf(applyLabel(payload, label, limit)).length).toBeLessThanOrEqual(limit);
      }),
      PROPERTY_RUNS,
    );
  });

  it("puts the label in place exactly once, intact and bold", () => {
    fc.assert(
      fc.property(scenarios, ({ label, limit, payload }) => {
        const result = applyLabel(payload, label, limit);
        const visible = visibleTextOf(result);
        expect(hasLabelInPlace(result, label)).toBe(true);
        expect(visible === label || visible.startsWith(`${label}\n`)).toBe(true);
        expect(occurrences(visible, label)).toBe(1);
        if (result.parseMode === "HTML")
          expect(result.text.startsWith(`<b>${escapeHtml(label)}</b>`)).toBe(true);
      }),
      PROPERTY_RUNS,
    );
  });

  it("keeps the body whole, or as a prefix of its visible text followed by …", () => {
    fc.assert(
      fc.property(scenarios, ({ label, limit, payload, body }) => {
        const visible = visibleTextOf(applyLabel(payload, label, limit));
        const shown = visible.slice(label.length + 1);
        if (shown === body || shown === "") return;
        expect(shown.endsWith(ELLIPSIS)).toBe(true);
        expect(body.startsWith(shown.slice(0, -1))).toBe(true);
        expect(label.length + 1 + body.length).toBeGreaterThan(limit);
      }),
      PROPERTY_RUNS,
    );
  });

  it("only drops the body when it is blank or nothing but … would fit", () => {
    fc.assert(
      fc.property(scenarios, ({ label, limit, payload, body }) => {
        const visible = visibleTextOf(applyLabel(payload, label, limit));
        if (visible !== label) return;
        expect(body.trim() === "" || body.length === 0 || limit - label.length - 1 <= 1).toBe(true);
      }),
      PROPERTY_RUNS,
    );
  });

  it("leaves no lone surrogates", () => {
    fc.assert(
      fc.property(scenarios, ({ label, limit, payload }) => {
        const result = applyLabel(payload, label, limit);
        expect(result.text).not.toMatch(LONE_SURROGATE);
        expect(visibleTextOf(result)).not.toMatch(LONE_SURROGATE);
      }),
      PROPERTY_RUNS,
    );
  });

  it("produces well-formed HTML whenever it answers in HTML", () => {
    fc.assert(
      fc.property(scenarios, ({ label, limit, payload }) => {
        const result = applyLabel(payload, label, limit);
        if (result.parseMode === "HTML") expect(isWellFormedHtml(result.text)).toBe(true);
      }),
      PROPERTY_RUNS,
    );
  });

  it("keeps every entity non-empty and inside the text", () => {
    fc.assert(
      fc.property(scenarios, ({ label, limit, payload }) => {
        const result = applyLabel(payload, label, limit);
        for (const e of result.entities ?? []) {
          expect(e.length).toBeGreaterThan(0);
          expect(e.offset + e.length).toBeLessThanOrEqual(result.text.length);
        }
      }),
      PROPERTY_RUNS,
    );
  });

  it("is idempotent: labelling a labelled message changes nothing", () => {
    fc.assert(
      fc.property(scenarios, ({ label, limit, payload }) => {
        const once = applyLabel(payload, label, limit);
        expect(applyLabel(once, label, limit)).toEqual(once);
      }),
      PROPERTY_RUNS,
    );
  });
});

describe("applyLabel, for any alert with a headline above the label", () => {
  const alerts = fc
    .tuple(labels, fc.string({ unit: "grapheme", minLength: 1, maxLength: 120 }), limits)
    .filter(([label, headline]) => !headline.includes("\n") && !headline.includes(label))
    .chain(([label, headline, limit]) =>
      bodiesFor(label, limit)
        .filter((body) => !body.includes(label))
        .map((body) => [label, headline, body, limit] as const),
    );

  it("keeps headline and label, shortens only the body, and stays idempotent", () => {
    fc.assert(
      fc.property(alerts, ([label, headline, body, limit]) => {
        const head = `<b>${escapeHtml(headline)}</b>\n<b>${escapeHtml(label)}</b>`;
        const payload = html(`${head}\n${escapeHtml(body)}`);
        const result = applyLabel(payload, label, limit);
        const visible = visibleTextOf(result);
        expect(result.text.startsWith(head)).toBe(true);
        expect(visible.length).toBeLessThanOrEqual(limit);
        expect(hasLabelInPlace(result, label)).toBe(true);
        const shown = visible.slice(headline.length + label.length + 2);
        if (shown !== body && shown !== "") {
          expect(shown.endsWith(ELLIPSIS)).toBe(true);
          expect(body.startsWith(shown.slice(0, -1))).toBe(true);
        }
        expect(applyLabel(result, label, limit)).toEqual(result);
      }),
      PROPERTY_RUNS,
    );
  });
});

describe("a label that is present but hidden, struck or linked does not count", () => {
  const L = DEFAULT_FOREIGN_AGENT_LABEL;
  const bold = `<b>${escapeHtml(L)}</b>`;
  const cases: [string, TextPayload][] = [
    ["inside a spoiler", { text: `<tg-spoiler>${bold}</tg-spoiler>\nbody`, parseMode: "HTML" }],
    ["struck through", { text: `<s>${bold}</s>\nbody`, parseMode: "HTML" }],
    ["as a link", { text: `<a href="https://x.test">${bold}</a>\nbody`, parseMode: "HTML" }],
    [
      "in a spoiler opened on the headline line",
      { text: `<tg-spoiler>Headline\n${bold}</tg-spoiler>\nbody`, parseMode: "HTML" },
    ],
    [
      "in a collapsed quote",
      { text: `<blockquote expandable>${bold}</blockquote>\nbody`, parseMode: "HTML" },
    ],
    [
      "with a spoiler entity over it",
      {
        text: `${L}\nbody`,
        parseMode: undefined,
        entities: [
          { type: "bold", offset: 0, length: L.length },
          { type: "spoiler", offset: 0, length: L.length },
        ],
      },
    ],
  ];
  for (const [name, payload] of cases) {
    it(`puts a visible label first when the one given is ${name}`, () => {
      expect(hasLabelInPlace(payload, L)).toBe(false);
      const labelled = applyLabel(payload, L, TEXT_LIMIT);
      expect(hasLabelInPlace(labelled, L)).toBe(true);
      expect(labelled.text.startsWith(`${bold}\n`)).toBe(labelled.parseMode !== undefined);
    });
  }

  it("still accepts the plain bold label in place", () => {
    expect(hasLabelInPlace({ text: `${bold}\nbody`, parseMode: "HTML" }, L)).toBe(true);
    expect(hasLabelInPlace({ text: `<b>Headline</b>\n${bold}\nbody`, parseMode: "HTML" }, L)).toBe(true);
  });
});

describe("normaliseParseMode", () => {
  it("reads parse_mode without regard to case, as Telegram does", () => {
    expect(normaliseParseMode("html")).toBe("HTML");
    expect(normaliseParseMode("Html")).toBe("HTML");
  });

  it("refuses Markdown and MarkdownV2 in any case, naming the HTML-only rule", () => {
    for (const raw of ["Markdown", "markdown", "MarkdownV2", "markdownv2", "MARKDOWNV2"])
      expect(() => normaliseParseMode(raw)).toThrow(
        new RangeError(`newsbell sends HTML or plain text only, never parse_mode "${raw}"`),
      );
  });

  it("takes an absent, empty or none parse_mode as no mode", () => {
    for (const raw of [undefined, null, "", "none", "None"]) expect(normaliseParseMode(raw)).toBeUndefined();
  });

  it("refuses a mode Telegram does not know", () => {
    for (const raw of ["markdown3", "htm", " HTML", 1, {}])
      expect(() => normaliseParseMode(raw)).toThrow(RangeError);
  });

  it("lets a lower-case HTML message keep its label in place instead of escaping its markup", () => {
    const given = { text: `<b>${escapeHtml(L)}</b>\nbody`, parseMode: normaliseParseMode("html") };
    expect(applyLabel(given, L, TEXT_LIMIT)).toEqual(given);
  });
});

describe("descriptionCarriesLabel", () => {
  it("accepts the label alone or on a line of its own before the text", () => {
    expect(descriptionCarriesLabel(L, L)).toBe(true);
    expect(descriptionCarriesLabel(`${L}\nNews alerts`, L)).toBe(true);
  });

  it("refuses a description without the label first and verbatim", () => {
    expect(descriptionCarriesLabel("News alerts", L)).toBe(false);
    expect(descriptionCarriesLabel(`News alerts\n${L}`, L)).toBe(false);
    expect(descriptionCarriesLabel(`${L} News alerts`, L)).toBe(false);
    expect(descriptionCarriesLabel(L.slice(0, 100), L)).toBe(false);
    expect(descriptionCarriesLabel(` ${L}`, L)).toBe(false);
    expect(descriptionCarriesLabel("", "")).toBe(false);
  });
});
