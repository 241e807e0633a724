import type { Redis } from "ioredis";
import { Claims } from "./claims.ts";
import type { RedisKeys } from "./keys.ts";

/** What delivery knows of an article's picture, shared by every worker. */
export interface ArticlePicture {
  /** Telegram's id of the uploaded picture: every send after the first reuses it. */
  fileId?: string;
  /** Telegram refused the picture: the article goes out as text from now on. */
  failed: boolean;
  /** A sender is uploading the picture by URL right now; the others wait for its file id. */
  uploading: boolean;
}

/**
 * An article's picture as Telegram knows it: the file id of its first upload, or that Telegram
 * refused it (both in the article's figures), and the one sender allowed to upload it by URL.
 */
export class PictureStore {
  private readonly claims;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    this.claims = new Claims(redis);
  }

  async picture(seq: number): Promise<ArticlePicture> {
    const [[, fields] = [], [, claimed] = []] =
      (await this.redis
        .pipeline()
        .hmget(this.keys.articleStats(seq), "photoFileId", "photoFailed")
        .exists(this.keys.articlePictureUpload(seq))
        .exec()) ?? [];
    const [fileId, failedAt] = (fields ?? []) as (string | null)[];
    return { ...(fileId ? { fileId } : {}), failed: failedAt != null, uploading: claimed === 1 };
  }

  /** Keeps the first upload's file id; a second upload that raced it changes nothing. */
  async notePictureFileId(seq: number, fileId: string): Promise<void> {
    await this.redis.hsetnx(this.keys.articleStats(seq), "photoFileId", fileId);
  }

  /** True only for the first worker to see Telegram refuse the picture, so it is logged once. */
  async markPictureFailed(seq: number, now: string): Promise<boolean> {
    return (await this.redis.hsetnx(this.keys.articleStats(seq), "photoFailed", now)) === 1;
  }

  /**
   * Claims the one upload of an article's picture by URL; the token to release it with, or
   * undefined while another sender holds it. The claim lapses after `ttlMs`, so a crashed
   * uploader holds up the others no longer than that.
   */
  async claimPictureUpload(seq: number, ttlMs: number): Promise<string | undefined> {
    return this.claims.claim(this.keys.articlePictureUpload(seq), ttlMs);
  }

  async releasePictureUpload(seq: number, token: string): Promise<void> {
    await this.claims.release(this.keys.articlePictureUpload(seq), token);
  }
}
