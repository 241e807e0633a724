import { describe, expect, it } from "vitest";
import { FakeBotApiProcess } from "../../src/bench/fake-bot-api-process.ts";
import { post } from "../support/bot-api-answer.ts";

describe("FakeBotApiProcess", () => {
  it("runs the fake in a process of its own, so the bench's CPU and RSS are the product's alone", async () => {
    const fake = await FakeBotApiProcess.start({ lean: true, rateLimit: { perSecond: 100 } });
    try {
      expect(fake.pid).toBeDefined();
      expect(fake.pid).not.toBe(process.pid);
      expect((await post(fake.apiRoot, "sendMessage", { chat_id: 7, text: "x" })).status).toBe(200);
      const report = await fake.report();
      expect(report.accepted).toBe(1);
      expect(report.perChatCounts).toEqual([[7, 1]]);
    } finally {
      await fake.stop();
    }
    await expect(fetch(`${fake.apiRoot}/bot1:x/getMe`)).rejects.toThrow();
  });
});
