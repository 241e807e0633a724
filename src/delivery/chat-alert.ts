import type { InlineKeyboardMarkup } from "grammy/types";
import type { Article } from "../domain/article.ts";
import type { ChatSettings } from "../domain/chat.ts";
import { migrateChat } from "../store/chat-migration.ts";
import type { Outcome } from "../store/delivery-ledger.ts";
import { LockLost } from "../store/rate-limiter.ts";
import { type AlertForm, TEXT_ALERT } from "./alert-picture.ts";
import { type Claim, targetClaims } from "./deliver-claim.ts";
import type { BatchRun, DeliverDeps } from "./deliver-deps.ts";
import {
  exhaustedSend,
  handleFailure,
  type NextStep,
  SEND_TRIES,
  type SendTries,
} from "./deliver-failure.ts";
import type { DeliveryCache } from "./delivery-cache.ts";
import { type AlertSender, alertLinks } from "./send-alert.ts";
import { type PolicedSend, type Readiness, SLOT_MISSED, sendUnderPolicy } from "./send-under-policy.ts";

/** What one chat's alert goes out with, read once its slot is in hand. */
interface Ready {
  revision: number;
  /** The article as this chat sees it: its link through the mirrors. */
  article: Article;
  markup: { reply_markup?: InlineKeyboardMarkup };
}

/** What one chat's alert comes to: an outcome, or none when the ledger has one already. */
type ChatOutcome = Outcome | undefined;

/** What the alerts of one worker process share. */
export interface AlertContext {
  deps: DeliverDeps;
  cache: DeliveryCache;
  alerts: AlertSender;
}

/**
 * One chat's alert of a batch, sent under the send policy (sendUnderPolicy). Before each try the
 * ledger is claimed (a group gets an article once, under its old or new id) and the alert's form
 * chosen (a photo, or text); with the slot in hand the article's control is read, so an editor's
 * cancel reaches sends already waiting for their slot.
 */
export class ChatAlert implements PolicedSend<Ready, ChatOutcome> {
  private to: ChatSettings;
  private readonly claim: (target: ChatSettings) => Promise<Claim>;
  private readonly tries: SendTries;
  private form: AlertForm = TEXT_ALERT;
  /** The chat takes no pictures (a group that forbids media): it gets the text alert. */
  private textOnly = false;

  constructor(
    private readonly ctx: AlertContext,
    private readonly run: BatchRun,
    chatId: number,
    private readonly chat: ChatSettings,
  ) {
    this.to = chat;
    this.claim = targetClaims(ctx.deps.deliveries, run.seq, chatId);
    this.tries = { seq: run.seq, chatId, lastTry: run.lastTry, ambiguousCounted: false };
  }

  /** Sends the alert: its outcome, or undefined when another send of it has one already. */
  send(): Promise<ChatOutcome> {
    const { deps } = this.ctx;
    return sendUnderPolicy(
      {
        limiter: deps.limiter,
        stopping: deps.stopping,
        tries: SEND_TRIES,
        slots: this.run.slots,
        onRateLimited: deps.events?.onRateLimited?.bind(deps.events),
      },
      this,
    );
  }

  target() {
    return { id: this.to.id, isGroup: this.to.kind !== "private" };
  }

  async beforeSlot(): Promise<{ settle: ChatOutcome } | undefined> {
    if (this.run.lockLost) throw new LockLost();
    const claimed = await this.claim(this.to);
    if (claimed === "moved") return { settle: { kind: "skipped", reason: "moved" } };
    if (claimed === "done") return { settle: undefined };
    this.form = this.textOnly ? TEXT_ALERT : await this.ctx.alerts.form(this.run.seq, this.run.item);
    return undefined;
  }

  async ready(validUntil: number): Promise<Readiness<Ready, ChatOutcome>> {
    const { seq, item } = this.run;
    const { cache, deps } = this.ctx;
    const ctl = await cache.control(seq);
    if (ctl.stopped) return { settle: { kind: "skipped", reason: "cancelled" } };
    const stored = (await cache.article(seq, ctl.revision)) ?? item;
    // The mirror map is kept in the process for a second: no round trip per send.
    const mirrors = await deps.mirrors.current();
    const { article, markup } = await alertLinks(seq, stored, this.to.id, this.chat.lang, mirrors, deps);
    // Sent now, it would go out with the sends of later slots (the reads after the slot were
    // slow, or the process stalled), and the job's lock may have lapsed meanwhile: a new slot
    // keeps the pace and asks Redis whose the job is. (Digests and revisions hold no job lock
    // that a late send could outlive, and do not ask.)
    if (performance.now() >= validUntil) return SLOT_MISSED;
    return { go: { revision: ctl.revision, article, markup } };
  }

  async call({ revision, article, markup }: Ready): Promise<ChatOutcome> {
    const { seq } = this.run;
    const { cache, alerts, deps } = this.ctx;
    const started = performance.now();
    const sent = await alerts.send(
      seq,
      this.to,
      article,
      this.form,
      {
        text: () => cache.render(seq, revision, article, this.chat, "text") ?? "",
        caption: () => cache.render(seq, revision, article, this.chat, "caption"),
      },
      { silent: this.run.silent.has(this.tries.chatId), markup },
    );
    deps.events?.onSent?.((performance.now() - started) / 1000);
    return { kind: "sent", ...sent, chatId: this.to.id };
  }

  async failed(error: unknown): Promise<NextStep> {
    const asText = await this.ctx.alerts.afterFailure(this.run.seq, this.form, error);
    if (asText) {
      this.textOnly ||= asText === "chat";
      // The picture failed, not the chat: the text alert goes now and uses up no try.
      return { next: "again" };
    }
    return handleFailure(error, this.tries, this.to.id, this.ctx.deps);
  }

  exhausted(): Outcome {
    return exhaustedSend(this.tries);
  }

  /**
   * A group became a supergroup mid-send: it migrates, and the send goes on at its new id, noted
   * first so that this article's fan-out does not queue it as well.
   */
  async moveTo(to: number): Promise<void> {
    const { deps } = this.ctx;
    const from = this.to;
    await deps.deliveries.noteMovedChat(this.run.seq, to);
    await migrateChat(deps, from.id, to);
    deps.logger.info({ from: from.id, to }, "group migrated to a supergroup; subscriptions moved");
    this.to = (await deps.chats.get(to)) ?? { ...from, id: to, kind: "group" };
  }

  /** The forum topic is gone: the same alert goes to General. */
  toGeneral(): void {
    this.to = { ...this.to, threadId: undefined };
  }

  afterTry(): Promise<void> {
    return this.ctx.alerts.release(this.run.seq, this.form);
  }
}
