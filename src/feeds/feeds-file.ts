import { readFile } from "node:fs/promises";
import { ConfigError } from "../config.ts";
import { type FeedConfig, FeedConfigError, parseFeedsConfig } from "../domain/feed-config.ts";

/** Reads and validates FEEDS_FILE; any problem stops the start with one line naming the variable. */
export async function loadFeedsFile(path: string): Promise<FeedConfig[]> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new ConfigError(`FEEDS_FILE: cannot read ${path} (${code})`);
  }
  try {
    return parseFeedsConfig(text);
  } catch (err) {
    if (err instanceof FeedConfigError) throw new ConfigError(`FEEDS_FILE: ${err.message}`);
    throw err;
  }
}
