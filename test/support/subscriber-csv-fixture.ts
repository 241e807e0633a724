import { once } from "node:events";
import { createWriteStream } from "node:fs";
import { seededRandom } from "../../src/bench/seeded-random.ts";
import { SUBSCRIBER_CSV_HEADER } from "../../src/domain/subscriber-csv.ts";

const ZONES = ["Europe/Moscow", "Europe/Berlin", "Asia/Tbilisi", "UTC"];
const EDITIONS = ["ru", "en", "both"];

/** Chat `i` of a synthetic file: every fifth a supergroup (-100…), the rest users. */
export function syntheticChatId(i: number): number {
  return i % 5 === 0 ? -1_000_000_000_000 - i : 100_000_000 + i;
}

/**
 * One line per chat with 1–3 of `slugs`; about half give every setting, the rest leave them
 * empty (so both the given settings and the defaults are exercised).
 */
export function syntheticSubscriberLine(i: number, slugs: readonly string[], rnd: () => number): string {
  const count = 1 + Math.floor(rnd() * 3);
  const picked = new Set<string>();
  while (picked.size < Math.min(count, slugs.length))
    picked.add(slugs[Math.floor(rnd() * slugs.length)] ?? "");
  const base = `${syntheticChatId(i)},${[...picked].join(";")}`;
  // Empty optional columns rather than fewer columns: files from an export always have six.
  if (rnd() < 0.5) return `${base},,,,`;
  const lang = rnd() < 0.5 ? "ru" : "en";
  const editions = EDITIONS[Math.floor(rnd() * EDITIONS.length)];
  const zone = ZONES[Math.floor(rnd() * ZONES.length)];
  return `${base},${lang},${editions},${zone},${rnd() < 0.9 ? 1 : 0}`;
}

/** Writes `lines` chats (plus a header) to `path` without holding the file in memory. */
export async function writeSyntheticSubscriberCsv(
  path: string,
  lines: number,
  slugs: readonly string[],
  seed = 42,
): Promise<void> {
  const rnd = seededRandom(seed);
  const out = createWriteStream(path);
  let chunk = `${SUBSCRIBER_CSV_HEADER}\n`;
  for (let i = 1; i <= lines; i++) {
    chunk += `${syntheticSubscriberLine(i, slugs, rnd)}\n`;
    if (chunk.length > 64 * 1024) {
      if (!out.write(chunk)) await once(out, "drain");
      chunk = "";
    }
  }
  out.end(chunk);
  await once(out, "finish");
}
