import { autoRetry } from "@grammyjs/auto-retry";
import { sequentialize } from "@grammyjs/runner";
import { RedisAdapter } from "@grammyjs/storage-redis";
import { Bot, type Context, GrammyError, HttpError, session } from "grammy";
import { oneLine } from "../domain/audit.ts";
import { STAFF_NAME_MAX } from "../domain/staff-command.ts";
import { type RedisKeys, redisKeys } from "../store/keys.ts";
import { LatestArticles } from "../store/latest-articles.ts";
import { RateLimiter } from "../store/rate-limiter.ts";
import { createI18n } from "../telegram/i18n.ts";
import { installLabel } from "../telegram/label-transformer.ts";
import type { BotContext, BotDeps, SessionData } from "./context.ts";
import { installDialogs } from "./conversations/install-dialogs.ts";
import { adminFeature } from "./features/admin.ts";
import { channelsFeature } from "./features/channels.ts";
import { chatMemberFeature } from "./features/chat-member.ts";
import { forumTopicsFeature } from "./features/forum-topics.ts";
import { groupAdminsFeature } from "./features/group-admins.ts";
import { helpFeature } from "./features/help.ts";
import { languageFeature } from "./features/language.ts";
import { latestFeature } from "./features/latest.ts";
import { newsroomFeature } from "./features/newsroom.ts";
import { reactionsFeature } from "./features/reactions.ts";
import { readerOptionsFeature } from "./features/reader-options.ts";
import { readingFeature } from "./features/reading.ts";
import { scheduledFeature } from "./features/scheduled.ts";
import { stopFeature } from "./features/stop.ts";
import { subscriptionsFeature } from "./features/subscriptions.ts";
import { unhandledFeature } from "./features/unhandled.ts";
import { welcomeFeature } from "./features/welcome.ts";
import { withoutDefault } from "./helpers/session-storage.ts";
import { displayName } from "./helpers/staff-access.ts";
import { createMenus } from "./menus/main-menu.ts";
import { createSettingsMenus } from "./menus/settings/settings-menu.ts";
import { READER_COMMANDS } from "./staff-commands.ts";

/** How long an update id is remembered, to drop Telegram's repeats of it. */
const UPDATE_MEMORY_S = 600;

/** One session and one queue of updates per chat: menus of a chat never race each other. */
export const sessionKeyOf = (ctx: Context) => ctx.chat?.id.toString();

export function createBot(deps: BotDeps): Bot<BotContext> {
  const { config, logger } = deps;
  const bot = new Bot<BotContext>(config.botToken, {
    client: { apiRoot: config.telegramApiRoot, timeoutSeconds: 30 },
    ...(deps.botInfo ? { botInfo: deps.botInfo } : {}),
  });
  installLabel(bot.api, config.label);
  // A webhook request that waits out a long flood-control pause outlasts Telegram's wait, and
  // Telegram then sends the update again; by webhook the bot gives up on pauses over 5 s instead.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 3, maxDelaySeconds: config.webhookUrl ? 5 : 30 }));

  const keys = redisKeys(config.redisPrefix);
  installMiddleware(bot, deps, keys);
  installFeatures(bot, deps, keys);

  bot.catch((error) => {
    const why = error.error;
    if (why instanceof GrammyError || why instanceof HttpError)
      logger.warn({ err: why }, "Telegram call failed");
    else logger.error({ err: why }, "update failed outside the error boundary");
  });
  return bot;
}

