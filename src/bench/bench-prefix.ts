/**
 * A throw-away prefix as long as the default one ("newsbell"): every key name holds the prefix,
 * so a longer one would add its extra length to every subscription key and overstate the bytes
 * per subscriber (by about 7 with a 27-character prefix).
 */
export function benchPrefix(start: string): string {
  const unique = (Date.now() % 36 ** 6).toString(36).padStart(6, "0");
  return `${start}${unique}`.slice(0, "newsbell".length).padEnd("newsbell".length, "0");
}
