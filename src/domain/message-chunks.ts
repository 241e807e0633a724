import { htmlToPlain } from "./html.ts";

/**
 * Packs lines of Telegram HTML into as few messages as possible, each at most `limit` visible
 * characters (UTF-16 code units, as Telegram counts them after parsing the markup). Lines stay
 * whole; a line longer than a whole message (never expected: lines are short) goes alone and the
 * label transformer shortens it. Each line must be well-formed HTML on its own.
 */
export function packLines(lines: readonly string[], limit: number): string[] {
  const chunks: string[] = [];
  let current: string[] = [];
  let used = 0;
  for (const line of lines) {
    const length = htmlToPlain(line).length;
    const added = current.length === 0 ? length : used + 1 + length;
    if (current.length > 0 && added > limit) {
      chunks.push(current.join("\n"));
      current = [line];
      used = length;
    } else {
      current.push(line);
      used = added;
    }
  }
  if (current.length > 0) chunks.push(current.join("\n"));
  return chunks;
}

/** What is left of Telegram's 4096 for the body once the label and its line break are in front. */
export function bodyBudget(textLimit: number, label: string): number {
  return textLimit - label.length - 2;
}
