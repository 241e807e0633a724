import { parseArgs } from "node:util";
import type { Api } from "grammy";
import { DEFAULT_FOREIGN_AGENT_LABEL } from "../domain/label.ts";
// Paced in the product's own ticks.
import { TICK_MS } from "../store/rate-limiter.ts";
import { createApi } from "../telegram/create-api.ts";
import { FakeBotApiProcess } from "./fake-bot-api-process.ts";

export const FLOOR_USAGE = "usage: newsbell bench floor [--rate MSGS_PER_S] [--seconds N]";

/** An alert as delivery sends it: bold headline, teaser, link, then the label (added by the client). */
const ALERT_HTML =
  "<b>В Дагестане задержаны трое жителей по делу о нападении на полицейских</b>\n" +
  "Силовики задержали троих жителей Махачкалы, подозреваемых в причастности к нападению.\n" +
  '<a href="https://www.kavkaz-uzel.eu/articles/400001/">Читать</a>';
const LINK = { url: "https://www.kavkaz-uzel.eu/articles/400001/", show_above_text: false };
const CONCURRENCY = 100;

export interface FloorFigures {
  sends: number;
  cpuMsPerSend: number;
  perSecond: number;
}

async function measure(sends: number, run: () => Promise<void>): Promise<FloorFigures> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  await run();
  const used = process.cpuUsage(cpu);
  const seconds = (performance.now() - started) / 1000;
  return {
    sends,
    cpuMsPerSend: Number(((used.user + used.system) / 1000 / sends).toFixed(3)),
    perSecond: Math.round(sends / seconds),
  };
}

/** `rate` sends a second for `seconds`, woken in ticks: what delivery's sends cost with nothing else. */
function paced(api: Api, rate: number, seconds: number): Promise<FloorFigures> {
  const total = rate * seconds;
  return measure(total, async () => {
    const pending: Promise<unknown>[] = [];
    const start = performance.now();
    let sent = 0;
    await new Promise<void>((done) => {
      const tick = () => {
        const due = Math.min(total, Math.floor(((performance.now() - start) / 1000) * rate));
        while (sent < due) pending.push(send(api, 3_000_000 + sent++));
        if (sent < total) setTimeout(tick, TICK_MS);
        else done();
      };
      tick();
    });
    await Promise.all(pending);
  });
}

/** As fast as CONCURRENCY sends at a time go. */
function unlimited(api: Api, total: number): Promise<FloorFigures> {
  return measure(total, async () => {
    let next = 0;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < total) await send(api, 4_000_000 + next++);
      }),
    );
  });
}

function send(api: Api, chatId: number): Promise<unknown> {
  return api.sendMessage(chatId, ALERT_HTML, { parse_mode: "HTML", link_preview_options: LINK });
}

/**
 * The floor under delivery's cost per alert on this machine: a bare loop of labelled sendMessage
 * calls through the workers' own client (grammY, the label transformer, the lean fetch), against
 * the bench's fake Bot API in a process of its own, with no queue, ledger, limiter or Redis.
 * What `newsbell bench` measures above this is the product's own work.
 */
export async function runSendFloor(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { rate: { type: "string", default: "1000" }, seconds: { type: "string", default: "10" } },
  });
  const rate = Number(values.rate);
  const seconds = Number(values.seconds);
  if (!Number.isInteger(rate) || rate < 1 || rate > 10_000)
    throw new Error(`--rate must be 1 to 10000\n${FLOOR_USAGE}`);
  if (!Number.isInteger(seconds) || seconds < 1 || seconds > 600)
    throw new Error(`--seconds must be 1 to 600\n${FLOOR_USAGE}`);
  const fake = await FakeBotApiProcess.start({ lean: true });
  try {
    const api = createApi({
      botToken: "123456:FLOOR",
      telegramApiRoot: fake.apiRoot,
      label: DEFAULT_FOREIGN_AGENT_LABEL,
    });
    // Warm connections and code first, as the worker opens its connections before it takes work.
    await Promise.all(Array.from({ length: CONCURRENCY }, () => api.getMe()));
    await unlimited(api, 2000);
    const atRate = await paced(api, rate, seconds);
    const free = await unlimited(api, rate * seconds);
    const sent = await fake.report();
    const report = {
      rate,
      pacedCpuMsPerSend: atRate.cpuMsPerSend,
      pacedPerSecond: atRate.perSecond,
      unlimitedCpuMsPerSend: free.cpuMsPerSend,
      unlimitedPerSecond: free.perSecond,
      accepted: sent.accepted,
    };
    for (const [key, value] of Object.entries(report)) process.stdout.write(`${key.padEnd(24)} ${value}\n`);
    process.stdout.write(
      "(CPU of this process alone, which runs nothing but the sends; the fake Bot API runs in another.)\n",
    );
    process.stdout.write(`${JSON.stringify(report)}\n`);
  } finally {
    await fake.stop();
  }
}
