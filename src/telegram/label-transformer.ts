import type { Api, RawApi, Transformer } from "grammy";
import { shortenAtWordBoundary } from "../domain/fit-text.ts";
import { CAPTION_LIMIT, TEXT_LIMIT } from "../domain/label.ts";
import {
  applyLabel,
  descriptionCarriesLabel,
  type MessageEntity,
  normaliseParseMode,
  type TextPayload,
} from "../domain/labelled-text.ts";

type Payload = Record<string, unknown>;

const TEXT_METHODS = new Set(["sendMessage", "editMessageText"]);
const CAPTION_METHODS = new Set([
  "sendPhoto",
  "sendVideo",
  "sendAnimation",
  "sendAudio",
  "sendDocument",
  "sendVoice",
  "sendPaidMedia",
  "editMessageCaption",
]);
/**
 * Methods that put nothing new in a chat (reading, settings, markup, deletions).
 * Everything that is neither labelled above nor listed here is refused: a method Telegram adds
 * later, or one like copyMessage whose text the label cannot reach, never slips through.
 */
const LABEL_FREE_METHODS = new Set([
  "getMe",
  "getUpdates",
  "setWebhook",
  "deleteWebhook",
  "getWebhookInfo",
  "logOut",
  "close",
  "setMyCommands",
  "deleteMyCommands",
  "getMyCommands",
  "setChatMenuButton",
  "getChatMenuButton",
  "getMyDescription",
  "getMyShortDescription",
  "editMessageReplyMarkup",
  "deleteMessage",
  "deleteMessages",
  "getChat",
  "getChatMember",
  "getChatAdministrators",
  "getChatMemberCount",
  "sendChatAction",
  "getFile",
  "leaveChat",
  "pinChatMessage",
  "unpinChatMessage",
  "unpinAllChatMessages",
  "getUserProfilePhotos",
]);

/** Telegram's limit for the text of an answer to a button tap. */
export const CALLBACK_ANSWER_LIMIT = 200;

export class UnlabelledSendError extends Error {
  constructor(method: string, why?: string) {
    super(
      why === undefined
        ? `${method} is not known to carry the foreign-agent label, so newsbell never calls it`
        : `${method} refused: ${why}`,
    );
  }
}

// A broadcast sends one text to many chats: the same input gives the same result, so the last
// few are kept rather than parsed again for every recipient.
const recent = new Map<string, TextPayload>();
const RECENT_MAX = 64;

function labelledText(p: TextPayload, label: string, limit: number): TextPayload {
  if (p.entities !== undefined) return applyLabel(p, label, limit);
  const key = `${limit}|${p.parseMode ?? ""}|${label}|${p.text}`;
  const known = recent.get(key);
  if (known) return known;
  const result = applyLabel(p, label, limit);
  if (recent.size >= RECENT_MAX) recent.delete(recent.keys().next().value as string);
  recent.set(key, result);
  return result;
}

function labelField(
  method: string,
  payload: Payload,
  field: "text" | "caption",
  label: string,
  limit: number,
): Payload {
  const entitiesField = field === "text" ? "entities" : "caption_entities";
  const original = payload[field];
  let parseMode: TextPayload["parseMode"];
  try {
    // Telegram reads "html" as HTML: compared as given, such a text would look unformatted here.
    // Markdown and MarkdownV2 are refused like an unknown mode: newsbell sends HTML only, so the
    // label's place is checked in one markup.
    parseMode = normaliseParseMode(payload.parse_mode);
  } catch (error) {
    throw new UnlabelledSendError(method, (error as Error).message);
  }
  const labelled = labelledText(
    {
      text: typeof original === "string" ? original : "",
      parseMode,
      entities: payload[entitiesField] as MessageEntity[] | undefined,
    },
    label,
    limit,
  );
  const next: Payload = { ...payload, [field]: labelled.text };
  delete next.parse_mode;
  delete next[entitiesField];
  if (labelled.parseMode) next.parse_mode = labelled.parseMode;
  if (labelled.entities) next[entitiesField] = labelled.entities;
  return next;
}

