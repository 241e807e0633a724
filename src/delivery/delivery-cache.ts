import { LRUCache } from "lru-cache";
import { renderAlert, renderAlertCaption } from "../domain/alert.ts";
import type { Article } from "../domain/article.ts";
import type { ChatSettings } from "../domain/chat.ts";
import type { Language } from "../domain/language.ts";
import type { ArticleControl, ArticleStore } from "../store/article-store.ts";

/** Articles a worker delivers at once, at most: their texts and controls are kept for each. */
const ARTICLE_CACHE_SIZE = 64;
/** How stale a worker's view of a cancel or a correction may be: one Redis read per article this often. */
const CONTROL_TTL_MS = 250;
/** Alerts rendered and kept: one per article, revision, language, time zone and form. */
const RENDERED_SIZE = 1024;

export interface DeliveryCacheDeps {
  articles: Pick<ArticleStore, "get" | "control">;
  label: string;
  readWord: (lang: Language) => string;
}

/**
 * What every send of one worker process shares: an article's control (cancelled? corrected?),
 * its text at a revision, and its alert as rendered for a language and time zone. Without these
 * each send would read Redis twice and render once; with them a batch does so once per article.
 */
export class DeliveryCache {
  private readonly controls = new LRUCache<number, Promise<ArticleControl>>({
    max: ARTICLE_CACHE_SIZE,
    ttl: CONTROL_TTL_MS,
  });
  private readonly texts = new LRUCache<number, { article: Article; revision: number }>({
    max: ARTICLE_CACHE_SIZE,
  });
  // lru-cache keeps no undefined: an alert too long for a caption is kept as { html: undefined }.
  private readonly rendered = new LRUCache<string, { html: string | undefined }>({ max: RENDERED_SIZE });

  constructor(private readonly deps: DeliveryCacheDeps) {}

  /** Whether the article was cancelled or corrected, shared by every send of this process. */
  control(seq: number): Promise<ArticleControl> {
    const cached = this.controls.get(seq);
    if (cached) return cached;
    const value = this.deps.articles.control(seq);
    this.controls.set(seq, value);
    // A failed read is not kept: the next send asks Redis again.
    value.catch(() => this.controls.peek(seq) === value && this.controls.delete(seq));
    return value;
  }

  /** The article at `revision` or later: a correction replaces the cached text. */
  async article(seq: number, revision: number): Promise<Article | undefined> {
    const cached = this.texts.get(seq);
    if (cached && cached.revision >= revision) return cached.article;
    const found = await this.deps.articles.get(seq);
    if (found) this.texts.set(seq, { article: found, revision });
    return found;
  }

  /**
   * The alert's HTML for `chat`, as text or as a caption (undefined: it does not fit one). Chats
   * of one language and time zone see the same alert; rendering once per pair saves most of the CPU.
   */
  render(
    seq: number,
    revision: number,
    item: Article,
    chat: ChatSettings,
    as: "text" | "caption",
  ): string | undefined {
    const key = `${seq}|${revision}|${item.url}|${chat.lang}|${chat.timeZone}|${as}`;
    const cached = this.rendered.get(key);
    if (cached) return cached.html;
    const readWord = this.deps.readWord(chat.lang);
    const html =
      as === "text"
        ? renderAlert(item, chat, this.deps.label, readWord)
        : renderAlertCaption(item, chat, this.deps.label, readWord);
    this.rendered.set(key, { html });
    return html;
  }
}
