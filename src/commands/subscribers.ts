import { createReadStream } from "node:fs";
import { MultiBar, Presets } from "cli-progress";
import type { Config } from "../config.ts";
import { redisKeys } from "../store/keys.ts";
import { exportSubscribers } from "../store/subscriber-export.ts";
import { importSubscribers } from "../store/subscriber-import.ts";
import { connectProducer } from "./connect.ts";
import { fileSize } from "./input-file.ts";

/**
 * A progress bar on stderr that lets bad-line reports through: on a terminal they go above the
 * bar; elsewhere (a log file, a test) there is no bar and they are written as they come.
 */
function progressReporter(totalBytes: number) {
  const stderr = process.stderr;
  if (!stderr.isTTY) {
    return { log: (line: string) => stderr.write(line), advance: (_bytes: number) => {}, stop: () => {} };
  }
  const bars = new MultiBar(
    { format: "import [{bar}] {percentage}% | {eta_formatted} left", stream: stderr, hideCursor: true },
    Presets.shades_classic,
  );
  const bar = bars.create(totalBytes, 0);
  let running = true;
  return {
    log: (line: string) => bars.log(line),
    advance: (bytes: number) => bar.increment(bytes),
    stop: () => {
      if (!running) return;
      running = false;
      bars.update(); // stop() alone would drop reports logged since the last redraw
      bars.stop();
    },
  };
}

/** `newsbell import <file>`: exit code 0 when every line was good, 1 when some were reported. */
export async function importCommand(
  config: Config,
  path: string,
  options: { includeStopped?: boolean } = {},
): Promise<number> {
  const size = await fileSize(path);
  const redis = await connectProducer(config.redis);
  const progress = progressReporter(size);
  try {
    const summary = await importSubscribers(redis, redisKeys(config.redisPrefix), createReadStream(path), {
      defaults: { lang: config.defaultLanguage, timeZone: config.defaultTimeZone },
      onBadLine: (line, reason) => progress.log(`line ${line}: ${reason}\n`),
      onBytes: (bytes) => progress.advance(bytes),
      includeStopped: options.includeStopped === true,
    });
    progress.stop();
    const skipped =
      summary.stoppedChats === 0
        ? ""
        : `; skipped ${summary.stoppedChats} chats that said /stop (--include-stopped imports them)`;
    process.stdout.write(
      `imported ${summary.chats} chats, ${summary.subscriptions} subscriptions; ${summary.badLines} bad lines${skipped}\n`,
    );
    return summary.badLines === 0 ? 0 : 1;
  } finally {
    progress.stop();
    await redis.quit();
  }
}

/** `newsbell export`: the CSV on stdout, a one-line count on stderr. */
export async function exportCommand(config: Config): Promise<number> {
  const redis = await connectProducer(config.redis);
  // Without a listener a closed pipe would crash the process; the next write reports it instead.
  process.stdout.on("error", () => {});
  try {
    const summary = await exportSubscribers(redis, redisKeys(config.redisPrefix), process.stdout);
    process.stderr.write(`exported ${summary.chats} chats, ${summary.subscriptions} subscriptions\n`);
    return 0;
  } finally {
    await redis.quit();
  }
}
