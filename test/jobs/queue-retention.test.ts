import { type Job, type Queue, Worker } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { createQueues } from "../../src/delivery/queues.ts";
import { LEDGER_TTL_MS } from "../../src/store/delivery-ledger.ts";
import { redisKeys } from "../../src/store/keys.ts";
import { deletePrefix, SHARED_REDIS_URL, testPrefix } from "../support/redis.ts";

const prefix = testPrefix("retention");
const redis = new Redis(SHARED_REDIS_URL, { maxRetriesPerRequest: null });
const keys = redisKeys(prefix);
const queues = createQueues(redis, keys.bullPrefix);

afterAll(async () => {
  await queues.close();
  await deletePrefix(redis, prefix);
  redis.disconnect();
});

const HOUR = 3600 * 1000;

/** Fails one job of the queue for good and gives back its id. */
async function failOnce(queue: Queue, data: unknown): Promise<string> {
  const failed = new Promise<string>((resolve) => {
    const worker = new Worker(
      queue.name,
      async () => {
        throw new Error("Telegram unavailable");
      },
      { connection: redis, prefix: keys.bullPrefix },
    );
    worker.on("failed", (job: Job | undefined) => {
      void worker.close().then(() => resolve(job?.id ?? ""));
    });
  });
  await queue.add(queue.name, data, { attempts: 1 });
  return failed;
}

/** As if the job had failed `ms` ago. */
async function ageFailedJob(queue: Queue, jobId: string, ms: number) {
  const finishedOn = Date.now() - ms;
  await redis.zadd(`${keys.bullPrefix}:${queue.name}:failed`, finishedOn, jobId);
  await redis.hset(`${keys.bullPrefix}:${queue.name}:${jobId}`, "finishedOn", finishedOn);
}

describe("failed jobs and the 48 h ledger", () => {
  it.each([
    ["delivery", "deliver", { seq: 1, chatIds: [1] }],
    ["revision", "revisions", { seq: 1, revision: 1, editor: { chatId: 1, userId: 1, lang: "en" } }],
    ["fan-out", "fanout", { seq: 1 }],
  ] as const)(
    "keeps a failed %s job no longer than the ledger, so nobody can retry it into repeat alerts",
    async (_what, name, data) => {
      const queue: Queue = queues[name];
      const old = await failOnce(queue, data);
      await ageFailedJob(queue, old, LEDGER_TTL_MS + HOUR);
      const recent = await failOnce(queue, data);
      await ageFailedJob(queue, recent, LEDGER_TTL_MS - HOUR);
      await failOnce(queue, data);
      const kept = (await queue.getFailed()).map((j) => j.id);
      expect(kept).not.toContain(old);
      expect(kept).toContain(recent);
    },
  );
});
