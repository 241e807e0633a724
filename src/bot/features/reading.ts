import { Composer, GrammyError } from "grammy";
import type { Article } from "../../domain/article.ts";
import { CAPTION_LIMIT } from "../../domain/label.ts";
import { mirrorLinks, mirrorUrl } from "../../domain/mirrors.ts";
import { largestFileId } from "../../domain/photo-sizes.ts";
import { READ_CALLBACK, READ_PAYLOAD } from "../../domain/read-here.ts";
import { readingCaption, renderReading } from "../../domain/reading.ts";
import type { Logger } from "../../logger.ts";
import type { RateLimiter } from "../../store/rate-limiter.ts";
import type { BotContext } from "../context.ts";
import { readerLanguage } from "../helpers/chat-access.ts";

/** Renderings kept in the bot: a busy article is read by many, in few languages and zones. */
const RENDERED_MAX = 32;
/** A reading answers a tap: it goes ahead of the alerts of every process (see RateLimiter). */
const READING = { interactive: true } as const;

export interface ReadingDeps {
  /** The one sending schedule of every process: the parts keep to the chat's gap and the rate. */
  limiter: RateLimiter;
  /** A logger without the chat: what a reader read is never logged against them. */
  logger: Logger;
}

type Outcome = "sent" | "busy" | "gone" | "withdrawn" | "expired";

/** The readings this process is sending, and the renderings it keeps for the next reader. */
class Readings {
  /** Chats whose text is going out right now, so a second tap does not start it again. */
  private readonly inFlight = new Set<string>();
  private readonly rendered = new Map<string, string[]>();

  constructor(private readonly deps: ReadingDeps) {}

  busy(chatId: number | undefined, seq: number): boolean {
    return this.inFlight.has(`${chatId}|${seq}`);
  }

  private render(key: string, make: () => string[]): string[] {
    const known = this.rendered.get(key);
    if (known) return known;
    const parts = make();
    if (this.rendered.size >= RENDERED_MAX) this.rendered.delete(this.rendered.keys().next().value as string);
    this.rendered.set(key, parts);
    return parts;
  }

  async read(ctx: BotContext, seq: number): Promise<Outcome> {
    const chatId = ctx.chat?.id;
    if (chatId === undefined) return "gone";
    const { articles, texts, mirrors } = ctx.stores;
    if (this.busy(chatId, seq)) return "busy";
    const [stored, stats] = await Promise.all([articles.get(seq), articles.stats(seq)]);
    if (!stored) return "gone";
    if (stats.retractedAt) return "withdrawn";
    const links = await mirrors.current();
    const article = { ...stored, url: mirrorUrl(stored.url, links) };
    const lang = readerLanguage(ctx);
    const reader = { lang, timeZone: ctx.chatSettings?.timeZone ?? ctx.config.defaultTimeZone };
    const key = `${seq}|${stats.revision}|${article.url}|${[...links].join(",")}|${lang}|${reader.timeZone}`;
    const cached = this.rendered.get(key);
    const text = cached ? "" : await texts.get(seq);
    if (!cached && text === undefined) {
      await ctx.reply(ctx.t("rd-read-expired", { link: article.url }), {
        link_preview_options: { is_disabled: true },
      });
      return "expired";
    }
    const flight = `${chatId}|${seq}`;
    if (this.inFlight.has(flight)) return "busy";
    const parts = this.render(key, () =>
      renderReading(article, mirrorLinks(text ?? "", links), reader, ctx.config.label, {
        onSite: ctx.t("rd-read-on-site"),
      }),
    );
    // The parts go out at the chat's pace (a second apart) after the update is handled: the
    // chat's next update (a second tap) is not held up behind them, and finds them going.
    this.inFlight.add(flight);
    void this.sendParts(ctx, seq, article, chatId, parts)
      // The message only: a GrammyError carries its request, whose chat_id would say who read what.
      .catch((err: unknown) =>
        this.deps.logger.warn(
          { seq, error: err instanceof Error ? err.message : String(err) },
          "a reading stopped before its last part",
        ),
      )
      .finally(() => this.inFlight.delete(flight));
    return "sent";
  }

  private async sendParts(
    ctx: BotContext,
    seq: number,
    article: Article,
    chatId: number,
    parts: readonly string[],
  ): Promise<void> {
    await this.sendPicture(ctx, seq, article, chatId);
    for (const [i, part] of parts.entries()) {
      await this.deps.limiter.acquire(chatId, false, undefined, READING);
      await ctx.api.sendMessage(chatId, part, {
        parse_mode: "HTML",
        link_preview_options: { is_disabled: true },
      });
      if (i === 0) await ctx.stores.texts.countRead(seq);
    }
    this.deps.logger.info({ seq, parts: parts.length }, "article read here");
  }

  private async sendPicture(ctx: BotContext, seq: number, article: Article, chatId: number): Promise<void> {
    if (article.imageUrl === undefined) return;
    const caption = readingCaption(article, ctx.config.label, CAPTION_LIMIT);
    const picture = await ctx.stores.pictures.picture(seq);
    if (caption === undefined || picture.failed) return;
    await this.deps.limiter.acquire(chatId, false, undefined, READING);
    try {
      const sent = await ctx.api.sendPhoto(chatId, picture.fileId ?? article.imageUrl, {
        caption,
        parse_mode: "HTML",
      });
      const largest = largestFileId(sent.photo);
      if (picture.fileId === undefined && largest) await ctx.stores.pictures.notePictureFileId(seq, largest);
    } catch (error) {
      // The text matters more than its picture: it goes without it.
      if (!(error instanceof GrammyError)) throw error;
      this.deps.logger.warn(
        { seq, description: error.description },
        "Telegram refused the picture of a reading",
      );
    }
  }
}

/** Answers what `read` could not send; "sent" and "busy" need no message. */
async function answer(ctx: BotContext, outcome: Outcome): Promise<void> {
  if (outcome === "gone") await ctx.reply(ctx.t("rd-read-gone"));
  if (outcome === "withdrawn") await ctx.reply(ctx.t("rd-read-withdrawn"));
}

/**
 * "Read here": the article's full text as messages in the reader's private chat, from the
 * alert's button (a callback) or a `read-<id>` link (`/start read-<id>`), for anyone, subscribed
 * or not. Only a count per article is kept; the chat is in no key and no log line.
 */
export function readingFeature(deps: ReadingDeps): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  const readings = new Readings(deps);

  feature.callbackQuery(READ_CALLBACK, async (ctx) => {
    const seq = Number(ctx.match[1]);
    // Answered first: Telegram shows a spinner on the button until then.
    const busy = readings.busy(ctx.chat?.id, seq);
    await ctx.answerCallbackQuery(busy ? { text: ctx.t("rd-read-busy") } : {});
    if (!busy) await answer(ctx, await readings.read(ctx, seq));
  });

  feature.command("start", async (ctx, next) => {
    const match = READ_PAYLOAD.exec(ctx.match.trim());
    if (!match) return next();
    if (ctx.chat.type !== "private") {
      await ctx.reply(ctx.t("rd-read-private"));
      return;
    }
    const outcome = await readings.read(ctx, Number(match[1]));
    if (outcome === "busy") await ctx.reply(ctx.t("rd-read-busy"));
    else await answer(ctx, outcome);
  });

  return feature;
}