/** A link preview shown above the text would push the label down from the top of the message. */
function withoutPreviewAbove(method: string, payload: Payload): Payload {
  const options = payload.link_preview_options;
  if (options === undefined) return payload;
  if (typeof options !== "object" || options === null || Array.isArray(options)) {
    throw new UnlabelledSendError(method, "link_preview_options must be an object");
  }
  const { show_above_text: _above, ...kept } = options as Payload;
  return { ...payload, link_preview_options: kept };
}

function hasCaption(item: Payload): boolean {
  return typeof item.caption === "string" && item.caption !== "";
}

function labelMediaGroup(payload: Payload, label: string): Payload {
  const media = Array.isArray(payload.media) ? (payload.media as Payload[]) : [];
  // A photo or video album shows the first item's caption as its text, so that one always carries
  // the label; a document or audio album shows each caption under its own item, as a message of
  // its own, so every item with a caption carries it too (in any album, which costs nothing).
  return {
    ...payload,
    media: media.map((item, i) =>
      i === 0 || hasCaption(item)
        ? labelField("sendMediaGroup", item, "caption", label, CAPTION_LIMIT)
        : item,
    ),
  };
}

/**
 * A button's answer stays a toast: with `show_alert` Telegram would show it in a box the reader
 * must dismiss, a message of its own without the label. Telegram refuses a text over its limit.
 */
function asToast(payload: Payload): Payload {
  const { show_alert: _alert, ...toast } = payload;
  if (typeof toast.text === "string" && toast.text.length > CALLBACK_ANSWER_LIMIT) {
    toast.text = shortenAtWordBoundary(toast.text, CALLBACK_ANSWER_LIMIT);
  }
  return toast;
}

/**
 * The bot's profile is what a reader sees before the first message: its description may only
 * open with the label, and its short description (120 characters, shorter than most labels) may
 * only be the label itself or empty. An empty value removes the text, which shows nothing.
 */
function checkProfileText(method: string, payload: Payload, label: string): Payload {
  const field = method === "setMyDescription" ? "description" : "short_description";
  const value = payload[field] ?? "";
  if (typeof value !== "string") throw new UnlabelledSendError(method, `${field} must be a string`);
  const allowed =
    value === "" || (method === "setMyDescription" ? descriptionCarriesLabel(value, label) : value === label);
  if (!allowed) {
    throw new UnlabelledSendError(
      method,
      method === "setMyDescription"
        ? "the description must open with the foreign-agent label on a line of its own"
        : "the short description may only be the foreign-agent label itself, or empty",
    );
  }
  return payload;
}

export function labelPayload(method: string, payload: Payload, label: string): Payload {
  if (TEXT_METHODS.has(method)) {
    return labelField(method, withoutPreviewAbove(method, payload), "text", label, TEXT_LIMIT);
  }
  if (CAPTION_METHODS.has(method)) return labelField(method, payload, "caption", label, CAPTION_LIMIT);
  if (method === "sendMediaGroup") return labelMediaGroup(payload, label);
  if (method === "editMessageMedia" && typeof payload.media === "object" && payload.media !== null) {
    // The new media's caption replaces the message's text, so it carries the label.
    return {
      ...payload,
      media: labelField(method, payload.media as Payload, "caption", label, CAPTION_LIMIT),
    };
  }
  if (method === "answerCallbackQuery") return asToast(payload);
  if (method === "setMyDescription" || method === "setMyShortDescription") {
    return checkProfileText(method, payload, label);
  }
  if (LABEL_FREE_METHODS.has(method)) return payload;
  throw new UnlabelledSendError(method);
}

/** The one mechanism that puts the label on every message: installed on every `Api` the project creates. */
export function labelTransformer(label: string): Transformer<RawApi> {
  return (prev, method, payload, signal) =>
    prev(method, labelPayload(method, payload as Payload, label) as typeof payload, signal);
}

export function installLabel(api: Api, label: string): void {
  api.config.use(labelTransformer(label));
}
