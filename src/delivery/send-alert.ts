import { setTimeout as delay } from "node:timers/promises";
import type { Api } from "grammy";
import type { InlineKeyboardMarkup, LinkPreviewOptions } from "grammy/types";
import type { DateTime } from "luxon";
import type { Article } from "../domain/article.ts";
import type { ChatSettings } from "../domain/chat.ts";
import type { Language } from "../domain/language.ts";
import { type MirrorMap, mirrorUrl } from "../domain/mirrors.ts";
import { largestFileId, type PhotoSizeLike } from "../domain/photo-sizes.ts";
import { pictureRefusal } from "../domain/picture-refusal.ts";
import { type ReadButton, readButton } from "../domain/read-here.ts";
import type { Logger } from "../logger.ts";
import type { ArticlePicture, PictureStore } from "../store/picture-store.ts";
import { SendingStopped } from "../store/rate-limiter.ts";
import { describeFailure } from "./telegram-failure.ts";

/** How often a sender waiting for another's upload looks for its file id (one look per process and article). */
const PICTURE_LOOK_MS = 50;
const KNOWN_PICTURES = 64;

/** How one chat's alert goes out. */
export type AlertForm =
  | { kind: "text" }
  | {
      kind: "photo";
      /** What sendPhoto gets: the file id once known, else the article's imageUrl. */
      photo: string;
      imageUrl: string;
      /** Set while this sender holds the article's one upload by URL. */
      uploadToken?: string;
    };

export const TEXT_ALERT: AlertForm = { kind: "text" };

/** The alert's HTML, rendered only in the form that is sent. */
export interface AlertTexts {
  text(): string;
  /** Undefined when the alert does not fit a caption: it goes out as text. */
  caption(): string | undefined;
}

