import type { FakeUser } from "../../src/bench/fake-bot-api/chat-state.ts";
import type { SentMessage } from "../../src/bench/fake-bot-api/message-store.ts";
import type { Harness } from "./bot-harness.ts";

/** Drives the bot as a person in a private chat: say something, tap a button, read what came back. */
export function driver(h: Harness, user: FakeUser) {
  const chatId = user.id;
  const messages = () => h.fake.messagesTo(chatId);
  // Where the current exchange began: expectMessage looks at what the bot sent since.
  let mark = messages().length;
  return {
    chatId,
    messages,
    /** Sends text and waits for the first message the bot sends after it. */
    async say(text: string): Promise<SentMessage> {
      const before = messages().length;
      mark = before;
      h.fake.sendText(user, text);
      return h.fake.waitFor(() => messages()[before], 10_000);
    },
    /** Sends text and waits for a message (new or edited) whose text contains `expected`. */
    async sayAndExpect(text: string, expected: string | RegExp): Promise<SentMessage> {
      const before = messages().length;
      mark = before;
      h.fake.sendText(user, text);
      return h.fake.waitFor(
        () =>
          messages()
            .slice(before)
            .find((m) => matches(m, expected)),
        10_000,
      );
    },
    /** Taps the button carrying `data` on `message` and waits for the bot's answer to the tap. */
    async tapData(message: SentMessage, data: string) {
      const answersBefore = h.fake.calls.filter((c) => c.method === "answerCallbackQuery").length;
      const update = h.fake.tapButton(user, message, data);
      const query = (update as { callback_query: { id: string } }).callback_query.id;
      return h.fake.waitFor(
        () =>
          h.fake.calls
            .filter((c) => c.method === "answerCallbackQuery")
            .slice(answersBefore)
            .find((c) => c.payload.callback_query_id === query),
        10_000,
      );
    },
    /** The newest message sent since the last thing said whose text contains `expected`. */
    async expectMessage(expected: string | RegExp, timeoutMs = 10_000): Promise<SentMessage> {
      return h.fake.waitFor(
        () =>
          messages()
            .slice(mark)
            .reverse()
            .find((m) => !m.deleted && matches(m, expected)),
        timeoutMs,
      );
    },
    /** Waits until `message` (edited in place) reads `expected`. */
    async expectEdited(
      message: SentMessage,
      expected: string | RegExp,
      timeoutMs = 15_000,
    ): Promise<SentMessage> {
      return h.fake.waitFor(() => {
        const m = messages().find((x) => x.message_id === message.message_id);
        return m && matches(m, expected) ? m : undefined;
      }, timeoutMs);
    },
    current(message: SentMessage): SentMessage {
      const m = messages().find((x) => x.message_id === message.message_id);
      if (!m) throw new Error(`message ${message.message_id} vanished`);
      return m;
    },
  };
}

function matches(m: SentMessage, expected: string | RegExp): boolean {
  const text = m.text ?? m.caption ?? "";
  return typeof expected === "string" ? text.includes(expected) : expected.test(text);
}

/** The callback data of every button of a message. */
export function buttonsOf(message: SentMessage): { text: string; callback_data?: string }[] {
  return (
    (message.reply_markup?.inline_keyboard ?? []) as { text: string; callback_data?: string }[][]
  ).flat();
}

export function dataOf(message: SentMessage, text: string | RegExp): string {
  const button = buttonsOf(message).find((b) =>
    typeof text === "string" ? b.text.includes(text) : text.test(b.text),
  );
  if (!button?.callback_data)
    throw new Error(`no button ${String(text)} among ${JSON.stringify(buttonsOf(message))}`);
  return button.callback_data;
}
