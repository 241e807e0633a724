import type { Api, RawApi, Transformer } from "grammy";
import { CAPTION_LIMIT, TEXT_LIMIT } from "../domain/label.ts";
import { applyLabel, type MessageEntity, type ParseMode, type TextPayload } from "../domain/labelled-text.ts";

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
 * Methods that put nothing new in a chat (reading, settings, markup, deletions, toasts).
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
  "answerCallbackQuery",
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

export class UnlabelledSendError extends Error {
  constructor(method: string) {
    super(`${method} is not known to carry the foreign-agent label, so newsbell never calls it`);
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

function labelField(payload: Payload, field: "text" | "caption", label: string, limit: number): Payload {
  const entitiesField = field === "text" ? "entities" : "caption_entities";
  const original = payload[field];
  const labelled = labelledText(
    {
      text: typeof original === "string" ? original : "",
      parseMode: payload.parse_mode as ParseMode,
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

function labelMediaGroup(payload: Payload, label: string): Payload {
  const media = Array.isArray(payload.media) ? (payload.media as Payload[]) : [];
  // Telegram shows the first item's caption as the album's text, so the label goes there.
  return {
    ...payload,
    media: media.map((item, i) => (i === 0 ? labelField(item, "caption", label, CAPTION_LIMIT) : item)),
  };
}

export function labelPayload(method: string, payload: Payload, label: string): Payload {
  if (TEXT_METHODS.has(method)) return labelField(payload, "text", label, TEXT_LIMIT);
  if (CAPTION_METHODS.has(method)) return labelField(payload, "caption", label, CAPTION_LIMIT);
  if (method === "sendMediaGroup") return labelMediaGroup(payload, label);
  if (method === "editMessageMedia" && typeof payload.media === "object" && payload.media !== null) {
    // The new media's caption replaces the message's text, so it carries the label.
    return { ...payload, media: labelField(payload.media as Payload, "caption", label, CAPTION_LIMIT) };
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
