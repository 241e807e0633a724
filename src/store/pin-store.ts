import type { Redis } from "ioredis";
import type { RedisKeys } from "./keys.ts";
import { defineScript, readLua } from "./lua.ts";

const RECORD = readLua("record-pin");
const FORGET = readLua("forget-pin");

/** The breaking alert the bot pinned in a chat: its message and its article. */
export interface Pin {
  messageId: number;
  seq: number;
}

function decodePin(raw: string | null | undefined): Pin | undefined {
  const match = raw ? /^(\d+)\.(\d+)$/.exec(raw) : null;
  return match ? { messageId: Number(match[1]), seq: Number(match[2]) } : undefined;
}

/**
 * Which breaking alert the bot pinned in each group or channel that pins them, so that one stays
 * pinned at a time and the unpin after PIN_HOURS touches only the bot's own pin. Nothing else is
 * kept: the chat id, the message id and the article, for PIN_HOURS and a margin.
 */
export class PinStore {
  private readonly recordScript;
  private readonly forgetScript;

  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {
    this.recordScript = defineScript(redis, "newsbellRecordPin", RECORD);
    this.forgetScript = defineScript(redis, "newsbellForgetPin", FORGET);
  }

  /**
   * Makes `pin` the chat's pin, unless the chat's pin is of a newer article already; says which
   * was the chat's pin before (to unpin), or that the newer one stays (and `pin` is to unpin).
   */
  async record(
    chatId: number,
    pin: Pin,
    keepMs: number,
  ): Promise<{ recorded: true; previous?: Pin } | { recorded: false; newer: Pin }> {
    const [recorded, other] = (await this.recordScript(
      [this.keys.pin(chatId)],
      [pin.messageId, pin.seq, Math.max(1, Math.round(keepMs))],
    )) as [number, string];
    const previous = decodePin(other);
    if (recorded === 1) return previous ? { recorded: true, previous } : { recorded: true };
    return { recorded: false, newer: previous ?? pin };
  }

  async current(chatId: number): Promise<Pin | undefined> {
    return decodePin(await this.redis.get(this.keys.pin(chatId)));
  }

  /** Forgets the chat's pin if it is still of `messageId`; true when it was. */
  async forget(chatId: number, messageId: number): Promise<boolean> {
    return (await this.forgetScript([this.keys.pin(chatId)], [messageId])) === 1;
  }

  /** True the first time since the last clear: the chat is told once that the bot may not pin there. */
  async claimRefusalNotice(chatId: number): Promise<boolean> {
    return (await this.redis.set(this.keys.pinRefusalTold(chatId), "1", "NX")) === "OK";
  }

  /** A pin went through, or the setting changed: a later refusal is told again. */
  async clearRefusalNotice(chatId: number): Promise<void> {
    await this.redis.del(this.keys.pinRefusalTold(chatId));
  }
}
