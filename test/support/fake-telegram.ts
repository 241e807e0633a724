import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { Update } from "grammy/types";

export interface RecordedCall {
  method: string;
  token: string;
  payload: Record<string, unknown>;
  at: number;
  status: number;
}
export interface FakeTelegramOptions {
  token?: string;
  rateLimit?: { perSecond: number; slack?: number };
  /** Upper bound for holding a long poll, whatever `timeout` the client asked for. Default 1500 ms. */
  longPollCapMs?: number;
  /** Keep only chat ids of calls and no message texts: for benchmarks, where the fake's memory would skew the figures. */
  lean?: boolean;
  /** Listen on this port (default: one the OS picks), e.g. to appear where an app already looks. */
  port?: number;
}
export interface InjectRule {
  method?: string;
  chatId?: number;
  times?: number;
  error?: { code: 429; retryAfter: number } | { code: 403 | 400 | 500 | 502; description?: string };
  delayMs?: number;
}
export interface FakeUser {
  id: number;
  first_name: string;
  language_code?: string;
  username?: string;
}
export interface FakeChat {
  id: number;
  type: "private" | "group" | "supergroup" | "channel";
  title?: string;
  /** A public chat's @username, without the @. */
  username?: string;
  /** A supergroup with topics. */
  is_forum?: boolean;
}
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
export interface MessageEntity {
  type: string;
  offset: number;
  length: number;
  url?: string;
  language?: string;
  custom_emoji_id?: string;
}
export type MemberStatus = "creator" | "administrator" | "member" | "left";
type Payload = Record<string, unknown>;

export const BOT_USER = {
  id: 999000,
  is_bot: true,
  first_name: "newsbell",
  username: "newsbell_test_bot",
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
} as const;

export function makeUser(id: number, overrides: Partial<FakeUser> = {}): FakeUser {
  return { id, first_name: `User${id}`, ...overrides };
}

export function makeGroup(id: number, overrides: Partial<FakeChat> = {}): FakeChat {
  // Supergroup ids are the -100… range; anything else negative is a basic group.
  return { id, type: id <= -1_000_000_000_000 ? "supergroup" : "group", title: `Group ${id}`, ...overrides };
}

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}
const badRequest = (what: string): ApiError => new ApiError(400, `Bad Request: ${what}`);

