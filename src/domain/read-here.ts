/** "Read here": how a reader asks for an article's text, from an alert, a digest or a link. */

/** The callback data of the button in a private chat. */
export const READ_CALLBACK = /^read:(\d{1,15})$/;
/** The /start payload of the link in groups, channels, digests and /latest. */
export const READ_PAYLOAD = /^read-(\d{1,15})$/;

export function readCallbackData(seq: number): string {
  return `read:${seq}`;
}

/** t.me/<bot>?start=read-<seq>: opens the private chat with the bot, where the text comes. */
export function readLink(username: string, seq: number): string {
  return `https://t.me/${username}?start=read-${seq}`;
}

export type ReadButton = { text: string; callback_data: string } | { text: string; url: string };

/**
 * The alert's one button: a callback in a private chat (the text comes into it), a link to the
 * private chat elsewhere (only the person who taps gets the text). None without the bot's name.
 */
export function readButton(
  seq: number,
  chatId: number,
  word: string,
  username: string | undefined,
): ReadButton | undefined {
  // Private chats are the positive ids; groups and channels are negative.
  if (chatId > 0) return { text: word, callback_data: readCallbackData(seq) };
  return username === undefined ? undefined : { text: word, url: readLink(username, seq) };
}
