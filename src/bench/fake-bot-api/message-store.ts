import { badRequest } from "./api-error.ts";
import { BOT_USER, type ChatState } from "./chat-state.ts";
import { canonical, visible, withoutEmptyKeyboard } from "./message-text.ts";
import { chatIdOf, type Payload } from "./request-payload.ts";
import type { SendTally } from "./send-tally.ts";

export interface SentMessage {
  message_id: number;
  chat_id: number;
  text?: string;
  caption?: string;
  parse_mode?: string;
  entities?: unknown[];
  // biome-ignore lint/suspicious/noExplicitAny: tests poke into keyboards freely
  reply_markup?: any;
  deleted?: boolean;
  edits: number;
  date: number;
  method: string;
  /** The forum topic it was sent to; absent: General, or a chat without topics. */
  message_thread_id?: number;
}

export const unixNow = (): number => Math.floor(Date.now() / 1000);

/** Every message in every chat, the bot's as sent (HTML and all) and the users' texts, by chat and id. */
export class MessageStore {
  private readonly messages = new Map<number, SentMessage[]>();
  private readonly userMessages = new Map<string, { text?: string; deleted: boolean }>();
  private readonly nextMessageId = new Map<number, number>();
  /** When each message was last sent or edited, in `seq` ticks. */
  private readonly touched = new WeakMap<SentMessage, number>();
  /** What a message carries besides text: files, a poll, a forward's origin. */
  private readonly extras = new WeakMap<SentMessage, Payload>();
  /** A sent photo's sizes by each size's file_id, so a later send by that id shows the same picture. */
  private readonly photoFiles = new Map<string, Payload[]>();
  /** Picture URLs Telegram will not take, with the description it answers. */
  private readonly refusedPhotoUrls = new Map<string, string>();
  private nextFileId = 1;
  seq = 0;

  constructor(
    private readonly chats: ChatState,
    private readonly tally: SendTally,
  ) {}

  allocateId(chatId: number): number {
    const id = this.nextMessageId.get(chatId) ?? 1;
    this.nextMessageId.set(chatId, id + 1);
    return id;
  }

  /** A fresh number for file, poll and album ids. */
  fileNumber(): number {
    return this.nextFileId++;
  }

  find(chatId: number, messageId: number): SentMessage | undefined {
    return this.messages.get(chatId)?.find((m) => m.message_id === messageId);
  }

  messagesTo(chatId: number): SentMessage[] {
    return [...(this.messages.get(chatId) ?? [])];
  }

  touchedAt(m: SentMessage): number {
    return this.touched.get(m) ?? 0;
  }

  rememberUserMessage(chatId: number, messageId: number, text: string): void {
    this.userMessages.set(`${chatId}:${messageId}`, { text, deleted: false });
  }

  /** Keeps a message the bot sent, and counts it as a send. */
  store(method: string, p: Payload, content: Partial<SentMessage>, extra?: Payload): SentMessage {
    const chatId = chatIdOf(p);
    const m: SentMessage = {
      message_id: this.allocateId(chatId),
      chat_id: chatId,
      ...content,
      edits: 0,
      date: unixNow(),
      method,
    };
    const markup = withoutEmptyKeyboard(p.reply_markup);
    if (markup !== undefined) m.reply_markup = markup;
    if (typeof p.message_thread_id === "number") m.message_thread_id = p.message_thread_id;
    if (extra) this.extras.set(m, extra);
    const list = this.messages.get(chatId) ?? [];
    list.push(m);
    this.messages.set(chatId, list);
    this.tally.count(chatId, Date.now());
    this.touched.set(m, ++this.seq);
    return m;
  }

