import type { SendFailure } from "./send-failure.ts";

/**
 * Telegram's answers when it cannot take a picture: the URL does not answer or is not an image,
 * the image is too big or of odd dimensions, a file id it no longer knows. No retry helps.
 */
const PICTURE_REFUSED =
  /wrong file identifier|HTTP URL specified|failed to get HTTP URL content|wrong type of the web page content|wrong remote file|PHOTO_INVALID_DIMENSIONS|PHOTO_(?:SAVE_FILE|EXT|CONTENT_URL|CONTENT_TYPE)_INVALID|IMAGE_PROCESS_FAILED|WEBPAGE_(?:CURL_FAILED|MEDIA_EMPTY)|too big|can't use file of type/i;

/** A group or channel that lets the bot post text but not pictures. */
const CHAT_REFUSES_PICTURES =
  /not enough rights to send (?:photos|media)|CHAT_SEND_(?:PHOTOS|MEDIA)_FORBIDDEN/i;

/**
 * What a failed photo send says about the picture: "picture" when Telegram refuses the picture
 * itself (every chat gets the text alert instead), "chat" when only this chat takes no pictures
 * (it gets the text alert, and stays active), undefined when the picture is not the problem
 * (the delivery rules decide, as for any send).
 */
export function pictureRefusal(failure: SendFailure): "picture" | "chat" | undefined {
  if (failure.kind !== "api") return undefined;
  const { code, description } = failure;
  if ((code === 400 || code === 403) && CHAT_REFUSES_PICTURES.test(description)) return "chat";
  if (code === 400 && PICTURE_REFUSED.test(description)) return "picture";
  return undefined;
}
