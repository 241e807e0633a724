/**
 * Telegram's message entities: formatting given as spans of the plain text instead of markup.
 * Every parse mode is read into the same spans (see labelled-text.ts), in UTF-16 code units.
 */
import { ELLIPSIS, shortenAtWordBoundary } from "./fit-text.ts";

export interface MessageEntity {
  type: string;
  offset: number;
  length: number;
  [k: string]: unknown;
}

/** A stretch of visible text, in UTF-16 code units. */
export interface Span {
  offset: number;
  length: number;
}

/** What Telegram will show: the visible text and where it is bold. */
export interface Visible {
  text: string;
  bold: Span[];
  /**
   * Markup that hides, strikes, collapses or links (spoiler, strike, link, code, quote…). A label
   * that any of it touches may not be seen as a label, so it does not count as in place.
   */
  other: Span[];
}

// Entity types whose meaning is their exact content; a clipped one is invalid or wrong.
const CLIPPABLE_ENTITY_TYPES = new Set([
  "bold",
  "italic",
  "underline",
  "strikethrough",
  "spoiler",
  "code",
  "pre",
  "text_link",
  "text_mention",
  "blockquote",
  "expandable_blockquote",
]);

// Entities that hide, strike, collapse or link what they cover; italics and underline only style it.
const HIDING_ENTITIES = new Set([
  "spoiler",
  "strikethrough",
  "text_link",
  "url",
  "text_mention",
  "mention",
  "code",
  "pre",
  "blockquote",
  "expandable_blockquote",
  "custom_emoji",
]);

/** Plain text with its entities, read like the other parse modes. */
export function visibleWithEntities(text: string, entities: readonly MessageEntity[]): Visible {
  return {
    text,
    bold: entities.filter((e) => e.type === "bold"),
    other: entities.filter((e) => HIDING_ENTITIES.has(e.type)),
  };
}

export function boldEntity(text: string): MessageEntity {
  return { type: "bold", offset: 0, length: text.length };
}

/**
 * Shortens the plain text after `bodyStart` (the head before it stays intact) and clips the
 * entities to what is left. Drops the body entirely when only "…" would remain of it.
 */
export function shortenEntityBody(
  text: string,
  entities: readonly MessageEntity[],
  bodyStart: number,
  limit: number,
): { text: string; entities: MessageEntity[] } {
  const shortened = shortenAtWordBoundary(text.slice(bodyStart), limit - bodyStart);
  const kept = shortened.endsWith(ELLIPSIS) ? shortened.length - ELLIPSIS.length : shortened.length;
  if (kept === 0) {
    const head = text.slice(0, bodyStart - 1);
    return { text: head, entities: clipEntities(entities, head.length) };
  }
  return { text: text.slice(0, bodyStart) + shortened, entities: clipEntities(entities, bodyStart + kept) };
}

function clipEntities(entities: readonly MessageEntity[], cut: number): MessageEntity[] {
  const clipped: MessageEntity[] = [];
  for (const e of entities) {
    const end = e.offset + e.length;
    if (end <= cut) clipped.push(e);
    else if (e.offset < cut && CLIPPABLE_ENTITY_TYPES.has(e.type))
      clipped.push({ ...e, length: cut - e.offset });
  }
  return clipped;
}
