/**
 * The legally required foreign-agent label: it must stand at the beginning of every message
 * (or directly under the headline), in bold, never shortened, within Telegram's length limits.
 * A grammY API transformer feeds every outgoing text and caption through {@link applyLabel}.
 */
import {
  boldEntity,
  type MessageEntity,
  type Span,
  shortenEntityBody,
  type Visible,
  visibleWithEntities,
} from "./entities.ts";
import { fitHtmlMessage } from "./fit-text.ts";
import { escapeHtml, parseHtml } from "./html.ts";

export type { MessageEntity } from "./entities.ts";

export type ParseMode = "HTML" | undefined;

export interface TextPayload {
  text: string;
  parseMode: ParseMode;
  entities?: MessageEntity[];
}

/** Where the label stands in the visible text; the body starts one "\n" after `end`. */
interface Placement {
  start: number;
  end: number;
}

/**
 * The parse mode Telegram will apply. It reads `parse_mode` without regard to (ASCII) case and
 * takes "" and "none" as no mode; any other value it refuses, and so does this (RangeError):
 * the label's place can only be checked in a mode this file reads. Markdown and MarkdownV2 are
 * modes Telegram knows but newsbell does not send, so they are refused too, with their own reason.
 */
export function normaliseParseMode(raw: unknown): ParseMode {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== "string") throw new RangeError(`parse_mode must be a string, not ${typeof raw}`);
  switch (raw.replace(/[A-Z]/g, (c) => c.toLowerCase())) {
    case "":
    case "none":
      return undefined;
    case "html":
      return "HTML";
    case "markdownv2":
    case "markdown":
      throw new RangeError(`newsbell sends HTML or plain text only, never parse_mode "${raw}"`);
    default:
      throw new RangeError(`unknown parse_mode "${raw}"`);
  }
}

/**
 * The bot's description (plain text, shown to a reader before their first message) carries the
 * label when it opens with it verbatim, alone on its first line.
 */
export function descriptionCarriesLabel(description: string, label: string): boolean {
  return label.trim() !== "" && (description === label || description.startsWith(`${label}\n`));
}

/** The text Telegram will show for this payload (markup parsed away). */
export function visibleTextOf(p: TextPayload): string {
  return parseVisible(p).text;
}

/**
 * True when the label already stands in place: as the whole first visible line, or as the
 * whole second one under a headline, and in bold covering exactly the label.
 */
export function hasLabelInPlace(p: TextPayload, label: string): boolean {
  return findPlacement(parseVisible(p), label) !== undefined;
}

/**
 * Returns the payload with the label applied, within `limit` visible UTF-16 code units.
 * Only the body is ever shortened; throws RangeError for a blank label and when the label
 * (with its headline, if it stands under one) cannot fit at all.
 */
export function applyLabel(p: TextPayload, label: string, limit: number): TextPayload {
  assertLabelFits(label, limit);
  const visible = parseVisible(p);
  const placement = findPlacement(visible, label);
  if (placement !== undefined) return fitInPlace(p, visible, placement, limit);
  if (p.text.trim() === "") return labelOnly(p, label);
  return prependLabel(p, visible, label, limit);
}

function assertLabelFits(label: string, limit: number): void {
  if (label.trim() === "") throw new RangeError("The foreign-agent label must not be empty");
  if (label.length > limit) {
    throw new RangeError(
      `The foreign-agent label is ${label.length} characters, over the message limit of ${limit}; it must never be shortened`,
    );
  }
}

function hasEntities(p: TextPayload): p is TextPayload & { entities: MessageEntity[] } {
  return p.parseMode === undefined && p.entities !== undefined && p.entities.length > 0;
}

function parseVisible(p: TextPayload): Visible {
  if (p.parseMode !== "HTML") return visibleWithEntities(p.text, p.entities ?? []);
  const { text, elements } = parseHtml(p.text);
  return {
    text,
    bold: elements.filter((e) => isBoldTag(e.tag)),
    other: elements.filter((e) => HIDING_TAGS.has(e.tag)),
  };
}

// HTML that hides, strikes, collapses or links what it covers; italics and underline only style it.
const HIDING_TAGS = new Set([
  "tg-spoiler",
  "span",
  "s",
  "strike",
  "del",
  "a",
  "code",
  "pre",
  "blockquote",
  "tg-emoji",
]);

