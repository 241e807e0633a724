import type { Api } from "grammy";
import type { Language } from "../domain/catalog.ts";
import { shortenAtWordBoundary } from "../domain/fit-text.ts";
import { createI18n } from "../telegram/i18n.ts";

/** Telegram's limits for the bot's profile texts. */
export const DESCRIPTION_LIMIT = 512;
export const SHORT_DESCRIPTION_LIMIT = 120;

/** Where the profile's words come from: @grammyjs/i18n's `I18n` fits. */
export interface ProfileTexts {
  t(locale: string, key: string): string;
}

const LANGUAGES: readonly Language[] = ["ru", "en"];

/**
 * The description a reader sees in the empty chat before pressing Start: the label alone on the
 * first line, then what the bot does, shortened at a word to fit. A label too long for even that
 * leaves the description empty, because the label is never shortened.
 */
export function profileDescription(label: string, text: string): string {
  const room = DESCRIPTION_LIMIT - label.length - 1;
  if (room < 0) return label.length <= DESCRIPTION_LIMIT ? label : "";
  const body = shortenAtWordBoundary(text.trim(), room);
  return body === "" ? label : `${label}\n${body}`;
}

/**
 * The short description (profile page, shared links) is the label alone when it fits, and empty
 * otherwise: 120 characters hold no other text beside a label, and the agency's is longer.
 */
export function profileShortDescription(label: string): string {
  return label.length <= SHORT_DESCRIPTION_LIMIT ? label : "";
}

/**
 * Sets the bot's description and short description for Russian, English and every other language
 * (the default), so that the first thing a new reader sees of the bot carries the label too.
 */
export async function publishProfile(
  api: Api,
  label: string,
  defaultLanguage: Language,
  texts: ProfileTexts = createI18n(defaultLanguage),
): Promise<void> {
  const description = (lang: Language) => profileDescription(label, texts.t(lang, "profile-description"));
  const short = profileShortDescription(label);
  await api.setMyDescription(description(defaultLanguage));
  await api.setMyShortDescription(short);
  for (const lang of LANGUAGES) {
    await api.setMyDescription(description(lang), { language_code: lang });
    await api.setMyShortDescription(short, { language_code: lang });
  }
}
