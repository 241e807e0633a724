import { Api, InputFile } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBotApi } from "../../../src/bench/fake-bot-api/fake-bot-api.ts";
import { apiError, post } from "../../support/bot-api-answer.ts";

const TOKEN = "123:abc";

describe("FakeBotApi as seen through grammY's Api", () => {
  let fake: FakeBotApi;
  let api: Api;

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    api = new Api(TOKEN, { apiRoot: fake.apiRoot });
  });
  afterAll(async () => {
    await fake.stop();
  });

  it("answers getMe with the test bot user", async () => {
    const me = await api.getMe();
    expect(me).toMatchObject({
      id: 999000,
      is_bot: true,
      username: "newsbell_test_bot",
      can_join_groups: true,
    });
  });

  it("parses application/x-www-form-urlencoded bodies, including JSON-valued fields", async () => {
    const markup = JSON.stringify({ inline_keyboard: [[{ text: "Go", callback_data: "go" }]] });
    const body = new URLSearchParams({ chat_id: "11", text: "form", reply_markup: markup }).toString();
    const res = await post(fake.apiRoot, "sendMessage", body, "application/x-www-form-urlencoded");
    expect(res.status).toBe(200);
    expect(fake.calls.at(-1)?.payload).toEqual({
      chat_id: 11,
      text: "form",
      reply_markup: { inline_keyboard: [[{ text: "Go", callback_data: "go" }]] },
    });
    expect(fake.lastMessageTo(11)?.reply_markup.inline_keyboard[0][0].callback_data).toBe("go");
  });

  it("parses multipart uploads: a photo with a caption and a keyboard", async () => {
    const keyboard = { inline_keyboard: [[{ text: "Read", url: "https://example.org" }]] };
    const sent = await api.sendPhoto(12, new InputFile(Buffer.from("x"), "x.jpg"), {
      caption: "A <b>photo</b>",
      parse_mode: "HTML",
      reply_markup: keyboard,
    });
    expect(sent.caption).toBe("A photo");
    expect(sent.caption_entities).toEqual([{ type: "bold", offset: 2, length: 5 }]);
    const call = fake.calls.at(-1);
    expect(call?.method).toBe("sendPhoto");
    expect(call?.payload.chat_id).toBe(12);
    expect(call?.payload.caption).toBe("A <b>photo</b>");
    expect(call?.payload.reply_markup).toEqual(keyboard);
    const attach = String(call?.payload.photo);
    expect(attach).toMatch(/^attach:\/\//);
    expect(call?.payload[attach.slice("attach://".length)]).toEqual({ filename: "x.jpg", size: 1 });
    expect(fake.lastMessageTo(12)).toMatchObject({
      method: "sendPhoto",
      caption: "A <b>photo</b>",
      edits: 0,
    });
  });

  it("remembers commands per scope and language", async () => {
    await api.setMyCommands([{ command: "start", description: "Start" }], { language_code: "ru" });
    expect(await api.getMyCommands({ language_code: "ru" })).toEqual([
      { command: "start", description: "Start" },
    ]);
    expect(await api.getMyCommands()).toEqual([]);
  });

  it("rejects a wrong token with 401 when a token is configured", async () => {
    const strict = await FakeBotApi.start({ token: "1:right" });
    try {
      const err = await apiError(new Api("1:wrong", { apiRoot: strict.apiRoot }).getMe());
      expect(err.error_code).toBe(401);
      expect(err.description).toBe("Unauthorized");
      await expect(new Api("1:right", { apiRoot: strict.apiRoot }).getMe()).resolves.toBeTruthy();
    } finally {
      await strict.stop();
    }
  });
});

describe.each([
  ["full", false],
  ["lean", true],
])("FakeBotApi, %s, answering bad requests", (_mode, lean) => {
  let fake: FakeBotApi;
  beforeAll(async () => {
    fake = await FakeBotApi.start({ lean });
  });
  afterAll(async () => {
    await fake.stop();
  });

  it("answers an unknown method with 404 'method not found'", async () => {
    for (const method of ["sendTelepathy", "banChatMember"]) {
      expect(await post(fake.apiRoot, method, { chat_id: 1 })).toEqual({
        status: 404,
        json: { ok: false, error_code: 404, description: "Not Found: method not found" },
      });
    }
  });

  it("answers garbage JSON and a send without chat_id with 400, counts neither and keeps serving", async () => {
    const garbage = await post(fake.apiRoot, "sendMessage", "{not json");
    expect(garbage.status).toBe(400);
    expect(garbage.json).toMatchObject({ ok: false, error_code: 400 });
    expect(await post(fake.apiRoot, "sendMessage", { text: "no chat" })).toMatchObject({
      status: 400,
      json: { ok: false, description: "Bad Request: chat_id is empty" },
    });
    expect((await post(fake.apiRoot, "getMe", {})).json.result).toMatchObject({ id: 999000, is_bot: true });
    expect(fake.report().accepted).toBe(0);
  });
});
