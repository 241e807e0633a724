import { parseArgs } from "node:util";
import { cleanArticleBody } from "../domain/article-text.ts";
import { DEFAULT_FOREIGN_AGENT_LABEL } from "../domain/label.ts";
import { renderReading } from "../domain/reading.ts";
import { ArticleTexts } from "../store/article-texts.ts";
import { runBench } from "./run-bench.ts";

export const READING_BENCH_USAGE =
  "usage: newsbell bench reading [--subscribers N] [--rate N] [--chars N] [--redis-url URL]";

const SENTENCES = [
  "Жители Грозного сообщили о задержаниях в нескольких районах города.",
  "Правозащитники потребовали от властей объяснений, но ответа пока нет.",
  "По словам родственников, задержанных доставили в отдел полиции без объяснения причин.",
  "«Кавказский узел» направил запрос в пресс-службу МВД республики.",
  "Ранее аналогичные случаи фиксировались в Дагестане и Ингушетии.",
];

/** An article body of about `chars` characters of HTML, as a CMS sends one: paragraphs, bold, links, a list. */
export function benchBody(chars: number): string {
  let html = "";
  for (let n = 0; html.length < chars; n++) {
    const text = Array.from({ length: 6 }, (_, i) => SENTENCES[(n + i) % SENTENCES.length]).join(" ");
    html +=
      n % 7 === 3
        ? `<h3>Подзаголовок ${n}</h3><ul><li>${SENTENCES[0]}</li><li>${SENTENCES[1]}</li></ul>`
        : `<p>${text.replace("задержаниях", "<b>задержаниях</b>")} <a href="https://www.kavkaz-uzel.eu/articles/${n}/">Подробнее</a>.</p>`;
  }
  return html;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
}

/**
 * "Read here" in figures: the bytes one stored text takes, the time to clean and render a long
 * article, and the fan-out's cost per alert with and without a text (the button adds bytes to
 * each alert, and should add no round trips).
 */
export async function runReadingBench(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      subscribers: { type: "string", default: "20000" },
      rate: { type: "string", default: "1000" },
      chars: { type: "string", default: "30000" },
      "redis-url": { type: "string", default: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" },
    },
  });
  const chars = Number(values.chars);
  if (!Number.isInteger(chars) || chars < 1 || chars > 200_000)
    throw new Error(`--chars must be 1 to 200000\n${READING_BENCH_USAGE}`);
  const body = benchBody(chars);
  const url = "https://www.kavkaz-uzel.eu/articles/bench/";
  const article = {
    headline: "Benchmark article",
    url,
    publishedAt: new Date().toISOString(),
    breaking: false,
  };
  const reader = { lang: "ru" as const, timeZone: "Europe/Moscow" };
  const cleanMs: number[] = [];
  const renderMs: number[] = [];
  let text = "";
  let parts: string[] = [];
  for (let i = 0; i < 21; i++) {
    let started = performance.now();
    text = cleanArticleBody(body, { baseUrl: url });
    cleanMs.push(performance.now() - started);
    started = performance.now();
    parts = renderReading(article, text, reader, DEFAULT_FOREIGN_AGENT_LABEL, { onSite: "Читать на сайте" });
    renderMs.push(performance.now() - started);
  }
  const stored = await ArticleTexts.encode(text);
  const common = [
    "--subscribers",
    values.subscribers,
    "--rate",
    values.rate,
    "--redis-url",
    values["redis-url"],
  ];
  process.stderr.write("fan-out without a text:\n");
  const without = await runBench(common);
  process.stderr.write("fan-out with a text:\n");
  const withText = await runBench(common, { body });
  const pick = (r: Record<string, unknown>) => ({
    cpuMsPerAlert: r.cpuMsPerAlert,
    redisRoundTripsPerAlert: r.redisRoundTripsPerAlert,
    redisCommandsPerAlert: r.redisCommandsPerAlert,
    achievedOfRate: r.achievedOfRate,
    received429: r.received429,
  });
  const report = {
    bodyCharsReceived: body.length,
    cleanedTextChars: text.length,
    cleanedTextUtf8Bytes: Buffer.byteLength(text),
    storedTextBytes: stored.length,
    cleanMsMedian: Number(median(cleanMs).toFixed(2)),
    renderMsMedian: Number(median(renderMs).toFixed(2)),
    parts: parts.length,
    fanoutWithoutText: pick(without),
    fanoutWithText: pick(withText),
  };
  process.stdout.write(
    `\nRead here\n${Object.entries(report)
      .map(([k, v]) => `${k.padEnd(24)} ${typeof v === "object" ? JSON.stringify(v) : String(v)}`)
      .join(
        "\n",
      )}\n(Clean and render: medians of 21 runs in this process. Stored bytes: the text as ArticleTexts keeps it, Brotli.)\n`,
  );
  process.stdout.write(`${JSON.stringify(report)}\n`);
}
