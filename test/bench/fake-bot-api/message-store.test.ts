import { Api } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBotApi } from "../../../src/bench/fake-bot-api/fake-bot-api.ts";
import { apiError } from "../../support/bot-api-answer.ts";

describe("the fake Bot API's messages: sent, edited and deleted", () => {
  let fake: FakeBotApi;
  let api: Api;

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    api = new Api("123:abc", { apiRoot: fake.apiRoot });
  });
  afterAll(async () => {
    await fake.stop();
  });

  it("requires non-empty text like Telegram", async () => {
    const err = await apiError(api.sendMessage(10, "  "));
    expect(err.error_code).toBe(400);
    expect(err.description).toBe("Bad Request: message text is empty");
  });

  it("gives every chat its own increasing message ids", async () => {
    const a1 = await api.sendMessage(21, "one");
    const a2 = await api.sendMessage(21, "two");
    const b1 = await api.sendMessage(22, "other chat");
    expect([a1.message_id, a2.message_id, b1.message_id]).toEqual([1, 2, 1]);
    expect(a1.chat).toEqual({ id: 21, type: "private", first_name: "User21" });
  });

  it("rejects a plain message over 4096 characters and a caption over 1024", async () => {
    const long = await apiError(api.sendMessage(31, "x".repeat(4097)));
    expect(long.description).toBe("Bad Request: message is too long");
    const caption = await apiError(api.sendPhoto(31, "file-id", { caption: "y".repeat(1025) }));
    expect(caption.description).toBe("Bad Request: message caption is too long");
    expect(fake.messagesTo(31)).toEqual([]);
  });

  it("edits text and keyboard, counts edits, and refuses a no-op edit", async () => {
    const keyboard = { inline_keyboard: [[{ text: "A", callback_data: "a" }]] };
    const sent = await api.sendMessage(40, "<b>v1</b>", { parse_mode: "HTML", reply_markup: keyboard });
    const edited = await api.editMessageText(40, sent.message_id, "<b>v2</b>", {
      parse_mode: "HTML",
      reply_markup: keyboard,
    });
    expect(edited).toMatchObject({ text: "v2", entities: [{ type: "bold", offset: 0, length: 2 }] });
    expect(fake.lastMessageTo(40)).toMatchObject({ text: "<b>v2</b>", edits: 1, reply_markup: keyboard });

    const same = await apiError(
      api.editMessageText(40, sent.message_id, "<b>v2</b>", { parse_mode: "HTML", reply_markup: keyboard }),
    );
    expect(same.description).toMatch(/^Bad Request: message is not modified: specified new message content/);

    await api.editMessageReplyMarkup(40, sent.message_id, {
      reply_markup: { inline_keyboard: [[{ text: "B", callback_data: "b" }]] },
    });
    expect(fake.lastMessageTo(40)?.reply_markup.inline_keyboard[0][0].text).toBe("B");
    expect(fake.lastMessageTo(40)?.edits).toBe(2);
  });

  it("drops the inline keyboard when editMessageText omits reply_markup", async () => {
    const sent = await api.sendMessage(41, "pick", {
      reply_markup: { inline_keyboard: [[{ text: "A", callback_data: "a" }]] },
    });
    await api.editMessageText(41, sent.message_id, "picked");
    expect(fake.lastMessageTo(41)?.reply_markup).toBeUndefined();
  });

  it("treats an empty inline keyboard as no keyboard, so removing it twice is not modified", async () => {
    const sent = await api.sendMessage(45, "pick", {
      reply_markup: { inline_keyboard: [[{ text: "A", callback_data: "a" }]] },
    });
    await api.editMessageReplyMarkup(45, sent.message_id, { reply_markup: { inline_keyboard: [] } });
    expect(fake.lastMessageTo(45)?.reply_markup).toBeUndefined();
    const again = await apiError(api.editMessageReplyMarkup(45, sent.message_id));
    expect(again.description).toMatch(/^Bad Request: message is not modified/);
  });

  it("refuses to edit a message that does not exist", async () => {
    const err = await apiError(api.editMessageText(42, 777, "nope"));
    expect(err.description).toBe("Bad Request: message to edit not found");
  });

  it("marks deleted messages and refuses to delete or edit them again", async () => {
    const first = await api.sendMessage(43, "first");
    const second = await api.sendMessage(43, "second");
    await expect(api.deleteMessage(43, second.message_id)).resolves.toBe(true);
    expect(fake.messagesTo(43).map((m) => [m.text, m.deleted ?? false])).toEqual([
      ["first", false],
      ["second", true],
    ]);
    expect(fake.lastMessageTo(43)?.message_id).toBe(first.message_id);
    expect((await apiError(api.deleteMessage(43, second.message_id))).description).toBe(
      "Bad Request: message to delete not found",
    );
    expect((await apiError(api.editMessageText(43, second.message_id, "x"))).description).toBe(
      "Bad Request: message to edit not found",
    );
  });

  it("sends media groups with a caption per item", async () => {
    const sent = await api.sendMediaGroup(44, [
      { type: "photo", media: "id-1", caption: "<i>one</i>", parse_mode: "HTML" },
      { type: "photo", media: "id-2" },
    ]);
    expect(sent.map((m) => m.message_id)).toEqual([1, 2]);
    expect(sent[0]?.caption).toBe("one");
    expect(fake.messagesTo(44).map((m) => m.caption)).toEqual(["<i>one</i>", undefined]);
  });

  it("answers a photo sent again by a file_id it gave with the same sizes, and refuses marked URLs", async () => {
    const first = await api.sendPhoto(46, "https://example.org/a.jpg");
    const ids = first.photo.map((s) => s.file_id);
    expect(ids).toHaveLength(3);
    const again = await api.sendPhoto(47, ids.at(-1) as string);
    expect(again.photo.map((s) => s.file_id)).toEqual(ids);
    fake.refusePhotoUrl("https://example.org/b.jpg");
    const refused = await apiError(api.sendPhoto(46, "https://example.org/b.jpg"));
    expect(refused.description).toBe("Bad Request: wrong type of the web page content");
  });
});
