import type { Api } from "grammy";
import type { ChatSettings } from "../domain/chat.ts";
import type { Language } from "../domain/language.ts";
import type { Logger } from "../logger.ts";
import type { ChatStore } from "../store/chat-store.ts";
import type { RateLimiter } from "../store/rate-limiter.ts";
import { createI18n } from "./i18n.ts";

/** What the bot and the workers tell people when a channel or a forum topic stops taking alerts. */
export interface NoticeDeps {
  /** A labelled Api: the bot's, or a worker's from createApi. */
  api: Pick<Api, "sendMessage">;
  chats: Pick<ChatStore, "get" | "claimLossNotice" | "userChannels">;
  /** Workers pace a notice with their alerts; the bot's own messages wait out 429s by auto-retry. */
  limiter?: Pick<RateLimiter, "acquire">;
  logger: Logger;
}

// A worker has no update to negotiate a language from: every notice is written in the language of
// the chat it goes to, so the fallback locale never shows.
let i18n: ReturnType<typeof createI18n> | undefined;
function translate(lang: Language, key: string, vars?: Record<string, string | number>): string {
  i18n ??= createI18n("ru");
  return i18n.t(lang, key, vars);
}

async function send(deps: NoticeDeps, chatId: number, isGroup: boolean, text: string): Promise<void> {
  try {
    await deps.limiter?.acquire(chatId, isGroup);
    await deps.api.sendMessage(chatId, text);
  } catch (err) {
    // A courtesy: failing to deliver it must not fail what it reports on.
    deps.logger.warn({ chatId, err }, "could not send a notice");
  }
}

/**
 * The bot can no longer post in a connected channel: the person who connected it is told, once
 * until they connect it again (the bot's my_chat_member update and a refused send both report it).
 */
export async function tellChannelLost(deps: NoticeDeps, channel: ChatSettings): Promise<void> {
  const connector = channel.connectedBy;
  if (channel.kind !== "channel" || connector === undefined) return;
  if (!(await deps.chats.claimLossNotice(channel.id))) return;
  const [titles, reader] = await Promise.all([deps.chats.userChannels(connector), deps.chats.get(connector)]);
  const title = titles.get(channel.id) ?? String(channel.id);
  deps.logger.info({ chatId: channel.id, connector }, "channel lost; its connector is told");
  await send(
    deps,
    connector,
    false,
    translate(reader?.lang ?? channel.lang, "reach-channel-lost", { title }),
  );
}

/** A forum group's topic is gone and its alerts come to General now: the group hears it there. */
export async function tellTopicGone(deps: NoticeDeps, group: ChatSettings): Promise<void> {
  deps.logger.info({ chatId: group.id }, "forum topic gone; alerts fall back to General");
  await send(deps, group.id, true, translate(group.lang, "reach-topic-gone"));
}
