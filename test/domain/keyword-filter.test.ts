import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  type KeywordFilter,
  MAX_PHRASE_LENGTH,
  matchesPhrase,
  normalisePhrase,
  parseFilter,
  passesFilters,
} from "../../src/domain/keyword-filter.ts";

const drop = (phrase: string): KeywordFilter => ({ keep: false, phrase: normalisePhrase(phrase) });
const keep = (phrase: string): KeywordFilter => ({ keep: true, phrase: normalisePhrase(phrase) });
const hit = (phrase: string, headline: string, teaser?: string) =>
  matchesPhrase(normalisePhrase(phrase), teaser === undefined ? { headline } : { headline, teaser });

describe("parseFilter", () => {
  it("reads + as keep and - as drop, with or without a space after the sign", () => {
    expect(parseFilter("+футбол")).toEqual({ ok: true, filter: { keep: true, phrase: "футбол" } });
    expect(parseFilter("- Футбол ")).toEqual({ ok: true, filter: { keep: false, phrase: "футбол" } });
    expect(parseFilter("  -права   человека")).toEqual({
      ok: true,
      filter: { keep: false, phrase: "права человека" },
    });
  });

  it("takes a dash or minus sign that a phone put for the hyphen as drop", () => {
    for (const sign of ["−", "–", "—"])
      expect(parseFilter(`${sign}футбол`)).toEqual({ ok: true, filter: { keep: false, phrase: "футбол" } });
  });

  it("stores the phrase lower-case, with е for ё, hyphens and apostrophes kept", () => {
    expect(parseFilter("+Ёлка")).toEqual({ ok: true, filter: { keep: true, phrase: "елка" } });
    expect(parseFilter("-Кабардино-Балкария")).toEqual({
      ok: true,
      filter: { keep: false, phrase: "кабардино-балкария" },
    });
    expect(parseFilter("+O’Brien")).toEqual({ ok: true, filter: { keep: true, phrase: "o'brien" } });
  });

  it("refuses nothing, or a sign with nothing after it, as empty", () => {
    expect(parseFilter("")).toEqual({ ok: false, reason: "empty" });
    expect(parseFilter("   ")).toEqual({ ok: false, reason: "empty" });
    expect(parseFilter("+")).toEqual({ ok: false, reason: "empty" });
    expect(parseFilter("-  ")).toEqual({ ok: false, reason: "empty" });
    expect(parseFilter("+ - ' -")).toEqual({ ok: false, reason: "empty" });
  });

  it("refuses a word without a sign", () => {
    expect(parseFilter("футбол")).toEqual({ ok: false, reason: "no-sign" });
    expect(parseFilter("*футбол")).toEqual({ ok: false, reason: "no-sign" });
  });

  it("refuses more than 40 characters after the sign, saying how many there were", () => {
    expect(parseFilter(`+${"а".repeat(MAX_PHRASE_LENGTH)}`).ok).toBe(true);
    expect(parseFilter(`+${"а".repeat(MAX_PHRASE_LENGTH + 1)}`)).toEqual({
      ok: false,
      reason: "too-long",
      length: 41,
    });
  });

  it("refuses a filter that passes 40 characters once its letters are written out (ﬁ as fi, ǆ as dž)", () => {
    expect(parseFilter(`-${"ﬁ".repeat(25)}`)).toEqual({
      ok: false,
      reason: "too-long-written-out",
      length: 50,
    });
    expect(parseFilter(`+${"ǆ".repeat(30)}`)).toEqual({
      ok: false,
      reason: "too-long-written-out",
      length: 60,
    });
    expect(parseFilter(`-${"ﬁ".repeat(20)}`)).toEqual({
      ok: true,
      filter: { keep: false, phrase: "fi".repeat(20) },
    });
  });

  it("counts the stored form: spacing and stray hyphens a phrase loses do not make it too long", () => {
    expect(parseFilter(`-права${" ".repeat(40)}человека`)).toEqual({
      ok: true,
      filter: { keep: false, phrase: "права человека" },
    });
  });

  it("refuses anything but letters, digits, spaces, hyphens and apostrophes, regex syntax included", () => {
    for (const bad of ["+foot.*", "-a|b", "+<b>", "-футбол!", "+a;b", "-😀", "+!!!", "+(?i)x"])
      expect(parseFilter(bad)).toEqual({ ok: false, reason: "bad-characters" });
  });

  it("never throws and never accepts a phrase it could not store", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), (input) => {
        const r = parseFilter(input);
        if (r.ok) {
          expect(r.filter.phrase).not.toBe("");
          expect(r.filter.phrase).not.toMatch(/[;|]/);
          expect(parseFilter(`${r.filter.keep ? "+" : "-"}${r.filter.phrase}`)).toEqual(r);
        }
      }),
    );
  });
});

