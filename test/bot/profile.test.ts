import { Api } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBotApi } from "../../src/bench/fake-bot-api/fake-bot-api.ts";
import {
  DESCRIPTION_LIMIT,
  profileDescription,
  profileShortDescription,
  publishProfile,
} from "../../src/bot/profile.ts";
import { DEFAULT_FOREIGN_AGENT_LABEL } from "../../src/domain/label.ts";
import { createApi } from "../../src/telegram/create-api.ts";
import { recordForAudit } from "../support/label-audit.ts";

const L = DEFAULT_FOREIGN_AGENT_LABEL;
let fake: FakeBotApi;

beforeAll(async () => {
  fake = await FakeBotApi.start();
});
afterAll(async () => {
  recordForAudit("profile", fake.calls);
  await fake.stop();
});

function apiWith(label: string) {
  return createApi({ botToken: "1:test", telegramApiRoot: fake.apiRoot, label });
}

describe("the bot's profile", () => {
  it("opens the description with the label in Russian, English and the default, through the label transformer", async () => {
    const api = apiWith(L);
    await publishProfile(api, L, "ru");
    const ru = (await api.getMyDescription({ language_code: "ru" })).description;
    const en = (await api.getMyDescription({ language_code: "en" })).description;
    const fallback = (await api.getMyDescription()).description;
    expect(ru.split("\n")[0]).toBe(L);
    expect(ru).toContain("«Кавказского узла»");
    expect(en.split("\n")[0]).toBe(L);
    expect(en).toContain("Caucasian Knot");
    expect(fallback).toBe(ru);
  });

  it("clears the short description when the label is longer than Telegram's 120 characters", async () => {
    expect(L.length).toBeGreaterThan(120);
    // As if set by hand in @BotFather, where no transformer checks it.
    const unchecked = new Api("1:test", { apiRoot: fake.apiRoot });
    await unchecked.setMyShortDescription("News alerts");
    await unchecked.setMyShortDescription("Новости", { language_code: "ru" });
    const api = apiWith(L);
    await publishProfile(api, L, "en");
    for (const language_code of [undefined, "ru", "en"] as const) {
      const { short_description } = await api.getMyShortDescription(
        language_code ? { language_code } : undefined,
      );
      expect(short_description).toBe("");
    }
  });

  it("sets the short description to a label that fits, and nothing else", async () => {
    const label = "ИНОСТРАННЫЙ АГЕНТ";
    const api = apiWith(label);
    await publishProfile(api, label, "en");
    expect((await api.getMyShortDescription({ language_code: "en" })).short_description).toBe(label);
    expect((await api.getMyDescription({ language_code: "en" })).description.split("\n")[0]).toBe(label);
  });

  it("takes its words from the texts it is given, per language", async () => {
    const api = apiWith(L);
    await publishProfile(api, L, "en", { t: (lang, key) => `${key} in ${lang}` });
    expect((await api.getMyDescription({ language_code: "ru" })).description).toBe(
      `${L}\nprofile-description in ru`,
    );
    expect((await api.getMyDescription()).description).toBe(`${L}\nprofile-description in en`);
  });
});

describe("profileDescription", () => {
  it("shortens only the text after the label to Telegram's 512 characters", () => {
    const description = profileDescription(L, "word ".repeat(200));
    expect(description.length).toBeLessThanOrEqual(DESCRIPTION_LIMIT);
    expect(description.startsWith(`${L}\nword`)).toBe(true);
    expect(description.endsWith("…")).toBe(true);
  });

  it("is the label alone when there is no text, and empty when even the label cannot fit", () => {
    expect(profileDescription(L, "  ")).toBe(L);
    expect(profileDescription("Я".repeat(DESCRIPTION_LIMIT + 1), "text")).toBe("");
  });
});

describe("profileShortDescription", () => {
  it("is the label when it fits in 120 characters, else empty", () => {
    expect(profileShortDescription("A".repeat(120))).toBe("A".repeat(120));
    expect(profileShortDescription("A".repeat(121))).toBe("");
  });
});
