import { cleanArticleBody } from "../domain/article-text.ts";
import { DEFAULT_FOREIGN_AGENT_LABEL } from "../domain/label.ts";
import { renderReading } from "../domain/reading.ts";
import { ArticleTexts } from "../store/article-texts.ts";
import { benchOptions, deliveryBenchArgs } from "./bench-options.ts";
import { benchTable } from "./bench-table.ts";
import { median } from "./median.ts";
import { runBench } from "./run-bench.ts";
import { seededRandom } from "./seeded-random.ts";

export const READING_BENCH_USAGE =
  "usage: newsbell bench reading [--subscribers N] [--rate N] [--chars N] [--redis-url URL]";

const SYLLABLES = (
  "ка ро ва ни те ло му за по ле ст ра ко на де ми го ре та вы пра кру бо жи се да ны ти ль ку " +
  "ве зи ша ме ло ря ду хо ци ба ге тру сло во же ри ла ню че ма по вед ско гра мен тов ных ского"
).split(" ");

/**
 * An article body of about `chars` characters of HTML, as a CMS sends one: paragraphs of
 * sentences, bold, links, a heading and a list. The words are random syllables, so the text does
 * not repeat and compresses about as well as prose, not as well as one sentence over and over.
 */
export function benchBody(chars: number): string {
  const rnd = seededRandom(7);
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)] as T;
  const word = () => Array.from({ length: 1 + Math.floor(rnd() * 3) }, () => pick(SYLLABLES)).join("");
  const sentence = () => {
    const words = Array.from({ length: 6 + Math.floor(rnd() * 10) }, word);
    const first = words[0] ?? "";
    words[0] = first.charAt(0).toUpperCase() + first.slice(1);
    return `${words.join(" ")}.`;
  };
  let html = "";
  for (let n = 0; html.length < chars; n++) {
    const text = Array.from({ length: 3 + Math.floor(rnd() * 4) }, sentence).join(" ");
    html +=
      n % 7 === 3
        ? `<h3>${sentence()}</h3><ul><li>${sentence()}</li><li>${sentence()}</li></ul>`
        : `<p><b>${word()}</b> ${text} <a href="https://www.kavkaz-uzel.eu/articles/${n}/">${word()}</a>.</p>`;
  }
  return html;
}

/**
 * "Read here" in figures: the bytes one stored text takes, the time to clean and render a long
 * article, and the fan-out's cost per alert with and without a text (the button adds bytes to
 * each alert, and should add no round trips).
 */
export async function runReadingBench(args: string[]): Promise<void> {
  const values = benchOptions(args, { subscribers: "20000", rate: "1000", chars: "30000" });
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
  const common = deliveryBenchArgs(values);
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
    `\nRead here\n${benchTable(report, 24)}\n(Clean and render: medians of 21 runs in this process. Stored bytes: the text as ArticleTexts keeps it, Brotli.)\n`,
  );
  process.stdout.write(`${JSON.stringify(report)}\n`);
}
