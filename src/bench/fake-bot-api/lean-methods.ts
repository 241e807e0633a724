import { badRequest } from "./api-error.ts";
import { chatIdOf, type Payload } from "./request-payload.ts";
import type { Handler } from "./send-methods.ts";
import type { SendTally } from "./send-tally.ts";

const acknowledge = (p: Payload): true => {
  chatIdOf(p);
  return true;
};

/**
 * The delivery path's methods for the bench: sends are counted, not kept, and answered with only
 * what delivery reads (the message id, a photo's file ids), so neither side spends its CPU on
 * HTML or JSON; edits and deletes are acknowledged, as there is nothing kept to change.
 */
export function leanMethods(tally: SendTally): Record<string, Handler> {
  let nextFileId = 1;
  const send = (p: Payload): Record<string, unknown> => {
    const chatId = chatIdOf(p);
    const now = Date.now();
    return {
      // Nothing else is kept, so a chat's sends number its messages.
      message_id: tally.count(chatId, now),
      chat: { id: chatId, type: chatId > 0 ? "private" : "supergroup" },
      date: Math.floor(now / 1000),
    };
  };
  return {
    sendMessage: send,
    sendPhoto: (p) => {
      const ref = p.photo;
      if (typeof ref !== "string" || ref === "") throw badRequest("there is no photo in the request");
      const message = send(p);
      // Sent by URL, Telegram answers with file ids of its own; sent by file id, with that id.
      const fileId = /^https?:\/\//i.test(ref) ? `fake-file-${nextFileId++}` : ref;
      message.photo = [320, 1280].map((width) => ({
        file_id: fileId,
        file_unique_id: `u-${fileId}-${width}`,
        width,
        height: (width * 3) / 4,
      }));
      return message;
    },
    editMessageText: acknowledge,
    editMessageCaption: acknowledge,
    editMessageReplyMarkup: acknowledge,
    deleteMessage: acknowledge,
    deleteMessages: acknowledge,
  };
}
