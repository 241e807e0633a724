import { setTimeout as delay } from "node:timers/promises";
import type { DateTime } from "luxon";
import type { Article } from "../domain/article.ts";
import { largestFileId, type PhotoSizeLike } from "../domain/photo-sizes.ts";
import { pictureRefusal } from "../domain/picture-refusal.ts";
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

export interface AlertPictureDeps {
  pictures: Pick<
    PictureStore,
    "picture" | "notePictureFileId" | "markPictureFailed" | "claimPictureUpload" | "releasePictureUpload"
  >;
  /** How long an upload may take before another sender takes it over (the uploader crashed). */
  uploadClaimMs: number;
  logger: Logger;
  now: () => DateTime;
  stopping?: () => boolean;
}

/**
 * The pictures of one process's alerts. The picture is fetched by Telegram once per article: one
 * sender (across all workers) uploads it by URL while the others wait, and every later send
 * reuses the file id of that answer. When Telegram refuses the picture, the article goes out as
 * text to every chat.
 */
export class AlertPictures {
  /** Pictures whose fate is settled (a file id, or refused): they never change again. */
  private readonly known = new Map<number, ArticlePicture>();
  private readonly looks = new Map<number, Promise<ArticlePicture>>();

  constructor(private readonly deps: AlertPictureDeps) {}

  /**
   * The form of the next send of an article: text, or a photo by file id or, for the one
   * sender that gets to upload, by URL. Called before a sending slot is taken: a sender waiting
   * here for the file id holds no slot, so the waiters do not all go at once afterwards.
   */
  async form(seq: number, article: Pick<Article, "imageUrl">): Promise<AlertForm> {
    const { pictures } = this.deps;
    const imageUrl = article.imageUrl;
    if (imageUrl === undefined) return TEXT_ALERT;
    let picture = await this.read(seq);
    for (;;) {
      if (picture.failed) return TEXT_ALERT;
      if (picture.fileId !== undefined) return { kind: "photo", photo: picture.fileId, imageUrl };
      if (!picture.uploading) {
        const uploadToken = await pictures.claimPictureUpload(seq, this.deps.uploadClaimMs);
        if (uploadToken !== undefined) {
          // The previous uploader may have finished between the read and the claim.
          const now = this.remember(seq, await pictures.picture(seq));
          if (now.fileId === undefined && !now.failed)
            return { kind: "photo", photo: imageUrl, imageUrl, uploadToken };
          await pictures.releasePictureUpload(seq, uploadToken);
          picture = now;
          continue;
        }
      }
      if (this.deps.stopping?.()) throw new SendingStopped();
      picture = await this.nextLook(seq);
    }
  }

  /** Gives up an upload claim the send never used (cancelled, stopped, failed before sending). */
  async release(seq: number, form: AlertForm): Promise<void> {
    if (form.kind !== "photo" || form.uploadToken === undefined) return;
    const token = form.uploadToken;
    form.uploadToken = undefined;
    // A claim left behind lapses by itself; failing the send over it would cost a reader the alert.
    await this.deps.pictures
      .releasePictureUpload(seq, token)
      .catch((err: unknown) => this.deps.logger.warn({ seq, err }, "could not release the picture upload"));
  }

  /** After the upload's send: its file id is noted for every later send, and the claim given up. */
  async uploaded(seq: number, form: AlertForm, sizes: readonly PhotoSizeLike[]): Promise<void> {
    const fileId = largestFileId(sizes);
    try {
      if (fileId !== undefined) {
        await this.deps.pictures.notePictureFileId(seq, fileId);
        this.remember(seq, { fileId, failed: false, uploading: false });
      }
    } catch (err) {
      // The alert went out; the next sender uploads again instead.
      this.deps.logger.warn({ seq, err }, "could not note the picture's file id");
    } finally {
      await this.release(seq, form);
    }
  }

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
      this.remember(seq, { failed: true, uploading: false });
      if (await this.deps.pictures.markPictureFailed(seq, this.deps.now().toISO() ?? "")) {
        this.deps.logger.warn(
          { seq, imageUrl: form.imageUrl, description: failure?.kind === "api" ? failure.description : "" },
          "Telegram refused the article's picture: its alerts go out as text",
        );
      }
    }
    await this.release(seq, form);
    return refusal === "picture" ? "text" : refusal;
  }

  private remember(seq: number, picture: ArticlePicture): ArticlePicture {
    if (picture.fileId !== undefined || picture.failed) {
      if (this.known.size >= KNOWN_PICTURES) this.known.delete(this.known.keys().next().value as number);
      this.known.set(seq, picture);
    }
    return picture;
  }

  private async read(seq: number): Promise<ArticlePicture> {
    return this.known.get(seq) ?? this.remember(seq, await this.deps.pictures.picture(seq));
  }

  /** Every sender of this process that waits for the same picture shares one Redis read per look. */
  private nextLook(seq: number): Promise<ArticlePicture> {
    let look = this.looks.get(seq);
    if (!look) {
      look = delay(PICTURE_LOOK_MS)
        .then(() => this.read(seq))
        .finally(() => this.looks.delete(seq));
      this.looks.set(seq, look);
    }
    return look;
  }
}
