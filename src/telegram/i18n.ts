import { fileURLToPath } from "node:url";
import { I18n } from "@grammyjs/i18n";
import type { Context } from "grammy";
import type { Language } from "../domain/catalog.ts";

const LOCALES_DIR = fileURLToPath(new URL("../../locales", import.meta.url));

export function createI18n<C extends Context>(
  defaultLocale: Language,
  localeNegotiator?: (ctx: C) => string | undefined | Promise<string | undefined>,
): I18n<C> {
  return new I18n<C>({
    defaultLocale,
    directory: LOCALES_DIR,
    useSession: false,
    ...(localeNegotiator ? { localeNegotiator } : {}),
    // Unicode isolation marks around placeables would count against Telegram's length limits.
    fluentBundleOptions: { useIsolating: false },
  });
}
