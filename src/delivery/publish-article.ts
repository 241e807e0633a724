import type { DateTime } from "luxon";
import { type Article, type FieldError, validateArticle } from "../domain/article.ts";
import { cleanArticleBody } from "../domain/article-text.ts";
import type { ArticleStore } from "../store/article-store.ts";
import type { ArticleTexts } from "../store/article-texts.ts";
import type { CatalogStore } from "../store/catalog-store.ts";
import { fanoutJobId, PRIORITY, type Queues } from "./queues.ts";

export type PublishResult =
  | { status: "queued"; id: string; seq: number }
  | { status: "duplicate"; id: string; seq: number }
  | { status: "invalid"; errors: FieldError[] };

export interface PublishDeps {
  catalog: CatalogStore;
  articles: ArticleStore;
  /** Where an article's cleaned full text is kept for "Read here". */
  texts: Pick<ArticleTexts, "save">;
  queues: Pick<Queues, "fanout">;
}

/** The article as stored (its text apart), and its cleaned text, if it has one to read. */
function splitText(article: Article): { stored: Article; text: string | undefined } {
  const { body, ...rest } = article;
  const text =
    body === undefined
      ? undefined
      : cleanArticleBody(body, { baseUrl: article.url, leadImageUrl: article.imageUrl });
  return { stored: text ? { ...rest, hasText: true } : rest, text: text || undefined };
}

/**
 * The one way in for every source (API, feeds, CLI, editors): validate, record, start the
 * fan-out once per article id. Only the publish that records a new id answers "queued"; every
 * later one answers "duplicate", however long ago the id came (ids are kept 90 days). An article
 * recorded by a publish that stopped before its fan-out was queued still gets it queued by the
 * next publish of the same id: the fan-out's job id makes a second queueing a no-op.
 */
export async function publishArticle(
  input: unknown,
  deps: PublishDeps,
  now: DateTime,
): Promise<PublishResult> {
  const check = validateArticle(input, await deps.catalog.all(), now);
  if (!check.ok) return { status: "invalid", errors: check.errors };
  const { stored: article, text } = splitText(check.article);
  const recorded = await deps.articles.record(article, now.toISO() ?? "");
  if (!recorded.queued) {
    // Kept before the fan-out starts, so the first alert's "Read here" finds it; a publish that
    // stopped before the fan-out was queued saves it again with the queueing.
    if (text !== undefined) await deps.texts.save(recorded.seq, text);
    await deps.queues.fanout.add(
      "fanout",
      { seq: recorded.seq },
      { jobId: fanoutJobId(recorded.seq), priority: article.breaking ? PRIORITY.breaking : PRIORITY.regular },
    );
    await deps.articles.markQueued(recorded.seq);
  }
  return { status: recorded.isNew ? "queued" : "duplicate", id: article.id, seq: recorded.seq };
}
