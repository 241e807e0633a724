import { ApiError } from "./api-error.ts";

/** A fault a test arranges: the next `times` matching calls fail with `error` and/or answer `delayMs` late. */
export interface InjectRule {
  /** Absent: any send. */
  method?: string;
  chatId?: number;
  times?: number;
  error?: { code: 429; retryAfter: number } | { code: 403 | 400 | 500 | 502; description?: string };
  delayMs?: number;
}

const DEFAULT_DESCRIPTIONS = {
  400: "Bad Request",
  403: "Forbidden: bot was blocked by the user",
  500: "Internal Server Error",
  502: "Bad Gateway",
};

export class Injections {
  private readonly rules: (InjectRule & { left: number })[] = [];
  private readonly delays = new Set<() => void>();

  add(rule: InjectRule): void {
    this.rules.push({ ...rule, left: rule.times ?? 1 });
  }

  /** The first rule matching this call, used up once; `isSend` says whether `method` is a send. */
  take(method: string, chatId: unknown, isSend: boolean): InjectRule | undefined {
    if (this.rules.length === 0) return undefined;
    const id = typeof chatId === "number" ? chatId : Number(chatId);
    const index = this.rules.findIndex(
      (r) =>
        (r.method === undefined ? isSend : r.method === method) &&
        (r.chatId === undefined || r.chatId === id),
    );
    const rule = this.rules[index];
    if (!rule) return undefined;
    if (--rule.left <= 0) this.rules.splice(index, 1);
    return rule;
  }

  static errorOf(e: NonNullable<InjectRule["error"]>): ApiError {
    if (e.code === 429) {
      return new ApiError(429, `Too Many Requests: retry after ${e.retryAfter}`, {
        retry_after: e.retryAfter,
      });
    }
    return new ApiError(e.code, e.description ?? DEFAULT_DESCRIPTIONS[e.code]);
  }

  /** Calls `then` after `ms`, or at once when the fake stops (releaseAll). */
  delay(ms: number, then: () => void): void {
    const release = (): void => {
      clearTimeout(timer);
      this.delays.delete(release);
      then();
    };
    const timer = setTimeout(release, ms);
    this.delays.add(release);
  }

  releaseAll(): void {
    for (const release of this.delays) release();
  }
}