const SEND_METHODS = new Set([
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
// Form fields arrive as strings; these are the ones Telegram reads as integers.
const NUMERIC_FIELDS = new Set([
  "chat_id",
  "from_chat_id",
  "message_id",
  "user_id",
  "offset",
  "limit",
  "timeout",
  "message_thread_id",
  "reply_to_message_id",
  "latitude",
  "longitude",
]);
// Telegram withholds these unless a bot asks for them explicitly.
const OPT_IN_UPDATES = new Set(["chat_member", "message_reaction", "message_reaction_count"]);
const BOOLEAN_FIELD = /^(disable_|protect_|drop_|is_|allow_|show_|has_)/;

// ---------- HTML parse_mode, following tdlib's parse_html closely enough to fail where Telegram fails ----------

const TAG_ENTITY: Record<string, string> = {
  b: "bold",
  strong: "bold",
  i: "italic",
  em: "italic",
  u: "underline",
  ins: "underline",
  s: "strikethrough",
  strike: "strikethrough",
  del: "strikethrough",
  a: "text_link",
  code: "code",
  pre: "pre",
  "tg-spoiler": "spoiler",
  span: "spoiler",
  blockquote: "blockquote",
  "tg-emoji": "custom_emoji",
};
const NAMED_ENTITIES: Record<string, string> = { lt: "<", gt: ">", amp: "&", quot: '"' };
const ENTITY_RE = /&(?:#(\d{1,8})|#[xX]([0-9a-fA-F]{1,8})|([a-zA-Z]+));/y;

function decodeEntityAt(s: string, at: number): { value: string; length: number } | undefined {
  ENTITY_RE.lastIndex = at;
  const m = ENTITY_RE.exec(s);
  if (!m) return undefined;
  if (m[3] !== undefined) {
    const named = NAMED_ENTITIES[m[3]];
    return named === undefined ? undefined : { value: named, length: m[0].length };
  }
  const cp = m[1] !== undefined ? Number.parseInt(m[1], 10) : Number.parseInt(m[2] ?? "", 16);
  if (!(cp > 0 && cp <= 0x10ffff) || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
  return { value: String.fromCodePoint(cp), length: m[0].length };
}

function decodeLenient(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; ) {
    const d = s[i] === "&" ? decodeEntityAt(s, i) : undefined;
    out += d ? d.value : s[i];
    i += d ? d.length : 1;
  }
  return out;
}

/** Visible text and entities of an HTML-formatted message, or throws Telegram's "can't parse entities". */
export function parseHtml(html: string): { text: string; entities: MessageEntity[] } {
  const fail = (why: string): never => {
    throw badRequest(`can't parse entities: ${why}`);
  };
  // Telegram reports offsets in UTF-8 bytes of the source, not JS string indices.
  const at = (i: number): number => Buffer.byteLength(html.slice(0, i));
  const isSpace = (c: string | undefined): boolean => c !== undefined && /\s/.test(c);
  const open: { tag: string; start: number; attrs: Record<string, string>; language?: string }[] = [];
  const entities: MessageEntity[] = [];
  let text = "";
  let i = 0;
  while (i < html.length) {
    const ch = html[i];
    if (ch === "&") {
      const d = decodeEntityAt(html, i) ?? fail(`Unsupported HTML entity at byte offset ${at(i)}`);
      text += d.value;
      i += d.length;
      continue;
    }
    if (ch !== "<") {
      text += ch;
      i++;
      continue;
    }
    const begin = i;
    if (html[i + 1] === "/") {
      const top = open.pop() ?? fail(`Unexpected end tag at byte offset ${at(begin)}`);
      i += 2;
      while (i < html.length && !isSpace(html[i]) && html[i] !== ">") i++;
      const name = html.slice(begin + 2, i).toLowerCase();
      while (isSpace(html[i])) i++;
      if (html[i] !== ">") fail(`Unclosed end tag at byte offset ${at(begin)}`);
      i++;
      if (name !== "" && name !== top.tag) {
        fail(`Unmatched end tag at byte offset ${at(begin)}, expected "</${top.tag}>", found "</${name}>"`);
      }
      const parent = open[open.length - 1];
      const lang = top.attrs.class?.startsWith("language-") ? top.attrs.class.slice(9) : undefined;
      if (top.tag === "code" && parent?.tag === "pre" && lang) {
        // <pre><code class="language-x"> is one pre entity with a language, as in Telegram.
        parent.language = lang;
        continue;
      }
      if (text.length > top.start) {
        const e: MessageEntity = {
          type: TAG_ENTITY[top.tag] ?? "bold",
          offset: top.start,
          length: text.length - top.start,
        };
        if (top.tag === "a" && top.attrs.href) e.url = top.attrs.href;
        if (top.tag === "pre" && top.language) e.language = top.language;
        if (top.tag === "blockquote" && "expandable" in top.attrs) e.type = "expandable_blockquote";
        if (top.tag === "tg-emoji") e.custom_emoji_id = top.attrs["emoji-id"] ?? "";
        entities.push(e);
      }
      continue;
    }
    i++;
    while (i < html.length && !isSpace(html[i]) && html[i] !== ">") i++;
    if (i >= html.length) fail(`Unclosed start tag at byte offset ${at(begin)}`);
    const tag = html.slice(begin + 1, i).toLowerCase();
    if (!(tag in TAG_ENTITY)) fail(`Unsupported start tag "${tag}" at byte offset ${at(begin)}`);
    const attrs: Record<string, string> = {};
    while (html[i] !== ">") {
      while (isSpace(html[i])) i++;
      if (html[i] === ">") break;
      const nameStart = i;
      while (i < html.length && !isSpace(html[i]) && html[i] !== "=" && html[i] !== ">") i++;
      const attr = html.slice(nameStart, i).toLowerCase();
      if (attr === "") fail(`Empty attribute name in the tag "${tag}" at byte offset ${at(begin)}`);
      while (isSpace(html[i])) i++;
      if (html[i] !== "=") {
        if (i >= html.length) fail(`Unclosed start tag at byte offset ${at(begin)}`);
        attrs[attr] = ""; // valueless attributes such as <blockquote expandable>
        continue;
      }
      i++;
      while (isSpace(html[i])) i++;
      const quote = html[i];
      if (quote === '"' || quote === "'") {
        const end = html.indexOf(quote, i + 1);
        if (end < 0) fail(`Unclosed start tag at byte offset ${at(begin)}`);
        attrs[attr] = decodeLenient(html.slice(i + 1, end));
        i = end + 1;
      } else {
        const valueStart = i;
        while (i < html.length && /[\w.\-:/?=&#%+]/.test(html[i] ?? "")) i++;
        if (i === valueStart) fail(`Expected quotes in the tag "${tag}" at byte offset ${at(begin)}`);
        attrs[attr] = decodeLenient(html.slice(valueStart, i));
      }
      if (i >= html.length) fail(`Unclosed start tag at byte offset ${at(begin)}`);
    }
    i++;
    if (tag === "span" && attrs.class !== "tg-spoiler") {
      fail(`Tag "span" must have class "tg-spoiler" at byte offset ${at(begin)}`);
    }
    open.push({ tag, start: text.length, attrs });
  }
  const unclosed = open[open.length - 1];
  if (unclosed) fail(`Can't find end tag corresponding to start tag "${unclosed.tag}"`);
  entities.sort((a, b) => a.offset - b.offset || b.length - a.length);
  return { text, entities };
}

// ---------- request parsing ----------

function coerceField(key: string, value: string): unknown {
  if (NUMERIC_FIELDS.has(key) && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (BOOLEAN_FIELD.test(key) && (value === "true" || value === "false")) return value === "true";
  if (/^\s*[[{]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

function parseMultipart(body: Buffer, boundary: string): Payload {
  const out: Payload = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw badRequest("can't parse multipart/form-data");
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === "--") return out;
    if (body[pos] === 13 && body[pos + 1] === 10) pos += 2;
    const next = body.indexOf(delimiter, pos);
    if (next < 0) throw badRequest("can't parse multipart/form-data");
    let part = body.subarray(pos, next);
    if (part.subarray(-2).toString() === "\r\n") part = part.subarray(0, -2);
    const headerEnd = part.indexOf("\r\n\r\n");
    const headers = part.subarray(0, Math.max(headerEnd, 0)).toString("utf8");
    const content = part.subarray(headerEnd + 4);
    const name = /(?:^|;)\s*name="([^"]*)"/im.exec(headers)?.[1];
    const filename = /filename=(?:"([^"]*)"|([^;\r\n]*))/i.exec(headers);
    if (name !== undefined) {
      out[name] = filename
        ? { filename: filename[1] ?? filename[2] ?? "", size: content.length }
        : coerceField(name, content.toString("utf8"));
    }
    pos = next;
  }
}

function parsePayload(req: IncomingMessage, body: Buffer, query: URLSearchParams): Payload {
  const payload: Payload = {};
  for (const [k, v] of query) payload[k] = coerceField(k, v);
  const type = (req.headers["content-type"] ?? "").toLowerCase();
  if (body.length === 0) return payload;
  if (type.startsWith("multipart/form-data")) {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(req.headers["content-type"] ?? "");
    const b = boundary?.[1] ?? boundary?.[2];
    if (!b) throw badRequest("can't parse multipart/form-data");
    return { ...payload, ...parseMultipart(body, b.trim()) };
  }
  if (type.startsWith("application/x-www-form-urlencoded")) {
    for (const [k, v] of new URLSearchParams(body.toString("utf8"))) payload[k] = coerceField(k, v);
    return payload;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw badRequest("can't parse JSON object");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw badRequest("JSON object expected");
  }
  return { ...payload, ...(parsed as Payload) };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > 60 * 1024 * 1024) reject(new ApiError(413, "Request Entity Too Large"));
      else chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks)));
    req.on("error", reject);
  });
}

