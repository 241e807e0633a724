import { badRequest } from "./api-error.ts";
import { parseHtml } from "./html-entities.ts";

export interface Visible {
  text: string;
  entities?: unknown[];
}

/** Telegram answers with visible text plus entities, never with the HTML the bot sent. */
export function visible(raw: string, parseMode: unknown, entities: unknown): Visible {
  if (parseMode === "HTML") {
    const parsed = parseHtml(raw);
    return { text: parsed.text, ...(parsed.entities.length ? { entities: parsed.entities } : {}) };
  }
  // Telegram takes both Markdown modes; the fake shows their text as sent, marks and all.
  if (parseMode !== undefined && parseMode !== "" && parseMode !== "MarkdownV2" && parseMode !== "Markdown") {
    throw badRequest("unsupported parse_mode");
  }
  return { text: raw, ...(Array.isArray(entities) && entities.length ? { entities } : {}) };
}

export function checkText(p: Record<string, unknown>): Visible {
  const raw = p.text === undefined || p.text === null ? "" : String(p.text);
  const v = visible(raw, p.parse_mode, p.entities);
  if (v.text.trim() === "") throw badRequest("message text is empty");
  if (v.text.length > 4096) throw badRequest("message is too long");
  return v;
}

export function checkCaption(caption: unknown, parseMode: unknown, entities: unknown): Visible {
  const v = visible(caption === undefined || caption === null ? "" : String(caption), parseMode, entities);
  if (v.text.length > 1024) throw badRequest("message caption is too long");
  return v;
}

/** Key-order-independent JSON, so "not modified" compares content rather than property order. */
export function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/** An empty inline keyboard is how bots remove one; Telegram then reports no reply_markup at all. */
export function withoutEmptyKeyboard(markup: unknown): unknown {
  const rows = (markup as { inline_keyboard?: unknown[] } | undefined)?.inline_keyboard;
  return Array.isArray(rows) && rows.flat().length === 0 ? undefined : markup;
}