  /** The message as the Bot API shows it: visible text and entities, not what the bot sent. */
  messageObject(m: SentMessage): Record<string, unknown> {
    const body: Record<string, unknown> = {
      message_id: m.message_id,
      from: this.chats.userObject(BOT_USER.id),
      chat: this.chats.chatObject(m.chat_id),
      date: m.date,
      ...(m.edits > 0 ? { edit_date: unixNow() } : {}),
      ...(m.message_thread_id !== undefined
        ? { message_thread_id: m.message_thread_id, is_topic_message: true }
        : {}),
      ...this.extras.get(m),
    };
    if (m.text !== undefined) {
      const v = visible(m.text, m.parse_mode, m.entities);
      body.text = v.text;
      if (v.entities) body.entities = v.entities;
    }
    if (m.caption !== undefined && m.caption !== "") {
      const v = visible(m.caption, m.parse_mode, m.entities);
      body.caption = v.text;
      if (v.entities) body.caption_entities = v.entities;
    }
    if (m.reply_markup?.inline_keyboard) body.reply_markup = m.reply_markup;
    return body;
  }

  fileFor(field: string): Payload {
    const n = this.fileNumber();
    const file = { file_id: `fake-file-${n}`, file_unique_id: `u${n}` };
    return { [field]: field === "photo" ? [{ ...file, width: 800, height: 600 }] : file };
  }

  refusePhotoUrl(url: string, description: string): void {
    this.refusedPhotoUrls.set(url, description);
  }

  /**
   * A photo by URL (fetched, or refused as marked), by the file_id of one Telegram sent before
   * (the same sizes again), or uploaded (attach://); any other text is an unknown file id.
   */
  photoFor(ref: string): Payload {
    const known = this.photoFiles.get(ref);
    if (known) return { photo: known };
    if (/^https?:\/\//i.test(ref)) {
      const refusal = this.refusedPhotoUrls.get(ref);
      if (refusal !== undefined) throw badRequest(refusal);
    } else if (!ref.startsWith("attach://")) {
      throw badRequest("wrong file identifier/HTTP URL specified");
    }
    const sizes = [
      [90, 68],
      [320, 240],
      [1280, 960],
    ].map(([width, height]) => {
      const n = this.fileNumber();
      return { file_id: `fake-file-${n}`, file_unique_id: `u${n}`, width, height };
    });
    for (const size of sizes) this.photoFiles.set(size.file_id, sizes);
    return { photo: sizes };
  }

  /** What copyMessage and forwardMessage take from the message they name. */
  sourceOf(p: Payload, verb: string): Partial<SentMessage> {
    const from = Number(p.from_chat_id);
    const id = Number(p.message_id);
    const bot = this.find(from, id);
    if (bot && !bot.deleted) {
      const { text, caption, parse_mode, entities } = bot;
      return { text, caption, parse_mode, entities };
    }
    const user = this.userMessages.get(`${from}:${id}`);
    if (user && !user.deleted) return { text: user.text };
    throw badRequest(`message to ${verb} not found`);
  }

  editable(p: Payload): SentMessage {
    if (p.inline_message_id !== undefined) throw badRequest("message to edit not found");
    const m = this.find(chatIdOf(p), Number(p.message_id));
    if (!m || m.deleted) throw badRequest("message to edit not found");
    return m;
  }

  applyEdit(m: SentMessage, next: Partial<SentMessage>, rawMarkup: unknown): Record<string, unknown> {
    const markup = withoutEmptyKeyboard(rawMarkup);
    if (contentKey({ ...m, ...next, reply_markup: markup }) === contentKey(m)) {
      throw badRequest(
        "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
      );
    }
    Object.assign(m, next);
    // Telegram drops the inline keyboard when an edit omits reply_markup.
    if (markup === undefined) delete m.reply_markup;
    else m.reply_markup = markup;
    m.edits++;
    this.touched.set(m, ++this.seq);
    return this.messageObject(m);
  }

  deleteOne(chatId: number, messageId: number): boolean {
    const m = this.find(chatId, messageId);
    if (m && !m.deleted) {
      m.deleted = true;
      return true;
    }
    const user = this.userMessages.get(`${chatId}:${messageId}`);
    if (user && !user.deleted) {
      user.deleted = true;
      return true;
    }
    return false;
  }
}

/** What "not modified" compares: the visible result, not the markup the bot happened to send. */
function contentKey(m: Partial<SentMessage>): string {
  const text = m.text === undefined ? undefined : visible(m.text, m.parse_mode, m.entities);
  const caption = m.caption === undefined ? undefined : visible(m.caption, m.parse_mode, m.entities);
  return canonical({ text, caption, reply_markup: m.reply_markup });
}