/** Key-order-independent JSON, so "not modified" compares content rather than property order. */
function canonical(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    const keys = Object.keys(o)
      .filter((k) => o[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(",")}}`;
  }
  return JSON.stringify(v) ?? "null";
}

/** An empty inline keyboard is how bots remove one; Telegram then reports no reply_markup at all. */
function withoutEmptyKeyboard(markup: unknown): unknown {
  const rows = (markup as { inline_keyboard?: unknown[] } | undefined)?.inline_keyboard;
  return Array.isArray(rows) && rows.flat().length === 0 ? undefined : markup;
}

const unixNow = (): number => Math.floor(Date.now() / 1000);

interface PendingPoll {
  res: ServerResponse;
  call: RecordedCall;
  limit: number;
  timer: NodeJS.Timeout;
}

export class FakeTelegram {
  readonly calls: RecordedCall[] = [];
  rateLimited429s = 0;
  private readonly rules: (InjectRule & { left: number })[] = [];
  private readonly chats = new Map<number, FakeChat>();
  private readonly users = new Map<number, FakeUser>();
  private readonly messages = new Map<number, SentMessage[]>();
  private readonly userMessages = new Map<string, { text?: string; deleted: boolean }>();
  private readonly nextMessageId = new Map<number, number>();
  private readonly touched = new WeakMap<SentMessage, number>();
  private readonly extras = new WeakMap<SentMessage, Payload>();
  private readonly blocked = new Set<number>();
  private readonly forgotten = new Set<number>();
  private readonly migrated = new Map<number, number>();
  private readonly members = new Map<string, MemberStatus>();
  /** Each forum's topics by thread id; a deleted topic is gone from here. */
  private readonly topics = new Map<number, Map<number, "open" | "closed">>();
  private readonly commands = new Map<string, unknown>();
  /** The bot's profile texts by field and language code ("" for the default), as Telegram keeps them. */
  private readonly profileTexts = new Map<string, string>();
  private readonly delays = new Set<() => void>();
  /** A sent photo's sizes by each size's file_id, so a later send by that id shows the same picture. */
  private readonly photoFiles = new Map<string, Payload[]>();
  /** Picture URLs Telegram will not take, with the description it answers. */
  private readonly refusedPhotoUrls = new Map<string, string>();
  private queue: Update[] = [];
  private allowedUpdates: Set<string> | undefined;
  private pendingPoll: PendingPoll | undefined;
  private sentAt: number[] = [];
  private seq = 0;
  private nextUpdateId = 100_000;
  private nextFileId = 1;
  private stopped = false;
  private root = "";

  private constructor(
    private readonly server: Server,
    private readonly opts: FakeTelegramOptions,
  ) {}

  static async start(opts: FakeTelegramOptions = {}): Promise<FakeTelegram> {
    const server = createServer();
    const fake = new FakeTelegram(server, opts);
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      res.on("error", () => {});
      void fake.handle(req, res).catch((err: unknown) => {
        if (!res.headersSent)
          res.writeHead(500).end(JSON.stringify({ ok: false, error_code: 500, description: String(err) }));
      });
    });
    server.on("clientError", (_err, socket) => socket.destroy());
    await new Promise<void>((resolve, reject) => {
      server.once("error", reject);
      server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
    });
    fake.root = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    return fake;
  }

  get apiRoot(): string {
    return this.root;
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const poll = this.pendingPoll;
    if (poll) this.answerPoll(poll, []);
    for (const release of this.delays) release();
    // Give the released requests a turn to write their answers before their sockets go.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise<void>((resolve) => {
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    });
  }

  // ---------- users and chats ----------

  /** With `threadId`, the message is written inside that topic of a forum. */
  sendText(from: FakeUser, text: string, chat?: FakeChat, threadId?: number): Update {
    return this.userMessage(from, text, chat, threadId, {});
  }

  /**
   * `from` answers `to`, a message of the bot, with `text` as a reply to it: what a force_reply
   * prompt makes a client send, and what Telegram passes to a bot in privacy mode in a group.
   */
  replyTo(from: FakeUser, to: SentMessage, text: string): Update {
    const current = this.findMessage(to.chat_id, to.message_id);
    if (!current || current.deleted)
      throw new Error(`replyTo: message ${to.message_id} in chat ${to.chat_id} is gone`);
    const chat = this.chats.get(to.chat_id);
    return this.userMessage(from, text, chat, current.message_thread_id, {
      reply_to_message: this.messageObject(current),
    });
  }

  private userMessage(
    from: FakeUser,
    text: string,
    chat: FakeChat | undefined,
    threadId: number | undefined,
    extra: object,
  ): Update {
    this.users.set(from.id, from);
    const target = chat ?? { id: from.id, type: "private" as const };
    this.chats.set(target.id, target);
    // A user writing to the bot has (re)started it, which is how Telegram unblocks a bot.
    if (target.type === "private") {
      this.blocked.delete(target.id);
      this.forgotten.delete(target.id);
    }
    const messageId = this.allocateMessageId(target.id);
    this.userMessages.set(`${target.id}:${messageId}`, { text, deleted: false });
    const command = /^\/\S+/.exec(text)?.[0];
    return this.queueUpdate({
      message: {
        message_id: messageId,
        from: this.userObject(from.id),
        chat: this.chatObject(target.id),
        date: unixNow(),
        text,
        ...(command ? { entities: [{ type: "bot_command", offset: 0, length: command.length }] } : {}),
        ...(threadId !== undefined ? { message_thread_id: threadId, is_topic_message: true } : {}),
        ...extra,
      },
    });
  }

  tapButton(from: FakeUser, message: SentMessage, data: string): Update {
    this.users.set(from.id, from);
    const current = this.findMessage(message.chat_id, message.message_id);
    if (!current || current.deleted) {
      throw new Error(`tapButton: message ${message.message_id} in chat ${message.chat_id} is gone`);
    }
    const buttons: { callback_data?: string }[] = (current.reply_markup?.inline_keyboard ?? []).flat();
    if (!buttons.some((b) => b.callback_data === data)) {
      const available = buttons.map((b) => b.callback_data).filter(Boolean);
      throw new Error(
        `tapButton: no button with data ${JSON.stringify(data)}; the message has ${JSON.stringify(available)}`,
      );
    }
    return this.queueUpdate({
      callback_query: {
        id: `cbq-${this.nextUpdateId}`,
        from: this.userObject(from.id),
        message: this.messageObject(current),
        chat_instance: `ci-${current.chat_id}`,
        data,
      },
    });
  }

  queueUpdate(partial: object): Update {
    const update = { ...partial, update_id: this.nextUpdateId++ } as Update;
    this.queue.push(update);
    const poll = this.pendingPoll;
    if (poll) {
      const ready = this.deliverable(poll.limit);
      if (ready.length > 0) this.answerPoll(poll, ready);
    }
    return update;
  }

  // ---------- what the bot sent ----------

  messagesTo(chatId: number): SentMessage[] {
    return [...(this.messages.get(chatId) ?? [])];
  }

  lastMessageTo(chatId: number): SentMessage | undefined {
    return this.messagesTo(chatId)
      .filter((m) => !m.deleted)
      .at(-1);
  }

  waitFor<T>(predicate: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    return new Promise<T>((resolve, reject) => {
      const tick = (): void => {
        let value: T | undefined | false;
        try {
          value = predicate();
        } catch (err) {
          reject(err);
          return;
        }
        if (value !== undefined && value !== false) resolve(value);
        else if (Date.now() >= deadline) {
          const recent = this.calls
            .slice(-10)
            .map((c) => `${c.method}(chat_id=${String(c.payload.chat_id ?? "-")}) → ${c.status}`);
          reject(new Error(`waitFor timed out after ${timeoutMs} ms. Last calls:\n  ${recent.join("\n  ")}`));
        } else setTimeout(tick, 10);
      };
      tick();
    });
  }

  /** Without `match`: the first message sent or edited after this call. With `match`: the latest one matching. */
  async waitForMessage(
    chatId: number,
    match?: (m: SentMessage) => boolean,
    timeoutMs = 5000,
  ): Promise<SentMessage> {
    const since = this.seq;
    const touchedOf = (m: SentMessage): number => this.touched.get(m) ?? 0;
    try {
      return await this.waitFor(() => {
        const alive = this.messagesTo(chatId).filter((m) => !m.deleted);
        if (match) return alive.filter(match).sort((a, b) => touchedOf(b) - touchedOf(a))[0];
        return alive.filter((m) => touchedOf(m) > since).sort((a, b) => touchedOf(a) - touchedOf(b))[0];
      }, timeoutMs);
    } catch (err) {
      const seen = this.messagesTo(chatId).map(
        (m) => `#${m.message_id}${m.deleted ? " (deleted)" : ""}: ${m.text ?? m.caption ?? m.method}`,
      );
      throw new Error(
        `waitForMessage(${chatId}): ${(err as Error).message}\nMessages in that chat:\n  ${seen.join("\n  ") || "(none)"}`,
      );
    }
  }

  // ---------- fault injection ----------

  inject(rule: InjectRule): void {
    this.rules.push({ ...rule, left: rule.times ?? 1 });
  }

  blockChat(chatId: number): void {
    this.blocked.add(chatId);
  }

  migrateChat(oldId: number, newId: number): void {
    this.migrated.set(oldId, newId);
    this.chats.set(newId, {
      id: newId,
      type: "supergroup",
      title: this.chats.get(oldId)?.title ?? `Group ${newId}`,
    });
  }

  forgetChat(chatId: number): void {
    this.forgotten.add(chatId);
  }

  setChatMemberStatus(chatId: number, userId: number, status: MemberStatus): void {
    this.members.set(`${chatId}:${userId}`, status);
  }

  // ---------- channels and forum topics ----------

  /** Makes a chat known, e.g. a channel the bot can find by its @username with getChat. */
  addChat(chat: FakeChat): void {
    this.chats.set(chat.id, chat);
  }

  /** Opens a topic in a forum; its thread id is the id of the message that created it, as in Telegram. */
  createTopic(chatId: number): number {
    const threadId = this.allocateMessageId(chatId);
    const topics = this.topics.get(chatId) ?? new Map<number, "open" | "closed">();
    topics.set(threadId, "open");
    this.topics.set(chatId, topics);
    return threadId;
  }

  /** Sends to a closed topic fail with TOPIC_CLOSED. */
  closeTopic(chatId: number, threadId: number): void {
    this.topics.get(chatId)?.set(threadId, "closed");
  }

  /** Sends to a deleted topic fail with "message thread not found". */
  deleteTopic(chatId: number, threadId: number): void {
    this.topics.get(chatId)?.delete(threadId);
  }

  /** `from` forwards a post of `channel` to the bot in their private chat. */
  forwardChannelPost(from: FakeUser, channel: FakeChat): Update {
    this.users.set(from.id, from);
    this.chats.set(channel.id, channel);
    const messageId = this.allocateMessageId(from.id);
    this.userMessages.set(`${from.id}:${messageId}`, { text: "A post of the channel", deleted: false });
    const origin = {
      type: "channel",
      chat: this.chatObject(channel.id),
      message_id: this.allocateMessageId(channel.id),
      date: unixNow(),
    };
    return this.queueUpdate({
      message: {
        message_id: messageId,
        from: this.userObject(from.id),
        chat: this.chatObject(from.id),
        date: unixNow(),
        text: "A post of the channel",
        forward_origin: origin,
      },
    });
  }

  /**
   * `by` changes the bot's membership of a chat and Telegram tells the bot (my_chat_member); a bot
   * that left or was kicked is refused with 403 from then on.
   */
  setBotStatus(chatId: number, status: MemberStatus | "kicked", by: FakeUser): Update {
    this.users.set(by.id, by);
    const old = this.members.get(`${chatId}:${BOT_USER.id}`) ?? "member";
    if (status === "kicked" || status === "left") this.blocked.add(chatId);
    else {
      this.blocked.delete(chatId);
      this.members.set(`${chatId}:${BOT_USER.id}`, status);
    }
    if (status === "kicked") this.members.set(`${chatId}:${BOT_USER.id}`, "left");
    const bot = this.userObject(BOT_USER.id);
    return this.queueUpdate({
      my_chat_member: {
        chat: this.chatObject(chatId),
        from: this.userObject(by.id),
        date: unixNow(),
        old_chat_member: { status: old, user: bot },
        new_chat_member: status === "kicked" ? { status, user: bot, until_date: 0 } : { status, user: bot },
      },
    });
  }

  /** Answers a sendPhoto of this URL as Telegram does a picture it cannot take (400 with `description`). */
  refusePhotoUrl(url: string, description = "wrong type of the web page content"): void {
    this.refusedPhotoUrls.set(url, description);
  }

  // ---------- HTTP ----------

  private answer(res: ServerResponse, call: RecordedCall, status: number, body: unknown): void {
    call.status = status;
    if (res.headersSent || res.destroyed) return;
    res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
  }

  private fail(res: ServerResponse, call: RecordedCall, err: ApiError): void {
    this.answer(res, call, err.code, {
      ok: false,
      error_code: err.code,
      description: err.description,
      ...(err.parameters ? { parameters: err.parameters } : {}),
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const call: RecordedCall = { method: "", token: "", payload: {}, at: Date.now(), status: 0 };
    this.calls.push(call);
    const url = new URL(req.url ?? "/", "http://fake");
    const route = /^\/bot([^/]*)\/([^/]+)\/?$/.exec(url.pathname);
    call.method = route?.[2] ?? url.pathname;
    call.token = route?.[1] ?? "";
    try {
      call.payload = parsePayload(req, await readBody(req), url.searchParams);
      if (!route) throw new ApiError(404, "Not Found");
      if (this.opts.token !== undefined && call.token !== this.opts.token)
        throw new ApiError(401, "Unauthorized");
      const method = this.methodNames.get(call.method.toLowerCase());
      if (!method) throw new ApiError(404, "Not Found: method not found");
      call.method = method;
      const rule = this.takeRule(method, call.payload);
      if (rule?.delayMs) await this.sleep(rule.delayMs);
      if (rule?.error) throw this.injectedError(rule.error);
      this.checkChat(method, call.payload);
      if (method === "getUpdates") return this.getUpdates(call, res);
      if (SEND_METHODS.has(method)) this.checkRateLimit();
      const handler = this.handlers[method] as (p: Payload) => unknown;
      this.answer(res, call, 200, { ok: true, result: handler(call.payload) });
      if (this.opts.lean) call.payload = { chat_id: call.payload.chat_id };
    } catch (err) {
      if (err instanceof ApiError) this.fail(res, call, err);
      else this.fail(res, call, new ApiError(500, `Internal Server Error: ${String(err)}`));
    }
  }

  private takeRule(method: string, payload: Payload): InjectRule | undefined {
    const chatId = typeof payload.chat_id === "number" ? payload.chat_id : Number(payload.chat_id);
    const index = this.rules.findIndex(
      (r) =>
        (r.method === undefined ? SEND_METHODS.has(method) : r.method === method) &&
        (r.chatId === undefined || r.chatId === chatId),
    );
    const rule = this.rules[index];
    if (!rule) return undefined;
    if (--rule.left <= 0) this.rules.splice(index, 1);
    return rule;
  }

  private injectedError(e: NonNullable<InjectRule["error"]>): ApiError {
    if (e.code === 429) {
      return new ApiError(429, `Too Many Requests: retry after ${e.retryAfter}`, {
        retry_after: e.retryAfter,
      });
    }
    const defaults = {
      400: "Bad Request",
      403: "Forbidden: bot was blocked by the user",
      500: "Internal Server Error",
      502: "Bad Gateway",
    };
    return new ApiError(e.code, e.description ?? defaults[e.code]);
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const release = (): void => {
        clearTimeout(timer);
        this.delays.delete(release);
        resolve();
      };
      const timer = setTimeout(release, ms);
      this.delays.add(release);
    });
  }

  private checkChat(method: string, payload: Payload): void {
    if (payload.chat_id === undefined || payload.chat_id === "") return;
    const chatId = Number(payload.chat_id);
    if (this.forgotten.has(chatId)) throw badRequest("chat not found");
    const newId = this.migrated.get(chatId);
    if (newId !== undefined) {
      throw new ApiError(400, "Bad Request: group chat was upgraded to a supergroup chat", {
        migrate_to_chat_id: newId,
      });
    }
    const thread = payload.message_thread_id;
    if (SEND_METHODS.has(method) && thread !== undefined && this.chats.get(chatId)?.is_forum) {
      const topic = this.topics.get(chatId)?.get(Number(thread));
      if (topic === undefined) throw badRequest("message thread not found");
      if (topic === "closed") throw badRequest("TOPIC_CLOSED");
    }
    // Telegram still describes a chat the bot was removed from; it only refuses to act in it.
    if (this.blocked.has(chatId) && method !== "getChat" && method !== "getChatMember") {
      const type = this.chatType(chatId);
      const why =
        type === "private"
          ? "bot was blocked by the user"
          : type === "channel"
            ? "bot is not a member of the channel chat"
            : `bot was kicked from the ${type} chat`;
      throw new ApiError(403, `Forbidden: ${why}`);
    }
  }

  private checkRateLimit(): void {
    const limit = this.opts.rateLimit;
    if (!limit) return;
    const now = Date.now();
    this.sentAt = this.sentAt.filter((t) => now - t < 1000);
    if (this.sentAt.length + 1 > limit.perSecond * (1 + (limit.slack ?? 0))) {
      this.rateLimited429s++;
      throw new ApiError(429, "Too Many Requests: retry after 1", { retry_after: 1 });
    }
  }

  // ---------- getUpdates ----------

  private deliverable(limit: number): Update[] {
    const allowed = this.allowedUpdates;
    return this.queue
      .filter((u) => {
        const type = Object.keys(u).find((k) => k !== "update_id") ?? "";
        return allowed ? allowed.has(type) : !OPT_IN_UPDATES.has(type);
      })
      .slice(0, limit);
  }

  private answerPoll(poll: PendingPoll, updates: Update[]): void {
    clearTimeout(poll.timer);
    if (this.pendingPoll === poll) this.pendingPoll = undefined;
    this.answer(poll.res, poll.call, 200, { ok: true, result: updates });
  }

  private getUpdates(call: RecordedCall, res: ServerResponse): void {
    const p = call.payload;
    const offset = Number(p.offset ?? 0);
    if (offset > 0) this.queue = this.queue.filter((u) => u.update_id >= offset);
    else if (offset < 0) this.queue = this.queue.slice(offset);
    if (Array.isArray(p.allowed_updates)) {
      this.allowedUpdates = p.allowed_updates.length > 0 ? new Set(p.allowed_updates.map(String)) : undefined;
    }
    const older = this.pendingPoll;
    if (older) {
      clearTimeout(older.timer);
      this.pendingPoll = undefined;
      // grammY's bot.stop aborts its poll and polls again at once; waiting for the abort to land
      // keeps 409 for polls that are really still competing.
      const conflict = new ApiError(
        409,
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
      );
      setTimeout(() => {
        if (older.call.status === 0) this.fail(older.res, older.call, conflict);
      }, 25);
    }
    const limit = Math.min(Math.max(Number(p.limit ?? 100) || 100, 1), 100);
    const ready = this.deliverable(limit);
    const timeoutMs = Number(p.timeout ?? 0) * 1000;
    if (ready.length > 0 || !(timeoutMs > 0) || this.stopped) {
      this.answer(res, call, 200, { ok: true, result: ready });
      return;
    }
    const holdMs = Math.min(timeoutMs, this.opts.longPollCapMs ?? 1500);
    const poll: PendingPoll = {
      res,
      call,
      limit,
      timer: setTimeout(() => this.answerPoll(poll, this.deliverable(limit)), holdMs),
    };
    this.pendingPoll = poll;
    // A client that aborted (grammY's bot.stop) must not leave a poll that would swallow updates.
    res.on("close", () => {
      if (this.pendingPoll === poll) {
        clearTimeout(poll.timer);
        this.pendingPoll = undefined;
      }
      if (call.status === 0) call.status = 499; // nginx's "client closed request": abandoned, never answered
    });
  }

  // ---------- chats, messages and their Bot API shapes ----------

  private chatType(chatId: number): FakeChat["type"] {
    return this.chats.get(chatId)?.type ?? (chatId > 0 ? "private" : makeGroup(chatId).type);
  }

  private userObject(userId: number): Record<string, unknown> {
    if (userId === BOT_USER.id)
      return { id: BOT_USER.id, is_bot: true, first_name: BOT_USER.first_name, username: BOT_USER.username };
    const u = this.users.get(userId) ?? makeUser(userId);
    return { is_bot: false, ...u };
  }

  private chatObject(chatId: number): Record<string, unknown> {
    const type = this.chatType(chatId);
    if (type === "private") {
      const { first_name, username } = this.users.get(chatId) ?? makeUser(chatId);
      return { id: chatId, type, first_name, ...(username ? { username } : {}) };
    }
    const chat = this.chats.get(chatId);
    return {
      id: chatId,
      type,
      title: chat?.title ?? `Group ${chatId}`,
      ...(chat?.username ? { username: chat.username } : {}),
      ...(chat?.is_forum ? { is_forum: true } : {}),
    };
  }

  private allocateMessageId(chatId: number): number {
    const id = this.nextMessageId.get(chatId) ?? 1;
    this.nextMessageId.set(chatId, id + 1);
    return id;
  }

  private findMessage(chatId: number, messageId: number): SentMessage | undefined {
    return this.messages.get(chatId)?.find((m) => m.message_id === messageId);
  }

  private touch(m: SentMessage): void {
    this.touched.set(m, ++this.seq);
  }

  /** Telegram answers with visible text plus entities, never with the HTML the bot sent. */
  private visible(
    raw: string,
    parseMode: unknown,
    entities: unknown,
  ): { text: string; entities?: unknown[] } {
    if (parseMode === "HTML") {
      const parsed = parseHtml(raw);
      return { text: parsed.text, ...(parsed.entities.length ? { entities: parsed.entities } : {}) };
    }
    if (
      parseMode !== undefined &&
      parseMode !== "" &&
      parseMode !== "MarkdownV2" &&
      parseMode !== "Markdown"
    ) {
      throw badRequest("unsupported parse_mode");
    }
    return { text: raw, ...(Array.isArray(entities) && entities.length ? { entities } : {}) };
  }

  private checkText(p: Payload): { text: string; entities?: unknown[] } {
    const raw = p.text === undefined || p.text === null ? "" : String(p.text);
    const v = this.visible(raw, p.parse_mode, p.entities);
    if (v.text.trim() === "") throw badRequest("message text is empty");
    if (v.text.length > 4096) throw badRequest("message is too long");
    return v;
  }

  private checkCaption(
    caption: unknown,
    parseMode: unknown,
    entities: unknown,
  ): { text: string; entities?: unknown[] } {
    const v = this.visible(
      caption === undefined || caption === null ? "" : String(caption),
      parseMode,
      entities,
    );
    if (v.text.length > 1024) throw badRequest("message caption is too long");
    return v;
  }

  private messageObject(m: SentMessage): Record<string, unknown> {
    const body: Record<string, unknown> = {
      message_id: m.message_id,
      from: this.userObject(BOT_USER.id),
      chat: this.chatObject(m.chat_id),
      date: m.date,
      ...(m.edits > 0 ? { edit_date: unixNow() } : {}),
      ...(m.message_thread_id !== undefined
        ? { message_thread_id: m.message_thread_id, is_topic_message: true }
        : {}),
      ...this.extras.get(m),
    };
    if (m.text !== undefined) {
      const v = this.visible(m.text, m.parse_mode, m.entities);
      body.text = v.text;
      if (v.entities) body.entities = v.entities;
    }
    if (m.caption !== undefined && m.caption !== "") {
      const v = this.visible(m.caption, m.parse_mode, m.entities);
      body.caption = v.text;
      if (v.entities) body.caption_entities = v.entities;
    }
    if (m.reply_markup?.inline_keyboard) body.reply_markup = m.reply_markup;
    return body;
  }

  private chatIdOf(p: Payload): number {
    if (p.chat_id === undefined || p.chat_id === null || p.chat_id === "")
      throw badRequest("chat_id is empty");
    const id = Number(p.chat_id);
    if (!Number.isSafeInteger(id)) throw badRequest("chat not found");
    return id;
  }

  private store(method: string, p: Payload, content: Partial<SentMessage>, extra?: Payload): SentMessage {
    const chatId = this.chatIdOf(p);
    const m: SentMessage = {
      message_id: this.allocateMessageId(chatId),
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
    if (!this.opts.lean) {
      const list = this.messages.get(chatId) ?? [];
      list.push(m);
      this.messages.set(chatId, list);
    }
    this.sentAt.push(Date.now());
    this.touch(m);
    return m;
  }

  private fileFor(field: string): Payload {
    const file = { file_id: `fake-file-${this.nextFileId}`, file_unique_id: `u${this.nextFileId++}` };
    return { [field]: field === "photo" ? [{ ...file, width: 800, height: 600 }] : file };
  }

  /**
   * A photo by URL (fetched, or refused as marked), by the file_id of one Telegram sent before
   * (the same sizes again), or uploaded (attach://); any other text is an unknown file id.
   */
  private photoFor(ref: string): Payload {
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
    ].map(([width, height]) => ({
      file_id: `fake-file-${this.nextFileId}`,
      file_unique_id: `u${this.nextFileId++}`,
      width,
      height,
    }));
    for (const size of sizes) this.photoFiles.set(size.file_id, sizes);
    return { photo: sizes };
  }

  private sendMedia(method: string, p: Payload): Record<string, unknown> {
    const field = MEDIA_FIELD[method] ?? "document";
    this.chatIdOf(p);
    if (p[field] === undefined || p[field] === "") throw badRequest(`there is no ${field} in the request`);
    const caption = p.caption === undefined ? undefined : String(p.caption);
    if (caption !== undefined) this.checkCaption(caption, p.parse_mode, p.caption_entities);
    const content: Partial<SentMessage> = { parse_mode: p.parse_mode as string | undefined };
    if (caption !== undefined) content.caption = caption;
    if (Array.isArray(p.caption_entities)) content.entities = p.caption_entities;
    const file =
      field === "photo" && typeof p.photo === "string" ? this.photoFor(p.photo) : this.fileFor(field);
    return this.messageObject(this.store(method, p, content, file));
  }

  private sourceOf(
    p: Payload,
    verb: string,
  ): { text?: string; caption?: string; parse_mode?: string; entities?: unknown[] } {
    const from = Number(p.from_chat_id);
    const id = Number(p.message_id);
    const bot = this.findMessage(from, id);
    if (bot && !bot.deleted) {
      const { text, caption, parse_mode, entities } = bot;
      return { text, caption, parse_mode, entities };
    }
    const user = this.userMessages.get(`${from}:${id}`);
    if (user && !user.deleted) return { text: user.text };
    throw badRequest(`message to ${verb} not found`);
  }

  private editable(p: Payload): SentMessage {
    if (p.inline_message_id !== undefined) throw badRequest("message to edit not found");
    const m = this.findMessage(this.chatIdOf(p), Number(p.message_id));
    if (!m || m.deleted) throw badRequest("message to edit not found");
    return m;
  }

  /** What "not modified" compares: the visible result, not the markup the bot happened to send. */
  private contentKey(m: Partial<SentMessage>): string {
    const text = m.text === undefined ? undefined : this.visible(m.text, m.parse_mode, m.entities);
    const caption = m.caption === undefined ? undefined : this.visible(m.caption, m.parse_mode, m.entities);
    return canonical({ text, caption, reply_markup: m.reply_markup });
  }

  private applyEdit(m: SentMessage, next: Partial<SentMessage>, rawMarkup: unknown): Record<string, unknown> {
    const markup = withoutEmptyKeyboard(rawMarkup);
    if (this.contentKey({ ...m, ...next, reply_markup: markup }) === this.contentKey(m)) {
      throw badRequest(
        "message is not modified: specified new message content and reply markup are exactly the same as a current content and reply markup of the message",
      );
    }
    Object.assign(m, next);
    // Telegram drops the inline keyboard when an edit omits reply_markup.
    if (markup === undefined) delete m.reply_markup;
    else m.reply_markup = markup;
    m.edits++;
    this.touch(m);
    return this.messageObject(m);
  }

  private deleteOne(chatId: number, messageId: number): boolean {
    const m = this.findMessage(chatId, messageId);
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

  private acknowledge(p: Payload): true {
    this.chatIdOf(p);
    return true;
  }

  // An empty text removes the one for that language (readers of it then see the default's).
  private setProfileText(field: string, limit: number, p: Payload): true {
    const text = String(p[field] ?? "");
    if (text.length > limit) throw badRequest(`${field} is too long`);
    const key = `${field}|${String(p.language_code ?? "")}`;
    if (text === "") this.profileTexts.delete(key);
    else this.profileTexts.set(key, text);
    return true;
  }

  private profileText(field: string, p: Payload): string {
    return this.profileTexts.get(`${field}|${String(p.language_code ?? "")}`) ?? "";
  }

  private commandsKey(p: Payload): string {
    return `${canonical(p.scope ?? { type: "default" })}|${String(p.language_code ?? "")}`;
  }

  private readonly handlers: Record<string, (p: Payload) => unknown> = {
    getUpdates: () => [],
    getMe: () => ({ ...BOT_USER }),
    getWebhookInfo: () => ({
      url: "",
      has_custom_certificate: false,
      pending_update_count: this.queue.length,
    }),
    deleteWebhook: (p) => {
      if (p.drop_pending_updates === true) this.queue = [];
      return true;
    },
    setWebhook: () => true,
    logOut: () => true,
    close: () => true,
    setMyCommands: (p) => {
      if (!Array.isArray(p.commands)) throw badRequest("can't parse BotCommand array");
      this.commands.set(this.commandsKey(p), p.commands);
      return true;
    },
    deleteMyCommands: (p) => this.commands.delete(this.commandsKey(p)) || true,
    getMyCommands: (p) => this.commands.get(this.commandsKey(p)) ?? [],
    setMyDescription: (p) => this.setProfileText("description", 512, p),
    setMyShortDescription: (p) => this.setProfileText("short_description", 120, p),
    getMyDescription: (p) => ({ description: this.profileText("description", p) }),
    getMyShortDescription: (p) => ({ short_description: this.profileText("short_description", p) }),
    setMyName: () => true,
    setChatMenuButton: () => true,
    answerCallbackQuery: (p) => {
      if (p.callback_query_id === undefined)
        throw badRequest("query is too old and response timeout expired or query ID is invalid");
      return true;
    },
    sendChatAction: (p) => {
      this.chatIdOf(p);
      if (!p.action) throw badRequest("action is empty");
      return true;
    },
    pinChatMessage: (p) => this.acknowledge(p),
    unpinChatMessage: (p) => this.acknowledge(p),
    leaveChat: (p) => this.acknowledge(p),
    getChat: (p) => {
      const name =
        typeof p.chat_id === "string" && p.chat_id.startsWith("@") ? p.chat_id.slice(1) : undefined;
      const byName = [...this.chats.values()].find((c) => name !== undefined && c.username === name);
      if (name !== undefined && !byName) throw badRequest("chat not found");
      const id = byName?.id ?? this.chatIdOf(p);
      return { ...this.chatObject(id), accent_color_id: 0, max_reaction_count: 11 };
    },
    getChatMember: (p) => {
      const chatId = this.chatIdOf(p);
      const userId = Number(p.user_id);
      if (!Number.isSafeInteger(userId) || userId <= 0) throw badRequest("invalid user_id specified");
      const status = this.members.get(`${chatId}:${userId}`) ?? "member";
      const user = this.userObject(userId);
      if (status === "creator") return { status, user, is_anonymous: false };
      if (status === "administrator") {
        return {
          status,
          user,
          can_be_edited: false,
          is_anonymous: false,
          can_manage_chat: true,
          can_delete_messages: true,
          can_manage_video_chats: false,
          can_restrict_members: true,
          can_promote_members: false,
          can_change_info: true,
          can_invite_users: true,
          can_post_stories: false,
          can_edit_stories: false,
          can_delete_stories: false,
          ...(this.chatType(chatId) === "channel"
            ? { can_post_messages: true, can_edit_messages: true }
            : {}),
        };
      }
      return { status, user };
    },
    sendMessage: (p) => {
      this.chatIdOf(p);
      this.checkText(p);
      const content: Partial<SentMessage> = {
        text: String(p.text),
        parse_mode: p.parse_mode as string | undefined,
      };
      if (Array.isArray(p.entities)) content.entities = p.entities;
      return this.messageObject(this.store("sendMessage", p, content));
    },
    sendPhoto: (p) => this.sendMedia("sendPhoto", p),
    sendVideo: (p) => this.sendMedia("sendVideo", p),
    sendDocument: (p) => this.sendMedia("sendDocument", p),
    sendAnimation: (p) => this.sendMedia("sendAnimation", p),
    sendAudio: (p) => this.sendMedia("sendAudio", p),
    sendVoice: (p) => this.sendMedia("sendVoice", p),
    sendSticker: (p) => this.sendMedia("sendSticker", p),
    sendMediaGroup: (p) => {
      this.chatIdOf(p);
      const media = p.media;
      if (!Array.isArray(media) || media.length < 2 || media.length > 10) {
        throw badRequest("wrong number of media in the media group, must be 2-10");
      }
      const items = media.map((raw: unknown) => {
        const item = (raw ?? {}) as Payload;
        if (item.media === undefined) throw badRequest("there is no media in the request");
        if (item.caption !== undefined)
          this.checkCaption(item.caption, item.parse_mode, item.caption_entities);
        return item;
      });
      const groupId = `mg-${this.nextFileId}`;
      return items.map((item) => {
        const content: Partial<SentMessage> = { parse_mode: item.parse_mode as string | undefined };
        if (item.caption !== undefined) content.caption = String(item.caption);
        const extra = { ...this.fileFor(String(item.type ?? "document")), media_group_id: groupId };
        return this.messageObject(this.store("sendMediaGroup", { chat_id: p.chat_id }, content, extra));
      });
    },
    copyMessage: (p) => {
      this.chatIdOf(p);
      const source = this.sourceOf(p, "copy");
      if (p.caption !== undefined && source.text === undefined) {
        this.checkCaption(p.caption, p.parse_mode, p.caption_entities);
        Object.assign(source, { caption: String(p.caption), parse_mode: p.parse_mode });
      }
      return { message_id: this.store("copyMessage", p, source).message_id };
    },
    forwardMessage: (p) => {
      this.chatIdOf(p);
      const source = this.sourceOf(p, "forward");
      const origin = { type: "chat", date: unixNow(), sender_chat: this.chatObject(Number(p.from_chat_id)) };
      return this.messageObject(this.store("forwardMessage", p, source, { forward_origin: origin }));
    },
    sendLocation: (p) => {
      this.chatIdOf(p);
      if (p.latitude === undefined || p.longitude === undefined)
        throw badRequest("wrong latitude or longitude");
      const location = { latitude: Number(p.latitude), longitude: Number(p.longitude) };
      return this.messageObject(this.store("sendLocation", p, {}, { location }));
    },
    sendPoll: (p) => {
      this.chatIdOf(p);
      if (!p.question) throw badRequest("poll question must be non-empty");
      if (!Array.isArray(p.options) || p.options.length < 2)
        throw badRequest("poll must have at least 2 option");
      const options = p.options.map((o: unknown) => ({
        text: typeof o === "string" ? o : String((o as Payload | null)?.text ?? ""),
        voter_count: 0,
      }));
      const poll = {
        id: `poll-${this.nextFileId++}`,
        question: String(p.question),
        options,
        total_voter_count: 0,
        is_closed: false,
        is_anonymous: p.is_anonymous !== false,
        type: p.type ?? "regular",
        allows_multiple_answers: p.allows_multiple_answers === true,
      };
      return this.messageObject(this.store("sendPoll", p, {}, { poll }));
    },
    sendDice: (p) => {
      this.chatIdOf(p);
      const dice = { emoji: String(p.emoji ?? "🎲"), value: 1 + Math.floor(Math.random() * 6) };
      return this.messageObject(this.store("sendDice", p, {}, { dice }));
    },
    editMessageText: (p) => {
      const m = this.editable(p);
      if (m.text === undefined) throw badRequest("there is no text in the message to edit");
      this.checkText(p);
      const entities = Array.isArray(p.entities) ? p.entities : undefined;
      return this.applyEdit(
        m,
        { text: String(p.text), parse_mode: p.parse_mode as string | undefined, entities },
        p.reply_markup,
      );
    },
    editMessageCaption: (p) => {
      const m = this.editable(p);
      if (m.text !== undefined || UNCAPTIONED.has(m.method))
        throw badRequest("there is no caption in the message to edit");
      this.checkCaption(p.caption, p.parse_mode, p.caption_entities);
      const entities = Array.isArray(p.caption_entities) ? p.caption_entities : undefined;
      const caption = p.caption === undefined ? undefined : String(p.caption);
      return this.applyEdit(
        m,
        { caption, parse_mode: p.parse_mode as string | undefined, entities },
        p.reply_markup,
      );
    },
    editMessageReplyMarkup: (p) => {
      const m = this.editable(p);
      return this.applyEdit(m, {}, p.reply_markup);
    },
    deleteMessage: (p) => {
      if (!this.deleteOne(this.chatIdOf(p), Number(p.message_id)))
        throw badRequest("message to delete not found");
      return true;
    },
    deleteMessages: (p) => {
      const chatId = this.chatIdOf(p);
      const ids = Array.isArray(p.message_ids) ? p.message_ids.map(Number) : [];
      const deleted = ids.filter((id) => this.deleteOne(chatId, id));
      if (deleted.length === 0) throw badRequest("message to delete not found");
      return true;
    },
  };

  private readonly methodNames = new Map(
    Object.keys(this.handlers).map((name) => [name.toLowerCase(), name]),
  );
}
