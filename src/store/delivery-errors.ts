import type { Redis } from "ioredis";
import type { RedisKeys } from "./keys.ts";

export interface DeliveryError {
  /** ISO 8601, UTC. */
  at: string;
  seq: number;
  chatId: number;
  reason: string;
  /** Telegram's description or our own error's message; never a payload. */
  description: string;
}

const KEEP = 20;

/** The latest delivery errors, for admins' /stats: a short capped list, newest first. */
export class DeliveryErrorLog {
  constructor(
    private readonly redis: Redis,
    private readonly keys: RedisKeys,
  ) {}

  async record(error: DeliveryError): Promise<void> {
    const entry = { ...error, description: error.description.slice(0, 300) };
    await this.redis
      .multi()
      .lpush(this.keys.deliveryErrors, JSON.stringify(entry))
      .ltrim(this.keys.deliveryErrors, 0, KEEP - 1)
      .exec();
  }

  async latest(count = 5): Promise<DeliveryError[]> {
    const raw = await this.redis.lrange(this.keys.deliveryErrors, 0, Math.min(count, KEEP) - 1);
    return raw.flatMap((line) => {
      try {
        return [JSON.parse(line) as DeliveryError];
      } catch {
        return [];
      }
    });
  }
}
