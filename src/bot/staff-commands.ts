import type { Api } from "grammy";
import type { Language } from "../domain/catalog.ts";
import type { Role } from "../domain/roles.ts";
import type { Logger } from "../logger.ts";
import type { StaffStore } from "../store/staff-store.ts";
import { createI18n } from "../telegram/i18n.ts";

export const READER_COMMANDS = [
  "start",
  "topics",
  "regions",
  "my",
  "language",
  "settings",
  "filter",
  "mute",
  "timezone",
  "latest",
  "channel",
  "here",
  "stop",
  "help",
  "id",
] as const;
const EDITOR_COMMANDS = ["breaking", "scheduled", "recent", "cancel", "correct", "retract"] as const;
const ADMIN_COMMANDS = ["catalog", "editors", "admins", "stats", "audit", "mirror"] as const;

function commandsFor(role: Role): readonly string[] {
  if (role === "admin") return [...EDITOR_COMMANDS, ...ADMIN_COMMANDS, ...READER_COMMANDS];
  if (role === "editor") return [...EDITOR_COMMANDS, ...READER_COMMANDS];
  return READER_COMMANDS;
}

// Reading the locale files once per process, not once per staff member and role change.
const texts = new Map<Language, ReturnType<typeof createI18n>>();
function commandTexts(defaultLanguage: Language) {
  let i18n = texts.get(defaultLanguage);
  if (!i18n) {
    i18n = createI18n(defaultLanguage);
    texts.set(defaultLanguage, i18n);
  }
  return i18n;
}

/**
 * Telegram's "/" menu in a staff member's private chat lists their newsroom commands too; a user
 * who loses the role gets the readers' menu back. A user who never started the bot has no chat
 * yet: Telegram refuses, and the menu is set the next time their role changes or the bot starts.
 */
export async function publishStaffCommands(
  api: Api,
  staff: StaffStore,
  userId: number,
  defaultLanguage: Language,
  logger: Logger,
): Promise<void> {
  const role = await staff.roleOf(userId);
  const i18n = commandTexts(defaultLanguage);
  const scope = { type: "chat" as const, chat_id: userId };
  try {
    for (const lang of [undefined, "ru", "en"] as const) {
      const options = lang ? { scope, language_code: lang } : { scope };
      if (role === "reader") await api.deleteMyCommands(options);
      else {
        const list = commandsFor(role).map((command) => ({
          command,
          description: i18n.t(lang ?? defaultLanguage, `cmd-${command}`),
        }));
        await api.setMyCommands(list, options);
      }
    }
  } catch (error) {
    logger.info({ userId, err: error }, "could not set the command menu of a staff member");
  }
}

/** At start: every admin and editor gets their menu. */
export async function publishAllStaffCommands(
  api: Api,
  staff: StaffStore,
  configAdmins: readonly number[],
  defaultLanguage: Language,
  logger: Logger,
): Promise<void> {
  const members = new Set([
    ...configAdmins,
    ...(await staff.admins()).map((m) => m.userId),
    ...(await staff.editors()).map((m) => m.userId),
  ]);
  for (const userId of members) await publishStaffCommands(api, staff, userId, defaultLanguage, logger);
}
