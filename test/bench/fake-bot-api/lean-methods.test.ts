import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBotApi } from "../../../src/bench/fake-bot-api/fake-bot-api.ts";
import { post } from "../../support/bot-api-answer.ts";

describe("the fake Bot API, lean, as the bench runs it", () => {
  let fake: FakeBotApi;
  beforeAll(async () => {
    fake = await FakeBotApi.start({ lean: true });
  });
  afterAll(async () => {
    await fake.stop();
  });

  it("numbers messages per chat and answers only what delivery reads", async () => {
    const first = await post(fake.apiRoot, "sendMessage", {
      chat_id: 1001,
      text: "<b>a</b>",
      parse_mode: "HTML",
    });
    const second = await post(fake.apiRoot, "sendMessage", { chat_id: 1001, text: "b" });
    const other = await post(fake.apiRoot, "sendPhoto", { chat_id: 1002, photo: "https://x.test/p.jpg" });
    expect(first.json.result).toEqual({
      message_id: 1,
      chat: { id: 1001, type: "private" },
      date: expect.any(Number),
    });
    expect(second.json.result?.message_id).toBe(2);
    expect(other.json.result?.message_id).toBe(1);
    expect(other.json.result?.photo).toHaveLength(2);
  });

  it("does not parse HTML: malformed HTML is counted as a send, as the bench wants its CPU spent on HTTP", async () => {
    const sent = await post(fake.apiRoot, "sendMessage", { chat_id: 1003, text: "<b>x", parse_mode: "HTML" });
    expect(sent.status).toBe(200);
  });

  it("keeps no calls and no messages, and acknowledges edits and deletes of what it did not keep", async () => {
    expect(
      await post(fake.apiRoot, "editMessageText", { chat_id: 1001, message_id: 1, text: "c" }),
    ).toMatchObject({ status: 200, json: { ok: true, result: true } });
    expect((await post(fake.apiRoot, "deleteMessage", { chat_id: 1001, message_id: 2 })).json.result).toBe(
      true,
    );
    expect(fake.calls).toEqual([]);
    expect(fake.messagesTo(1001)).toEqual([]);
  });
});
