import { isMainThread, parentPort, Worker, workerData } from "node:worker_threads";
import { FakeTelegram, type FakeTelegramOptions } from "./fake-telegram.ts";

/** What the benchmark needs to know of the sends the fake accepted. */
export interface SendReport {
  accepted: number;
  perChatCounts: [number, number][];
  firstAt: number;
  lastAt: number;
  busiestSecond: number;
  rateLimited429s: number;
}

function report(fake: FakeTelegram): SendReport {
  const sends = fake.calls.filter((c) => c.method === "sendMessage" && c.status === 200);
  const perChat = new Map<number, number>();
  for (const c of sends)
    perChat.set(Number(c.payload.chat_id), (perChat.get(Number(c.payload.chat_id)) ?? 0) + 1);
  let busiestSecond = 0;
  for (let lo = 0, hi = 0; hi < sends.length; hi++) {
    while ((sends[hi]?.at ?? 0) - (sends[lo]?.at ?? 0) >= 1000) lo++;
    busiestSecond = Math.max(busiestSecond, hi - lo + 1);
  }
  return {
    accepted: sends.length,
    perChatCounts: [...perChat.entries()],
    firstAt: sends[0]?.at ?? Number.NaN,
    lastAt: sends.at(-1)?.at ?? Number.NaN,
    busiestSecond,
    rateLimited429s: fake.rateLimited429s,
  };
}

/**
 * The fake Bot API on a thread of its own within this process, so the benchmark measures
 * what the worker can push rather than what one event loop can do for both sides.
 */
export class FakeTelegramThread {
  private constructor(
    private readonly worker: Worker,
    readonly apiRoot: string,
  ) {}

  static async start(options: FakeTelegramOptions): Promise<FakeTelegramThread> {
    // A thread starts without this process's TypeScript loader, so its entry registers tsx first.
    const entry = `import(${JSON.stringify(import.meta.resolve("tsx/esm/api"))}).then((tsx) => { tsx.register(); return import(${JSON.stringify(import.meta.url)}); });`;
    const worker = new Worker(entry, { eval: true, workerData: options });
    const apiRoot = await new Promise<string>((resolve, reject) => {
      worker.once("message", (m: { apiRoot: string }) => resolve(m.apiRoot));
      worker.once("error", reject);
    });
    return new FakeTelegramThread(worker, apiRoot);
  }

  report(): Promise<SendReport> {
    return new Promise((resolve) => {
      this.worker.once("message", (m: SendReport) => resolve(m));
      this.worker.postMessage("report");
    });
  }

  async stop(): Promise<void> {
    await this.worker.terminate();
  }
}

if (!isMainThread && parentPort) {
  const port = parentPort;
  const fake = await FakeTelegram.start(workerData as FakeTelegramOptions);
  port.on("message", (m) => {
    if (m === "report") port.postMessage(report(fake));
  });
  port.postMessage({ apiRoot: fake.apiRoot });
}