export interface AlertSenderDeps {
  api: Api;
  pictures: Pick<
    PictureStore,
    "picture" | "notePictureFileId" | "markPictureFailed" | "claimPictureUpload" | "releasePictureUpload"
  >;
  paidBroadcast: boolean;
  /** False: text alerts go without a link preview (LINK_PREVIEWS=false). */
  linkPreviews: boolean;
  /** How long an upload may take before another sender takes it over (the uploader crashed). */
  uploadClaimMs: number;
  logger: Logger;
  now: () => DateTime;
  stopping?: () => boolean;
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
 * wait, and every later send reuses the file id of that answer. When Telegram refuses the
 * picture, the article goes out as text to every chat, this one included.
 */
export function alertSender(deps: AlertSenderDeps) {
  const { api, pictures, logger } = deps;
  /** Pictures whose fate is settled (a file id, or refused): they never change again. */
  const known = new Map<number, ArticlePicture>();
  const looks = new Map<number, Promise<ArticlePicture>>();

  function remember(seq: number, picture: ArticlePicture): ArticlePicture {
    if (picture.fileId !== undefined || picture.failed) {
      if (known.size >= KNOWN_PICTURES) known.delete(known.keys().next().value as number);
      known.set(seq, picture);
    }
    return picture;
  }

  async function read(seq: number): Promise<ArticlePicture> {
    return known.get(seq) ?? remember(seq, await pictures.picture(seq));
  }

  /** Every sender of this process that waits for the same picture shares one Redis read per look. */
  function nextLook(seq: number): Promise<ArticlePicture> {
    let look = looks.get(seq);
    if (!look) {
      look = delay(PICTURE_LOOK_MS)
        .then(() => read(seq))
        .finally(() => looks.delete(seq));
      looks.set(seq, look);
    }
    return look;
  }

  async function release(seq: number, form: AlertForm): Promise<void> {
    if (form.kind !== "photo" || form.uploadToken === undefined) return;
    const token = form.uploadToken;
    form.uploadToken = undefined;
    // A claim left behind lapses by itself; failing the send over it would cost a reader the alert.
    await pictures
      .releasePictureUpload(seq, token)
      .catch((err: unknown) => logger.warn({ seq, err }, "could not release the picture upload"));
  }

  async function uploaded(seq: number, form: AlertForm, sizes: readonly PhotoSizeLike[]): Promise<void> {
    const fileId = largestFileId(sizes);
    try {
      if (fileId !== undefined) {
        await pictures.notePictureFileId(seq, fileId);
        remember(seq, { fileId, failed: false, uploading: false });
      }
    } catch (err) {
      // The alert went out; the next sender uploads again instead.
      logger.warn({ seq, err }, "could not note the picture's file id");
    } finally {
      await release(seq, form);
    }
  }

  return {
    /**
     * The form of the next send of an article: text, or a photo by file id or, for the one
     * sender that gets to upload, by URL. Called before a sending slot is taken: a sender waiting
     * here for the file id holds no slot, so the waiters do not all go at once afterwards.
     */
    async form(seq: number, article: Pick<Article, "imageUrl">): Promise<AlertForm> {
      const imageUrl = article.imageUrl;
      if (imageUrl === undefined) return TEXT_ALERT;
      let picture = await read(seq);
      for (;;) {
        if (picture.failed) return TEXT_ALERT;
        if (picture.fileId !== undefined) return { kind: "photo", photo: picture.fileId, imageUrl };
        if (!picture.uploading) {
          const uploadToken = await pictures.claimPictureUpload(seq, deps.uploadClaimMs);
          if (uploadToken !== undefined) {
            // The previous uploader may have finished between the read and the claim.
            const now = remember(seq, await pictures.picture(seq));
            if (now.fileId === undefined && !now.failed)
              return { kind: "photo", photo: imageUrl, imageUrl, uploadToken };
            await pictures.releasePictureUpload(seq, uploadToken);
            picture = now;
            continue;
          }
        }
        if (deps.stopping?.()) throw new SendingStopped();
        picture = await nextLook(seq);
      }
    },

    /**
     * Sends one chat's alert in `form` (silently: `disable_notification`); whether it went as a
     * photo decides how it is corrected later.
     */
    async send(
      seq: number,
      target: ChatSettings,
      article: Article,
      form: AlertForm,
      texts: AlertTexts,
      options: { silent?: boolean; markup?: { reply_markup?: InlineKeyboardMarkup } } = {},
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
          const message = await api.sendPhoto(target.id, form.photo, { caption, ...common });
          if (form.uploadToken !== undefined) await uploaded(seq, form, message.photo);
          return { messageId: message.message_id, photo: true };
        }
        await release(seq, form);
      }
      const message = await api.sendMessage(target.id, texts.text(), {
        ...common,
        link_preview_options: linkPreview(article, deps.linkPreviews),
      });
      return { messageId: message.message_id, photo: false };
    },

    /**
     * After a failed send: "text" when Telegram refused the picture (noted once for every worker,
     * and logged once), "chat" when only this chat takes no pictures; the send then goes again
     * as text. Undefined otherwise: the delivery rules decide. An upload claim is given up either
     * way, so another sender can upload while this one waits to retry.
     */
    async afterFailure(seq: number, form: AlertForm, error: unknown): Promise<"text" | "chat" | undefined> {
      if (form.kind !== "photo") return undefined;
      const failure = describeFailure(error);
      const refusal = failure && pictureRefusal(failure);
      if (refusal === "picture") {
        remember(seq, { failed: true, uploading: false });
        if (await pictures.markPictureFailed(seq, deps.now().toISO() ?? "")) {
          logger.warn(
            { seq, imageUrl: form.imageUrl, description: failure?.kind === "api" ? failure.description : "" },
            "Telegram refused the article's picture: its alerts go out as text",
          );
        }
      }
      await release(seq, form);
      return refusal === "picture" ? "text" : refusal;
    },

    /** Gives up an upload claim the send never used (cancelled, stopped, failed before sending). */
    release,
  };
}

export type AlertSender = ReturnType<typeof alertSender>;
