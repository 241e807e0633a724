import type { ServerResponse } from "node:http";
import type { Update } from "grammy/types";
import { ApiError } from "./api-error.ts";
import { answer, answerError, type RecordedCall } from "./http-server.ts";

// Telegram withholds these unless a bot asks for them explicitly.
const OPT_IN_UPDATES = new Set(["chat_member", "message_reaction", "message_reaction_count"]);

interface PendingPoll {
  res: ServerResponse;
  call: RecordedCall;
  limit: number;
  timer: NodeJS.Timeout;
}

/** The updates waiting for the bot, and getUpdates: confirmed by offset, held by a long poll. */
export class UpdateQueue {
  private queue: Update[] = [];
  private allowedUpdates: Set<string> | undefined;
  private pendingPoll: PendingPoll | undefined;
  private nextUpdateId = 100_000;
  private stopped = false;

  /** `longPollCapMs` bounds how long a poll is held, whatever `timeout` the client asked for. */
  constructor(private readonly longPollCapMs: number) {}

  get pending(): number {
    return this.queue.length;
  }

  /** The id the next update will get. */
  get nextId(): number {
    return this.nextUpdateId;
  }

  dropPending(): void {
    this.queue = [];
  }

  push(partial: object): Update {
    const update = { ...partial, update_id: this.nextUpdateId++ } as Update;
    this.queue.push(update);
    const poll = this.pendingPoll;
    if (poll) {
      const ready = this.deliverable(poll.limit);
      if (ready.length > 0) this.answerPoll(poll, ready);
    }
    return update;
  }

  /** Ends a held poll with no updates; later polls are answered at once. */
  stop(): void {
    this.stopped = true;
    const poll = this.pendingPoll;
    if (poll) this.answerPoll(poll, []);
  }

  getUpdates(call: RecordedCall, res: ServerResponse): void {
    const p = call.payload;
    const offset = Number(p.offset ?? 0);
    if (offset > 0) this.queue = this.queue.filter((u) => u.update_id >= offset);
    else if (offset < 0) this.queue = this.queue.slice(offset);
    if (Array.isArray(p.allowed_updates)) {
      this.allowedUpdates = p.allowed_updates.length > 0 ? new Set(p.allowed_updates.map(String)) : undefined;
    }
    this.endOlderPoll();
    const limit = Math.min(Math.max(Number(p.limit ?? 100) || 100, 1), 100);
    const ready = this.deliverable(limit);
    const timeoutMs = Number(p.timeout ?? 0) * 1000;
    if (ready.length > 0 || !(timeoutMs > 0) || this.stopped) {
      answer(res, call, 200, { ok: true, result: ready });
      return;
    }
    const holdMs = Math.min(timeoutMs, this.longPollCapMs);
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

  private endOlderPoll(): void {
    const older = this.pendingPoll;
    if (!older) return;
    clearTimeout(older.timer);
    this.pendingPoll = undefined;
    // grammY's bot.stop aborts its poll and polls again at once; waiting for the abort to land
    // keeps 409 for polls that are really still competing.
    const conflict = new ApiError(
      409,
      "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
    );
    setTimeout(() => {
      if (older.call.status === 0) answerError(older.res, older.call, conflict);
    }, 25);
  }

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
    answer(poll.res, poll.call, 200, { ok: true, result: updates });
  }
}
