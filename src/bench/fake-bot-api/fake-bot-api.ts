import type { IncomingMessage, Server, ServerResponse } from "node:http";
import type { Update } from "grammy/types";
import { ApiError } from "./api-error.ts";
import { botMethods } from "./bot-methods.ts";
import { ChatState, type FakeChat, type FakeUser, type MemberStatus } from "./chat-state.ts";
import { answer, answerError, closeServer, listen, parseRoute, type RecordedCall } from "./http-server.ts";
import { Injections, type InjectRule } from "./injection.ts";
import { leanMethods } from "./lean-methods.ts";
import { MessageStore, type SentMessage } from "./message-store.ts";
import { PinBoard } from "./pin-methods.ts";
import { pollUntil } from "./poll-until.ts";
import { type FakeReaction, FakeReactions } from "./reactions.ts";
import { parsePayload } from "./request-payload.ts";
import { editMethods, type Handler, SEND_METHODS, sendMethods } from "./send-methods.ts";
import { type RateLimit, type SendReport, SendTally } from "./send-tally.ts";
import { UpdateQueue } from "./update-queue.ts";
import { UserActions } from "./user-actions.ts";

export interface FakeBotApiOptions {
  /** Refuse (401) requests with any other bot token. */
  token?: string;
  /** Answers 429 (retry_after 1) to a send that would make more than perSecond × (1 + slack) in 1 s. */
  rateLimit?: RateLimit;
  /** Upper bound for holding a long poll, whatever `timeout` the client asked for. Default 1500 ms. */
  longPollCapMs?: number;
  /**
   * For the bench: no calls recorded, and sendMessage and sendPhoto counted (see report()) rather
   * than kept, their HTML not parsed, their edits and deletes acknowledged; the fake's memory is
   * then a few numbers per chat.
   */
  lean?: boolean;
  /** Listen on this port (default: one the OS picks), e.g. to appear where an app already looks. */
  port?: number;
}

interface Method {
  name: string;
  isSend: boolean;
  handle: Handler;
}

/**
 * A Bot API over real HTTP on 127.0.0.1, for the e2e tests and the bench: updates by getUpdates,
 * sends, edits and deletes kept per chat and answered as Telegram shows them, chats and members,
 * Telegram's errors (injected, or earned: a blocked bot, a migrated group, a flood), and every
 * call recorded for the tests and the label audit.
 */
export class FakeBotApi {
  readonly calls: RecordedCall[] = [];
  private readonly chats = new ChatState();
  private readonly tally: SendTally;
  private readonly store: MessageStore;
  private readonly pins: PinBoard;
  private readonly updates: UpdateQueue;
  private readonly users: UserActions;
  private readonly reactions: FakeReactions;
  private readonly injections = new Injections();
  /** By lower-cased name: Telegram's method names are case-insensitive. */
  private readonly methods = new Map<string, Method>();
  private server: Server | undefined;
  private root = "";
  private stopped = false;

  private constructor(private readonly opts: FakeBotApiOptions) {
    this.tally = new SendTally(opts.rateLimit);
    this.store = new MessageStore(this.chats, this.tally);
    this.updates = new UpdateQueue(opts.longPollCapMs ?? 1500);
    this.users = new UserActions(this.chats, this.store, this.updates);
    this.reactions = new FakeReactions(this.chats, this.store, this.updates);
    this.pins = new PinBoard(this.store, this.chats);
    const handlers = {
      ...botMethods(this.chats, this.updates),
      ...sendMethods(this.store, this.chats),
      ...editMethods(this.store),
      ...this.pins.methods(),
      ...(opts.lean ? leanMethods(this.tally) : {}),
    };
    for (const [name, handle] of Object.entries(handlers))
      this.methods.set(name.toLowerCase(), { name, isSend: SEND_METHODS.has(name), handle });
  }

