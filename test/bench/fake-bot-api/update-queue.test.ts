import { Api } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { makeUser } from "../../../src/bench/fake-bot-api/chat-state.ts";
import { FakeBotApi } from "../../../src/bench/fake-bot-api/fake-bot-api.ts";
import { apiError } from "../../support/bot-api-answer.ts";

const TOKEN = "123:abc";

describe("FakeBotApi getUpdates", () => {
  let fake: FakeBotApi;
  let api: Api;

  beforeAll(async () => {
    fake = await FakeBotApi.start({ longPollCapMs: 1000 });
    api = new Api(TOKEN, { apiRoot: fake.apiRoot });
  });
  afterAll(async () => {
    await fake.stop();
  });

  it("keeps returning updates until an offset confirms them", async () => {
    const user = makeUser(100);
    const a = fake.sendText(user, "one");
    const b = fake.sendText(user, "two");
    expect(b.update_id).toBe(a.update_id + 1);
    expect((await api.getUpdates()).map((u) => u.message?.text)).toEqual(["one", "two"]);
    expect((await api.getUpdates({ limit: 1 })).map((u) => u.message?.text)).toEqual(["one"]);
    expect((await api.getUpdates({ offset: b.update_id })).map((u) => u.message?.text)).toEqual(["two"]);
    expect(await api.getUpdates({ offset: b.update_id + 1 })).toEqual([]);
    expect(await api.getUpdates()).toEqual([]);
  });

  it("holds a long poll until an update is queued", async () => {
    const started = Date.now();
    const poll = api.getUpdates({ timeout: 30 });
    await fake.waitFor(() => fake.calls.some((c) => c.method === "getUpdates" && c.status === 0));
    const queued = fake.sendText(makeUser(101), "wake up");
    const updates = await poll;
    expect(updates.map((u) => u.update_id)).toEqual([queued.update_id]);
    expect(Date.now() - started).toBeLessThan(900);
    await api.getUpdates({ offset: queued.update_id + 1 });
  });

  it("ends an idle long poll with an empty result after the timeout", async () => {
    const started = Date.now();
    expect(await api.getUpdates({ timeout: 1 })).toEqual([]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
  });

  it("answers the older of two concurrent long polls with 409 Conflict", async () => {
    const older = apiError(api.getUpdates({ timeout: 30 }));
    await fake.waitFor(() => fake.calls.some((c) => c.method === "getUpdates" && c.status === 0));
    await expect(api.getUpdates({ timeout: 0 })).resolves.toEqual([]);
    const err = await older;
    expect(err.error_code).toBe(409);
    expect(err.description).toMatch(/^Conflict: terminated by other getUpdates request/);
  });

  it("withholds update types outside allowed_updates", async () => {
    const msg = fake.sendText(makeUser(102), "text");
    const reaction = fake.queueUpdate({ message_reaction: { chat: { id: 102, type: "private" } } });
    expect((await api.getUpdates({ allowed_updates: ["message_reaction"] })).map((u) => u.update_id)).toEqual(
      [reaction.update_id],
    );
    expect((await api.getUpdates({ allowed_updates: [] })).map((u) => u.update_id)).toEqual([msg.update_id]);
    await api.getUpdates({ offset: reaction.update_id + 1 });
  });

  it("ends pending long polls with an empty result on stop", async () => {
    const other = await FakeBotApi.start();
    const poll = new Api(TOKEN, { apiRoot: other.apiRoot }).getUpdates({ timeout: 30 });
    await other.waitFor(() => other.calls.length > 0 && other.calls[0]?.status === 0);
    await other.stop();
    await expect(poll).resolves.toEqual([]);
  });
});