describe("keyword matching", () => {
  it("ignores case, in Cyrillic and Latin", () => {
    expect(hit("футбол", "ФУТБОЛ в Грозном")).toBe(true);
    expect(hit("ROSTOV", "Flood in rostov")).toBe(true);
  });

  it("takes ё and е as one letter, either way round", () => {
    expect(hit("ежик", "Ёжик в тумане")).toBe(true);
    expect(hit("ёжик", "ежик в тумане")).toBe(true);
  });

  it("matches whole words only: футбол does not match футболист, nor flood floodlight", () => {
    expect(hit("футбол", "Футболист арестован")).toBe(false);
    expect(hit("футболист", "Футболист арестован")).toBe(true);
    expect(hit("футбол", "Футболисты вышли на поле")).toBe(false);
    expect(hit("flood", "Floodlights fail at the stadium")).toBe(false);
  });

  it("takes two words as one where the stemmer does, as Snowball does суд and судья", () => {
    expect(hit("суд", "Судья ушёл в отставку")).toBe(true);
  });

  it("matches a phrase as those words in that order, across punctuation and spacing", () => {
    expect(hit("права человека", "Права, человека! нарушены")).toBe(true);
    expect(hit("права человека", "человека права")).toBe(false);
    expect(hit("права человека", "Правозащитники: права\nчеловека — под угрозой")).toBe(true);
  });

  it("treats a hyphen as a word break in the text and in the phrase", () => {
    expect(hit("футбол", "Турнир по мини-футболу")).toBe(true);
    expect(hit("футбол", "Турнир по минифутболу")).toBe(false);
    expect(hit("футбол", "Мини-футбол в Нальчике")).toBe(true);
    expect(hit("кабардино-балкария", "Кабардино-Балкария: паводок")).toBe(true);
    expect(hit("балкария", "Кабардино-Балкария: паводок")).toBe(true);
    expect(hit("кабардино-балкария", "Кабардино Балкария")).toBe(true);
  });

  it("reads letters of every script and their combining marks", () => {
    expect(hit("თბილისი", "პროტესტი თბილისში")).toBe(false);
    expect(hit("თბილისი", "აქცია თბილისი ცენტრში")).toBe(true);
    // й typed as и + a combining breve is the same letter.
    expect(hit("край", "Краснодарский кра\u0438\u0306")).toBe(true);
    expect(hit("2024", "Выборы-2024")).toBe(true);
  });

  it("looks in the teaser too", () => {
    expect(hit("футбол", "Новости спорта", "Сегодня футбол")).toBe(true);
  });

  it("finds nothing for a phrase with no words", () => {
    expect(matchesPhrase("", { headline: "что угодно" })).toBe(false);
  });

  it("treats regex characters in a text as plain text", () => {
    expect(hit("a", "(a+)+$ .*")).toBe(true);
    expect(hit("b", "(a+)+$ .*")).toBe(false);
  });
});

describe("passesFilters", () => {
  const text = { headline: "Футбол в Грозном", teaser: "Матч прошёл без зрителей" };

  it("passes everything when there are no filters", () => {
    expect(passesFilters([], text)).toBe(true);
  });

  it("drops an article that a - filter hits", () => {
    expect(passesFilters([drop("футбол")], text)).toBe(false);
    expect(passesFilters([drop("хоккей")], text)).toBe(true);
  });

  it("keeps only the articles that some + filter hits", () => {
    expect(passesFilters([keep("грозный"), keep("матч")], text)).toBe(true);
    expect(passesFilters([keep("грозный")], text)).toBe(true);
    expect(passesFilters([keep("махачкала")], text)).toBe(false);
  });

  it("lets a - filter win over a + filter that also hits", () => {
    expect(passesFilters([keep("матч"), drop("футбол")], text)).toBe(false);
  });

  it("gives the same answer for a text however many chats ask in turn", () => {
    const other = { headline: "Хоккей в Грозном" };
    expect(passesFilters([drop("футбол")], text)).toBe(false);
    expect(passesFilters([drop("футбол")], other)).toBe(true);
    expect(passesFilters([drop("футбол")], text)).toBe(false);
    expect(passesFilters([drop("футбол")], { headline: text.headline })).toBe(false);
    expect(passesFilters([drop("зрителей")], { headline: text.headline })).toBe(true);
  });
});

