import { DateTime } from "luxon";
import type { Config } from "../config.ts";
import { publishArticle } from "../delivery/publish-article.ts";
import { createQueues } from "../delivery/queues.ts";
import { ArticleStore } from "../store/article-store.ts";
import { ArticleTexts } from "../store/article-texts.ts";
import { CatalogStore } from "../store/catalog-store.ts";
import { redisKeys } from "../store/keys.ts";
import { connectProducer } from "./connect.ts";
import { readJsonFile } from "./input-file.ts";

/** `newsbell publish <article.json>`: the CLI's way into `publishArticle`; returns the exit code. */
export async function publishCommand(config: Config, path: string): Promise<number> {
  const input = await readJsonFile(path);
  const keys = redisKeys(config.redisPrefix);
  const redis = await connectProducer(config.redis);
  const queues = createQueues(redis, keys.bullPrefix);
  try {
    const result = await publishArticle(
      input,
      {
        catalog: new CatalogStore(redis, keys),
        articles: new ArticleStore(redis, keys),
        texts: new ArticleTexts(redis, keys, config.articleTextDays),
        queues,
      },
      DateTime.now(),
    );
    switch (result.status) {
      case "queued":
        process.stdout.write(`queued ${result.id} (#${result.seq})\n`);
        return 0;
      case "duplicate":
        process.stdout.write(`duplicate ${result.id}\n`);
        return 0;
      case "invalid":
        for (const e of result.errors) process.stderr.write(`${e.field}: ${e.message}\n`);
        return 1;
    }
  } finally {
    await queues.close();
    await redis.quit();
  }
}
