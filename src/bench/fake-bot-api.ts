import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeBotApiOptions {
  /** Answers 429 (retry_after 1) to a send that would make more than perSecond × (1 + slack) in 1 s. */
  rateLimit?: { perSecond: number; slack?: number };
  /** The bench fake keeps no message texts anyway; accepted so callers may say so. */
  lean?: boolean;
}

/** What the benchmark needs to know of the sends the fake accepted. */
export interface SendReport {
  accepted: number;
  /** Each chat that got at least one send, with how many it got (more than one is a duplicate). */
  perChatCounts: [number, number][];
  firstAt: number;
  lastAt: number;
  /** The most sends accepted within any 1000 ms. */
  busiestSecond: number;
  rateLimited429s: number;
}

export interface FakeBotApi {
  readonly apiRoot: string;
  report(): SendReport;
  close(): Promise<void>;
}

/** The sends the rate applies to and that count as alerts delivered. */
const SEND_METHODS = new Set(["sendmessage", "sendphoto"]);
const BOT = { id: 7_000_000_001, is_bot: true, first_name: "Newsbell bench", username: "newsbell_bench_bot" };

class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}

/** Send times of the last 1000 ms, oldest first: a queue that drops from the front. */
class SecondWindow {
  private times: number[] = [];
  private head = 0;

  size(now: number): number {
    while (this.head < this.times.length && now - (this.times[this.head] as number) >= 1000) this.head++;
    // Drop the consumed front now and then, so the array stays about one second long.
    if (this.head > 4096 && this.head * 2 > this.times.length) {
      this.times = this.times.slice(this.head);
      this.head = 0;
    }
    return this.times.length - this.head;
  }

  push(now: number): void {
    this.times.push(now);
  }
}

function parseJson(body: string, type: string | undefined): Record<string, unknown> {
  if (body === "") return {};
  if (!type?.includes("json"))
    throw new ApiError(400, `Bad Request: the bench's fake Bot API takes JSON bodies, not ${type}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new ApiError(400, "Bad Request: the body is not valid JSON");
  }
  if (parsed && typeof parsed === "object" && !Array.isArray(parsed))
    return parsed as Record<string, unknown>;
  throw new ApiError(400, "Bad Request: the body is not a JSON object");
}

/**
 * A lean Bot API for the benchmark: getMe, sendMessage, sendPhoto and the edits and deletes of
 * the delivery path, the rate Telegram enforces (429 with retry_after), message ids per chat and
 * a count of sends per chat. It keeps no texts, so its memory is a few numbers per chat.
 */
export async function startFakeBotApi(options: FakeBotApiOptions = {}): Promise<FakeBotApi> {
  const perChat = new Map<number, number>();
  const window = new SecondWindow();
  const limit = options.rateLimit ? options.rateLimit.perSecond * (1 + (options.rateLimit.slack ?? 0)) : 0;
  let accepted = 0;
  let firstAt = Number.NaN;
  let lastAt = Number.NaN;
  let busiestSecond = 0;
  let rateLimited429s = 0;
  let nextFileId = 1;

  const chatIdOf = (p: Record<string, unknown>): number => {
    const id = typeof p.chat_id === "string" && p.chat_id !== "" ? Number(p.chat_id) : p.chat_id;
    if (id === undefined || id === null || id === "")
      throw new ApiError(400, "Bad Request: chat_id is empty");
    if (typeof id !== "number" || !Number.isSafeInteger(id))
      throw new ApiError(400, "Bad Request: chat not found");
    return id;
  };

  const send = (method: string, p: Record<string, unknown>): Record<string, unknown> => {
    const chatId = chatIdOf(p);
    const now = Date.now();
    const inLastSecond = window.size(now);
    if (limit > 0 && inLastSecond + 1 > limit) {
      rateLimited429s++;
      throw new ApiError(429, "Too Many Requests: retry after 1", { retry_after: 1 });
    }
    window.push(now);
    busiestSecond = Math.max(busiestSecond, inLastSecond + 1);
    accepted++;
    if (Number.isNaN(firstAt)) firstAt = now;
    lastAt = now;
    const count = (perChat.get(chatId) ?? 0) + 1;
    perChat.set(chatId, count);
    // Only what the delivery path reads (the message id, a photo's file ids): no text echoed back,
    // so the fake spends its CPU on HTTP, not on JSON.
    const message: Record<string, unknown> = {
      // Telegram numbers messages per chat; the bench sends nothing else, so the count serves.
      message_id: count,
      chat: { id: chatId, type: chatId > 0 ? "private" : "supergroup" },
      date: Math.floor(now / 1000),
    };
    if (method === "sendphoto") {
      const ref = String(p.photo ?? "");
      message.photo = [320, 1280].map((width) => ({
        file_id: /^https?:\/\//i.test(ref) ? `bench-file-${nextFileId++}` : ref,
        file_unique_id: `bench-unique-${width}`,
        width,
        height: (width * 3) / 4,
      }));
    }
    return message;
  };

  const dispatch = (url: string | undefined, body: string, type: string | undefined): unknown => {
    const route = /^\/bot[^/]*\/([^/?]+)/.exec(url ?? "");
    if (!route) throw new ApiError(404, "Not Found");
    const method = (route[1] as string).toLowerCase();
    const payload = parseJson(body, type);
    if (SEND_METHODS.has(method)) return send(method, payload);
    switch (method) {
      case "getme":
        return BOT;
      case "editmessagetext":
      case "editmessagecaption":
      case "deletemessage":
        chatIdOf(payload);
        return true;
      default:
        throw new ApiError(404, `Not Found: the bench's fake Bot API has no method ${route[1]}`);
    }
  };

  // Plain callbacks, no promises: per request the fake should cost little more than Node's HTTP.
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    res.on("error", () => {});
    let body = "";
    req.setEncoding("utf8");
    req.on("data", (chunk: string) => {
      body += chunk;
    });
    req.on("end", () => {
      let status = 200;
      let answer: string;
      try {
        answer = `{"ok":true,"result":${JSON.stringify(dispatch(req.url, body, req.headers["content-type"]))}}`;
      } catch (err) {
        const e = err instanceof ApiError ? err : new ApiError(500, `Internal Server Error: ${String(err)}`);
        status = e.code;
        answer = JSON.stringify({
          ok: false,
          error_code: e.code,
          description: e.description,
          ...(e.parameters ? { parameters: e.parameters } : {}),
        });
      }
      if (!res.destroyed) res.writeHead(status, { "content-type": "application/json" }).end(answer);
    });
  });
  // The workers keep their connections open between batches; the 5 s default would close them.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on("clientError", (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    apiRoot,
    report: () => ({
      accepted,
      perChatCounts: [...perChat.entries()],
      firstAt,
      lastAt,
      busiestSecond,
      rateLimited429s,
    }),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
