import type { Api } from "grammy";
import type { InlineKeyboardMarkup, LinkPreviewOptions } from "grammy/types";
import type { Article } from "../domain/article.ts";
import type { ChatSettings } from "../domain/chat.ts";
import type { Language } from "../domain/language.ts";
import { type MirrorMap, mirrorUrl } from "../domain/mirrors.ts";
import { type ReadButton, readButton } from "../domain/read-here.ts";
import { type AlertForm, type AlertPictureDeps, AlertPictures } from "./alert-picture.ts";

/** The alert's HTML, rendered only in the form that is sent. */
export interface AlertTexts {
  text(): string;
  /** Undefined when the alert does not fit a caption: it goes out as text. */
  caption(): string | undefined;
}

export interface AlertSenderDeps extends AlertPictureDeps {
  api: Api;
  paidBroadcast: boolean;
  /** False: text alerts go without a link preview (LINK_PREVIEWS=false). */
  linkPreviews: boolean;
}

/**
 * A text alert's link preview: the article's, under the text, never above it (where it would push
 * the label down from under the headline); none when the operator turned previews off. Edits
 * pass it again, or Telegram would bring back the preview an operator turned off.
 */
export function linkPreview(article: Pick<Article, "url">, enabled: boolean): LinkPreviewOptions {
  return enabled ? { url: article.url, show_above_text: false } : { is_disabled: true };
}

/**
 * The "Read here" button of an alert whose article has a text (a callback in a private chat, a
 * link to the private chat elsewhere); none otherwise. Edits pass it again: an edit without it
 * would take the button away.
 */
function readHereMarkup(
  seq: number,
  article: Pick<Article, "hasText">,
  chatId: number,
  word: string,
  username: string | undefined,
): { reply_markup: InlineKeyboardMarkup } | Record<string, never> {
  const button: ReadButton | undefined = article.hasText
    ? readButton(seq, chatId, word, username)
    : undefined;
  return button ? { reply_markup: { inline_keyboard: [[button]] } } : {};
}

/**
 * An article as one chat's alert shows it, sent or edited: its link through the mirrors, and its
 * "Read here" button (the bot's name is asked for only where a link to the private chat needs it).
 */
export async function alertLinks<A extends Article>(
  seq: number,
  stored: A,
  chatId: number,
  lang: Language,
  mirrors: MirrorMap,
  deps: { readHereWord: (lang: Language) => string; botUsername: () => Promise<string | undefined> },
): Promise<{ article: A; markup: ReturnType<typeof readHereMarkup> }> {
  const article = { ...stored, url: mirrorUrl(stored.url, mirrors) };
  const username = article.hasText && chatId < 0 ? await deps.botUsername() : undefined;
  return { article, markup: readHereMarkup(seq, article, chatId, deps.readHereWord(lang), username) };
}

/**
 * Sends alerts as a photo when the article has a picture, else as text. The picture is fetched
 * by Telegram once per article: one sender (across all workers) uploads it by URL while the others
 * wait, and every later send reuses the file id of that answer (AlertPictures). When Telegram
 * refuses the picture, the article goes out as text to every chat, this one included.
 */
export function alertSender(deps: AlertSenderDeps) {
  const pictures = new AlertPictures(deps);
  return {
    /** The form of the next send of an article (AlertPictures.form). */
    form: (seq: number, article: Pick<Article, "imageUrl">): Promise<AlertForm> =>
      pictures.form(seq, article),

    /**
     * Sends one chat's alert in `form` (silently: `disable_notification`); whether it went as a
     * photo decides how it is corrected later.
     */
    send: (
      seq: number,
      target: ChatSettings,
      article: Article,
      form: AlertForm,
      texts: AlertTexts,
      options: AlertOptions = {},
    ): Promise<{ messageId: number; photo: boolean }> =>
      sendAlert(deps, pictures, { seq, target, article, form, texts }, options),

    /** After a failed send: whether it goes again as text (AlertPictures.afterFailure). */
    afterFailure: (seq: number, form: AlertForm, error: unknown): Promise<"text" | "chat" | undefined> =>
      pictures.afterFailure(seq, form, error),

    /** Gives up an upload claim the send never used (cancelled, stopped, failed before sending). */
    release: (seq: number, form: AlertForm): Promise<void> => pictures.release(seq, form),
  };
}

export type AlertSender = ReturnType<typeof alertSender>;

interface AlertOptions {
  silent?: boolean;
  markup?: { reply_markup?: InlineKeyboardMarkup };
}

/** One chat's alert as it is about to go out. */
interface OneAlert {
  seq: number;
  target: ChatSettings;
  article: Article;
  form: AlertForm;
  texts: AlertTexts;
}

async function sendAlert(
  deps: AlertSenderDeps,
  pictures: AlertPictures,
  { seq, target, article, form, texts }: OneAlert,
  options: AlertOptions,
): Promise<{ messageId: number; photo: boolean }> {
  const common = {
    parse_mode: "HTML" as const,
    ...options.markup,
    ...(target.threadId !== undefined ? { message_thread_id: target.threadId } : {}),
    ...(deps.paidBroadcast ? { allow_paid_broadcast: true } : {}),
    // A reader in their quiet hours gets the alert without a sound.
    ...(options.silent ? { disable_notification: true } : {}),
  };
  if (form.kind === "photo") {
    const caption = texts.caption();
    if (caption !== undefined) {
      const message = await deps.api.sendPhoto(target.id, form.photo, { caption, ...common });
      if (form.uploadToken !== undefined) await pictures.uploaded(seq, form, message.photo);
      return { messageId: message.message_id, photo: true };
    }
    await pictures.release(seq, form);
  }
  const message = await deps.api.sendMessage(target.id, texts.text(), {
    ...common,
    link_preview_options: linkPreview(article, deps.linkPreviews),
  });
  return { messageId: message.message_id, photo: false };
}