describe("word forms (stems)", () => {
  it("drops «Матч по футболу…» for -футбол (the README's example)", () => {
    expect(passesFilters([drop("футбол")], { headline: "Матч по футболу прошёл без зрителей" })).toBe(false);
  });

  it("keeps «В Грозном прошёл митинг…» for +Грозный (the README's example)", () => {
    expect(passesFilters([keep("Грозный")], { headline: "В Грозном прошёл митинг" })).toBe(true);
    expect(passesFilters([keep("Грозный")], { headline: "В Махачкале прошёл митинг" })).toBe(false);
  });

  it("drops the phrase -права человека in its other forms, its words still in order (the README's example)", () => {
    for (const headline of [
      "Защита прав человека на Кавказе",
      "Доклад о правах человека",
      "Правам человека угрожают",
      "Право человека на защиту",
    ])
      expect(passesFilters([drop("права человека")], { headline }), headline).toBe(false);
    expect(passesFilters([drop("права человека")], { headline: "Человек и его права" })).toBe(true);
    expect(passesFilters([drop("права человека")], { headline: "Права журналистов и человека" })).toBe(true);
  });

  // Each row: the forms of one word; a filter typed in any of them matches a text in any other.
  const caseForms: Record<string, string[]> = {
    футбол: [
      "футбол",
      "футбола",
      "футболу",
      "футболом",
      "футболе",
      "футболы",
      "футболов",
      "футболам",
      "футболами",
      "футболах",
    ],
    Грозный: ["Грозный", "Грозного", "Грозному", "Грозным", "Грозном"],
    Чечня: ["Чечня", "Чечни", "Чечне", "Чечню", "Чечнёй", "Чечней"],
    Дагестан: ["Дагестан", "Дагестана", "Дагестану", "Дагестаном", "Дагестане"],
    Махачкала: ["Махачкала", "Махачкалы", "Махачкале", "Махачкалу", "Махачкалой"],
    Ингушетия: ["Ингушетия", "Ингушетии", "Ингушетию", "Ингушетией"],
    Кадыров: ["Кадыров", "Кадырова", "Кадырову", "Кадыровым", "Кадырове"],
    человек: ["человек", "человека", "человеку", "человеком", "человеке"],
    право: ["право", "права", "праву", "правом", "праве", "прав", "правам", "правами", "правах"],
    суд: ["суд", "суда", "суду", "судом", "суде", "суды", "судов", "судам", "судами", "судах"],
    митинг: ["митинг", "митинга", "митингу", "митингом", "митинге", "митинги", "митингов", "митингах"],
    задержание: ["задержание", "задержания", "задержанию", "задержанием", "задержании", "задержаний"],
    выборы: ["выборы", "выборов", "выборам", "выборами", "выборах"],
  };
  for (const [word, forms] of Object.entries(caseForms))
    it(`matches every case form of «${word}», whichever form the filter was typed in`, () => {
      for (const typed of forms)
        for (const form of forms)
          expect(hit(typed, `Новости: ${form} сегодня`), `${typed} → ${form}`).toBe(true);
    });

  it("matches English word forms with the English stemmer", () => {
    expect(passesFilters([drop("football")], { headline: "Footballs and fans" })).toBe(false);
    expect(passesFilters([keep("flood")], { headline: "Flooding in Dagestan" })).toBe(true);
    expect(passesFilters([keep("elections")], { headline: "Chechnya elected a new head" })).toBe(true);
    expect(passesFilters([drop("human rights")], { headline: "A human right denied" })).toBe(false);
  });

  it("stems a word by its own script: a Cyrillic filter matches Russian forms, a Latin one English forms", () => {
    expect(hit("Грозный", "Grozny floods")).toBe(false);
    expect(hit("Grozny", "Grozny floods")).toBe(true);
    expect(hit("Грозный", "Mixed Грозном text")).toBe(true);
  });

  it("keeps ё = е and any case in word forms", () => {
    expect(hit("ЕЛКА", "Ёлки на площади")).toBe(true);
    expect(hit("ёлка", "ЕЛКУ установили")).toBe(true);
    expect(hit("ЧЕЧНЯ", "в чечне")).toBe(true);
  });
});
