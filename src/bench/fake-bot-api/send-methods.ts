import { badRequest } from "./api-error.ts";
import type { ChatState } from "./chat-state.ts";
import { type MessageStore, type SentMessage, unixNow } from "./message-store.ts";
import { checkCaption, checkText } from "./message-text.ts";
import { chatIdOf, type Payload } from "./request-payload.ts";

export type Handler = (p: Payload) => unknown;

/** The methods that put a message in a chat: the rate limit applies to them, and untargeted injections. */
export const SEND_METHODS = new Set([
  "sendMessage",
  "sendPhoto",
  "sendVideo",
  "sendDocument",
  "sendAnimation",
  "sendAudio",
  "sendVoice",
  "sendMediaGroup",
  "copyMessage",
  "forwardMessage",
  "sendLocation",
  "sendPoll",
  "sendSticker",
  "sendDice",
]);
const MEDIA_FIELD: Record<string, string> = {
  sendPhoto: "photo",
  sendVideo: "video",
  sendDocument: "document",
  sendAnimation: "animation",
  sendAudio: "audio",
  sendVoice: "voice",
  sendSticker: "sticker",
};
const UNCAPTIONED = new Set(["sendLocation", "sendPoll", "sendDice", "sendSticker", "forwardMessage"]);

/** sendMessage and the media sends: each checks its text as Telegram would, then keeps the message. */
export function sendMethods(store: MessageStore, chats: ChatState): Record<string, Handler> {
  const sendMedia = (method: string, p: Payload): Record<string, unknown> => {
    const field = MEDIA_FIELD[method] ?? "document";
    chatIdOf(p);
    if (p[field] === undefined || p[field] === "") throw badRequest(`there is no ${field} in the request`);
    const caption = p.caption === undefined ? undefined : String(p.caption);
    if (caption !== undefined) checkCaption(caption, p.parse_mode, p.caption_entities);
    const content: Partial<SentMessage> = { parse_mode: p.parse_mode as string | undefined };
    if (caption !== undefined) content.caption = caption;
    if (Array.isArray(p.caption_entities)) content.entities = p.caption_entities;
    const file =
      field === "photo" && typeof p.photo === "string" ? store.photoFor(p.photo) : store.fileFor(field);
    return store.messageObject(store.store(method, p, content, file));
  };
  const media = Object.fromEntries(
    Object.keys(MEDIA_FIELD).map((method) => [method, (p: Payload) => sendMedia(method, p)]),
  );
  return {
    sendMessage: (p) => {
      chatIdOf(p);
      checkText(p);
      const content: Partial<SentMessage> = {
        text: String(p.text),
        parse_mode: p.parse_mode as string | undefined,
      };
      if (Array.isArray(p.entities)) content.entities = p.entities;
      return store.messageObject(store.store("sendMessage", p, content));
    },
    ...media,
    sendMediaGroup: (p) => sendMediaGroup(store, p),
    copyMessage: (p) => {
      chatIdOf(p);
      const source = store.sourceOf(p, "copy");
      if (p.caption !== undefined && source.text === undefined) {
        checkCaption(p.caption, p.parse_mode, p.caption_entities);
        Object.assign(source, { caption: String(p.caption), parse_mode: p.parse_mode });
      }
      return { message_id: store.store("copyMessage", p, source).message_id };
    },
    forwardMessage: (p) => {
      chatIdOf(p);
      const source = store.sourceOf(p, "forward");
      const origin = { type: "chat", date: unixNow(), sender_chat: chats.chatObject(Number(p.from_chat_id)) };
      return store.messageObject(store.store("forwardMessage", p, source, { forward_origin: origin }));
    },
    ...otherSends(store),
  };
}