  static async start(opts: FakeBotApiOptions = {}): Promise<FakeBotApi> {
    const fake = new FakeBotApi(opts);
    const { server, root } = await listen(opts.port ?? 0, (req, res, body) => fake.handle(req, res, body));
    fake.server = server;
    fake.root = root;
    return fake;
  }

  get apiRoot(): string {
    return this.root;
  }

  get rateLimited429s(): number {
    return this.tally.rateLimited429s;
  }

  /** The sends accepted, as counts: what the bench reports. */
  report(): SendReport {
    return this.tally.report();
  }

  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    this.updates.stop();
    this.injections.releaseAll();
    // Give the released requests a turn to write their answers before their sockets go.
    await new Promise((resolve) => setImmediate(resolve));
    if (this.server) await closeServer(this.server);
  }

  // ---------- users and chats ----------

  /** With `threadId`, the message is written inside that topic of a forum. */
  sendText(from: FakeUser, text: string, chat?: FakeChat, threadId?: number): Update {
    return this.users.message(from, text, chat, threadId);
  }

  /**
   * `from` answers `to`, a message of the bot, with `text` as a reply to it: what a force_reply
   * prompt makes a client send, and what Telegram passes to a bot in privacy mode in a group.
   */
  replyTo(from: FakeUser, to: SentMessage, text: string): Update {
    return this.users.replyTo(from, to, text);
  }

  tapButton(from: FakeUser, message: SentMessage, data: string): Update {
    return this.users.tapButton(from, message, data);
  }

  /**
   * `from` sets their reactions to a message of the bot (an empty list takes them back). Telegram
   * tells the bot of a user's change in a private chat or a group where the bot is an admin, and
   * of a channel message's counts; in other groups, nothing (undefined).
   */
  react(from: FakeUser, message: SentMessage, reactions: readonly FakeReaction[]): Update | undefined {
    return this.reactions.react(from, message, reactions);
  }

  queueUpdate(partial: object): Update {
    return this.updates.push(partial);
  }

  // ---------- what the bot sent ----------

  messagesTo(chatId: number): SentMessage[] {
    return this.store.messagesTo(chatId);
  }

  /** The ids of the messages pinned in the chat now, oldest pin first. */
  pinnedIn(chatId: number): number[] {
    return this.pins.pinnedIn(chatId);
  }

  lastMessageTo(chatId: number): SentMessage | undefined {
    return this.messagesTo(chatId)
      .filter((m) => !m.deleted)
      .at(-1);
  }

  waitFor<T>(predicate: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
    return pollUntil(predicate, timeoutMs, () => {
      const recent = this.calls
        .slice(-10)
        .map((c) => `${c.method}(chat_id=${String(c.payload.chat_id ?? "-")}) → ${c.status}`);
      return `Last calls:\n  ${recent.join("\n  ")}`;
    });
  }

  /** Without `match`: the first message sent or edited after this call. With `match`: the latest one matching. */
  async waitForMessage(
    chatId: number,
    match?: (m: SentMessage) => boolean,
    timeoutMs = 5000,
  ): Promise<SentMessage> {
    const since = this.store.seq;
    const at = (m: SentMessage): number => this.store.touchedAt(m);
    try {
      return await this.waitFor(() => {
        const alive = this.messagesTo(chatId).filter((m) => !m.deleted);
        if (match) return alive.filter(match).sort((a, b) => at(b) - at(a))[0];
        return alive.filter((m) => at(m) > since).sort((a, b) => at(a) - at(b))[0];
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
    this.injections.add(rule);
  }

  blockChat(chatId: number): void {
    this.chats.block(chatId);
  }

  migrateChat(oldId: number, newId: number): void {
    this.chats.migrate(oldId, newId);
  }

  forgetChat(chatId: number): void {
    this.chats.forget(chatId);
  }

  setChatMemberStatus(chatId: number, userId: number, status: MemberStatus): void {
    this.chats.setMemberStatus(chatId, userId, status);
  }

  /** Gives or takes the bot's right to pin in a chat; by default an admin bot has it, a member not. */
  setBotCanPin(chatId: number, can: boolean): void {
    this.chats.setBotCanPin(chatId, can);
  }

  /** Answers a sendPhoto of this URL as Telegram does a picture it cannot take (400 with `description`). */
  refusePhotoUrl(url: string, description = "wrong type of the web page content"): void {
    this.store.refusePhotoUrl(url, description);
  }

  // ---------- channels and forum topics ----------

  /** Makes a chat known, e.g. a channel the bot can find by its @username with getChat. */
  addChat(chat: FakeChat): void {
    this.chats.addChat(chat);
  }

  /** Opens a topic in a forum; its thread id is the id of the message that created it, as in Telegram. */
  createTopic(chatId: number): number {
    const threadId = this.store.allocateId(chatId);
    this.chats.openTopic(chatId, threadId);
    return threadId;
  }

  /** Sends to a closed topic fail with TOPIC_CLOSED. */
  closeTopic(chatId: number, threadId: number): void {
    this.chats.closeTopic(chatId, threadId);
  }

  /** Sends to a deleted topic fail with "message thread not found". */
  deleteTopic(chatId: number, threadId: number): void {
    this.chats.deleteTopic(chatId, threadId);
  }

  /** `from` forwards a post of `channel` to the bot in their private chat. */
  forwardChannelPost(from: FakeUser, channel: FakeChat): Update {
    return this.users.forwardChannelPost(from, channel);
  }

  /**
   * `by` changes the bot's membership of a chat and Telegram tells the bot (my_chat_member); a bot
   * that left or was kicked is refused with 403 from then on.
   */
  setBotStatus(chatId: number, status: MemberStatus | "kicked", by: FakeUser): Update {
    return this.users.setBotStatus(chatId, status, by);
  }

  // ---------- HTTP ----------

  private handle(req: IncomingMessage, res: ServerResponse, body: Buffer | ApiError): void {
    const call: RecordedCall = { method: "", token: "", payload: {}, at: Date.now(), status: 0 };
    // Lean, the bench's million sends would otherwise be kept here.
    if (!this.opts.lean) this.calls.push(call);
    const route = parseRoute(req.url);
    try {
      if (typeof route === "string") call.method = route;
      else Object.assign(call, { method: route.method, token: route.token });
      if (body instanceof ApiError) throw body;
      call.payload = parsePayload(
        req.headers["content-type"],
        body,
        typeof route === "string" ? "" : route.query,
      );
      if (typeof route === "string") throw new ApiError(404, "Not Found");
      if (this.opts.token !== undefined && call.token !== this.opts.token)
        throw new ApiError(401, "Unauthorized");
      const method = this.methods.get(call.method.toLowerCase());
      if (!method) throw new ApiError(404, "Not Found: method not found");
      call.method = method.name;
      const rule = this.injections.take(method.name, call.payload.chat_id, method.isSend);
      if (rule?.delayMs) this.injections.delay(rule.delayMs, () => this.run(method, call, res, rule));
      else this.run(method, call, res, rule);
    } catch (err) {
      answerError(res, call, err);
    }
  }

  private run(method: Method, call: RecordedCall, res: ServerResponse, rule: InjectRule | undefined): void {
    try {
      if (rule?.error) throw Injections.errorOf(rule.error);
      const p = call.payload;
      if (p.chat_id !== undefined && p.chat_id !== "")
        this.chats.check(method.name, Number(p.chat_id), p.message_thread_id, method.isSend);
      if (method.name === "getUpdates") this.updates.getUpdates(call, res);
      else {
        if (method.isSend) this.tally.admit(Date.now());
        answer(res, call, 200, { ok: true, result: method.handle(p) });
      }
    } catch (err) {
      answerError(res, call, err);
    }
  }
}