function isBoldTag(tag: string): boolean {
  return tag === "b" || tag === "strong";
}

function findPlacement(visible: Visible, label: string): Placement | undefined {
  if (label === "") return undefined;
  const firstBreak = visible.text.indexOf("\n");
  const starts = firstBreak < 0 ? [0] : [0, firstBreak + 1];
  for (const start of starts) {
    if (labelStandsAt(visible, label, start)) return { start, end: start + label.length };
  }
  return undefined;
}

function labelStandsAt(visible: Visible, label: string, start: number): boolean {
  const end = start + label.length;
  const { text } = visible;
  if (!text.startsWith(label, start)) return false;
  if (end !== text.length && text.charAt(end) !== "\n") return false;
  const overlaps = (span: Span) => span.offset < end && span.offset + span.length > start;
  return (
    visible.bold.some((b) => b.offset === start && b.length === label.length) && !visible.other.some(overlaps)
  );
}

function fitInPlace(p: TextPayload, visible: Visible, placement: Placement, limit: number): TextPayload {
  if (visible.text.length <= limit) return { ...p };
  const headLength = placement.end;
  if (headLength > limit) {
    throw new RangeError(
      `The headline and foreign-agent label are ${headLength} characters, over the message limit of ${limit}; neither may be shortened`,
    );
  }
  if (hasEntities(p)) return shortenedWithEntities(p.text, p.entities, placement.end + 1, limit);
  return {
    text: fitHtmlMessage(
      { head: htmlHeadOf(p, visible, placement), body: visible.text.slice(placement.end + 1), tail: "" },
      limit,
    ),
    parseMode: "HTML",
  };
}

/**
 * The HTML for everything up to the end of the label. HTML keeps its own markup when the
 * label's <b> stands at the top level (so the headline keeps its formatting); otherwise the
 * head is rebuilt from the visible text.
 */
function htmlHeadOf(p: TextPayload, visible: Visible, placement: Placement): string {
  if (p.parseMode === "HTML") {
    const labelElement = parseHtml(p.text).elements.find(
      (e) =>
        isBoldTag(e.tag) &&
        e.depth === 0 &&
        e.offset === placement.start &&
        e.length === placement.end - placement.start,
    );
    if (labelElement !== undefined) return p.text.slice(0, labelElement.rawEnd);
  }
  const headline = visible.text.slice(0, placement.start);
  return `${escapeHtml(headline)}${boldHtml(visible.text.slice(placement.start, placement.end))}`;
}

function labelOnly(p: TextPayload, label: string): TextPayload {
  if (hasEntities(p)) return { text: label, parseMode: undefined, entities: [boldEntity(label)] };
  return { text: boldHtml(label), parseMode: "HTML" };
}

function prependLabel(p: TextPayload, visible: Visible, label: string, limit: number): TextPayload {
  if (hasEntities(p)) {
    const bodyStart = label.length + 1;
    const entities = [boldEntity(label), ...p.entities.map((e) => ({ ...e, offset: e.offset + bodyStart }))];
    const text = `${label}\n${p.text}`;
    return text.length <= limit
      ? { text, parseMode: undefined, entities }
      : shortenedWithEntities(text, entities, bodyStart, limit);
  }
  const fits = label.length + 1 + visible.text.length <= limit;
  if (!fits) {
    // Shortening works on visible text, so an over-long body loses its formatting; the label
    // stays verbatim and bold, which is what matters.
    return {
      text: fitHtmlMessage({ head: boldHtml(label), body: visible.text, tail: "" }, limit),
      parseMode: "HTML",
    };
  }
  const body = p.parseMode === "HTML" ? p.text : escapeHtml(p.text);
  return { text: `${boldHtml(label)}\n${body}`, parseMode: "HTML" };
}

function boldHtml(label: string): string {
  return `<b>${escapeHtml(label)}</b>`;
}

/** Plain text with entities, its body shortened to fit `limit` (see shortenEntityBody). */
function shortenedWithEntities(
  text: string,
  entities: readonly MessageEntity[],
  bodyStart: number,
  limit: number,
): TextPayload {
  const shortened = shortenEntityBody(text, entities, bodyStart, limit);
  return { text: shortened.text, parseMode: undefined, entities: shortened.entities };
}