/** What every update passes before the features: its chat's turn, repeats dropped, the context filled. */
function installMiddleware(bot: Bot<BotContext>, deps: BotDeps, keys: RedisKeys): void {
  const { config, logger, stores } = deps;
  bot.use(sequentialize(sessionKeyOf));
  // Telegram sends an update again when its receipt was not confirmed (a restart between handling
  // and the next poll, a webhook retry): a dialog must not take the same answer twice.
  bot.use(async (ctx, next) => {
    const handled = keys.handledUpdate(ctx.update.update_id);
    if ((await deps.redis.exists(handled)) === 1) return;
    await next();
    await deps.redis.set(handled, "1", "EX", UPDATE_MEMORY_S);
  });
  bot.use(async (ctx, next) => {
    ctx.config = config;
    ctx.stores = stores;
    ctx.queues = deps.queues;
    // A reaction's log lines name no chat: in a private chat that is the reader who reacted.
    const reaction = ctx.update.message_reaction ?? ctx.update.message_reaction_count;
    ctx.logger = logger.child({
      updateId: ctx.update.update_id,
      chatId: reaction ? undefined : ctx.chat?.id,
    });
    ctx.chatSettings = ctx.chat ? await stores.chats.get(ctx.chat.id) : undefined;
    await next();
  });
  // Staff lists show the name a staff member has now: kept the next time they write here. The
  // store writes it only for staff; a reader's name is never kept.
  bot.use(async (ctx, next) => {
    const from = ctx.from;
    if (ctx.chat?.type === "private" && ctx.message && from && !from.is_bot)
      await stores.staff.rememberName(from.id, oneLine(displayName(from), STAFF_NAME_MAX));
    await next();
  });
  const initialSession = (): SessionData => ({ pages: { topic: 0, region: 0 } });
  bot.use(
    session<SessionData, BotContext>({
      initial: initialSession,
      getSessionKey: sessionKeyOf,
      prefix: keys.session,
      storage: withoutDefault(
        new RedisAdapter<SessionData>({ instance: deps.redis, ttl: 60 * 60 * 24 * 30 }),
        initialSession,
      ),
    }),
  );
  bot.use(
    createI18n<BotContext>(
      config.defaultLanguage,
      (ctx) => ctx.chatSettings?.lang ?? ctx.from?.language_code,
    ),
  );
}

/** The features, in the order they see an update, inside an error boundary that answers the user. */
function installFeatures(bot: Bot<BotContext>, deps: BotDeps, keys: RedisKeys): void {
  const { config, logger } = deps;
  const menus = createMenus();
  const settingsMenus = createSettingsMenus();
  // /latest sends like the workers do: one schedule in Redis for every process.
  const latest = {
    latest: new LatestArticles(deps.redis, keys),
    limiter: new RateLimiter(deps.redis, keys, { perSecond: config.sendRate }),
  };
  const features = bot.errorBoundary(async (error) => {
    const ctx = error.ctx;
    ctx.logger.error({ err: error.error }, "update failed");
    if (ctx.callbackQuery) {
      await ctx.answerCallbackQuery({ text: ctx.t("error-generic") }).catch(() => undefined);
    } else if (ctx.chat && ctx.message) {
      await ctx.reply(ctx.t("error-generic")).catch(() => undefined);
    }
  });
  // First of all, in a group: a member who is not its admin makes the bot post nothing there
  // (nor leave an admin's open question with /cancel).
  features.use(groupAdminsFeature());
  // Reactions are counted before a dialog waiting in the chat could take one for an answer.
  features.use(reactionsFeature());
  // Dialogs come before the menus and features, so /cancel and a waiting dialog see updates first.
  installDialogs(features, deps);
  features.use(menus.main);
  features.use(settingsMenus.settings);
  features.use(
    // Before /start's own handling: /start read-<id> is a reading, not a subscription.
    readingFeature({ limiter: latest.limiter, logger: logger.child({ part: "reading" }) }),
    welcomeFeature(menus),
    subscriptionsFeature(menus),
    languageFeature(menus),
    stopFeature(),
    channelsFeature(menus),
    forumTopicsFeature(),
    helpFeature(),
    readerOptionsFeature(settingsMenus),
    latestFeature(latest),
    newsroomFeature(),
    scheduledFeature(),
    adminFeature(),
    chatMemberFeature(menus),
    unhandledFeature(),
  );
}

/** The command list in each language, so Telegram's "/" menu speaks the reader's language. */
export async function publishCommands(bot: Bot<BotContext>, defaultLanguage: "ru" | "en"): Promise<void> {
  const i18n = createI18n<BotContext>(defaultLanguage);
  const list = (lang: string) =>
    READER_COMMANDS.map((command) => ({ command, description: i18n.t(lang, `cmd-${command}`) }));
  await bot.api.setMyCommands(list(defaultLanguage));
  for (const lang of ["ru", "en"] as const) await bot.api.setMyCommands(list(lang), { language_code: lang });
}
