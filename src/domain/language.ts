/** The languages the bot speaks and the newsroom publishes in: each is also an edition. */
export const LANGUAGES = ["ru", "en"] as const;

export type Language = (typeof LANGUAGES)[number];

export function isLanguage(value: unknown): value is Language {
  return (LANGUAGES as readonly unknown[]).includes(value);
}