function sendMediaGroup(store: MessageStore, p: Payload): unknown {
  chatIdOf(p);
  const media = p.media;
  if (!Array.isArray(media) || media.length < 2 || media.length > 10) {
    throw badRequest("wrong number of media in the media group, must be 2-10");
  }
  const items = media.map((raw: unknown) => {
    const item = (raw ?? {}) as Payload;
    if (item.media === undefined) throw badRequest("there is no media in the request");
    if (item.caption !== undefined) checkCaption(item.caption, item.parse_mode, item.caption_entities);
    return item;
  });
  const groupId = `mg-${store.fileNumber()}`;
  return items.map((item) => {
    const content: Partial<SentMessage> = { parse_mode: item.parse_mode as string | undefined };
    if (item.caption !== undefined) content.caption = String(item.caption);
    const extra = { ...store.fileFor(String(item.type ?? "document")), media_group_id: groupId };
    return store.messageObject(store.store("sendMediaGroup", { chat_id: p.chat_id }, content, extra));
  });
}

/** Sends with no text of their own: a location, a poll, a die. */
function otherSends(store: MessageStore): Record<string, Handler> {
  return {
    sendLocation: (p) => {
      chatIdOf(p);
      if (p.latitude === undefined || p.longitude === undefined)
        throw badRequest("wrong latitude or longitude");
      const location = { latitude: Number(p.latitude), longitude: Number(p.longitude) };
      return store.messageObject(store.store("sendLocation", p, {}, { location }));
    },
    sendPoll: (p) => {
      chatIdOf(p);
      if (!p.question) throw badRequest("poll question must be non-empty");
      if (!Array.isArray(p.options) || p.options.length < 2)
        throw badRequest("poll must have at least 2 option");
      const options = p.options.map((o: unknown) => ({
        text: typeof o === "string" ? o : String((o as Payload | null)?.text ?? ""),
        voter_count: 0,
      }));
      const poll = {
        id: `poll-${store.fileNumber()}`,
        question: String(p.question),
        options,
        total_voter_count: 0,
        is_closed: false,
        is_anonymous: p.is_anonymous !== false,
        type: p.type ?? "regular",
        allows_multiple_answers: p.allows_multiple_answers === true,
      };
      return store.messageObject(store.store("sendPoll", p, {}, { poll }));
    },
    sendDice: (p) => {
      chatIdOf(p);
      const dice = { emoji: String(p.emoji ?? "🎲"), value: 1 + Math.floor(Math.random() * 6) };
      return store.messageObject(store.store("sendDice", p, {}, { dice }));
    },
  };
}

/** Edits and deletes of messages the store holds. */
export function editMethods(store: MessageStore): Record<string, Handler> {
  return {
    editMessageText: (p) => {
      const m = store.editable(p);
      if (m.text === undefined) throw badRequest("there is no text in the message to edit");
      checkText(p);
      const entities = Array.isArray(p.entities) ? p.entities : undefined;
      const next = { text: String(p.text), parse_mode: p.parse_mode as string | undefined, entities };
      return store.applyEdit(m, next, p.reply_markup);
    },
    editMessageCaption: (p) => {
      const m = store.editable(p);
      if (m.text !== undefined || UNCAPTIONED.has(m.method))
        throw badRequest("there is no caption in the message to edit");
      checkCaption(p.caption, p.parse_mode, p.caption_entities);
      const entities = Array.isArray(p.caption_entities) ? p.caption_entities : undefined;
      const caption = p.caption === undefined ? undefined : String(p.caption);
      return store.applyEdit(
        m,
        { caption, parse_mode: p.parse_mode as string | undefined, entities },
        p.reply_markup,
      );
    },
    editMessageReplyMarkup: (p) => store.applyEdit(store.editable(p), {}, p.reply_markup),
    deleteMessage: (p) => {
      if (!store.deleteOne(chatIdOf(p), Number(p.message_id)))
        throw badRequest("message to delete not found");
      return true;
    },
    deleteMessages: (p) => {
      const chatId = chatIdOf(p);
      const ids = Array.isArray(p.message_ids) ? p.message_ids.map(Number) : [];
      const deleted = ids.filter((id) => store.deleteOne(chatId, id));
      if (deleted.length === 0) throw badRequest("message to delete not found");
      return true;
    },
  };
}
