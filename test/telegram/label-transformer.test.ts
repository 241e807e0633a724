import { InputFile } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBotApi } from "../../src/bench/fake-bot-api/fake-bot-api.ts";
import { DEFAULT_FOREIGN_AGENT_LABEL } from "../../src/domain/label.ts";
import { createApi } from "../../src/telegram/create-api.ts";
import { CALLBACK_ANSWER_LIMIT, UnlabelledSendError } from "../../src/telegram/label-transformer.ts";
import { recordForAudit } from "../support/label-audit.ts";

const BOLD_LABEL = `<b>${DEFAULT_FOREIGN_AGENT_LABEL}</b>`;
let fake: FakeBotApi;
let api: ReturnType<typeof createApi>;

beforeAll(async () => {
  fake = await FakeBotApi.start();
  api = createApi({ botToken: "1:test", telegramApiRoot: fake.apiRoot, label: DEFAULT_FOREIGN_AGENT_LABEL });
});
afterAll(async () => {
  recordForAudit("label-transformer", fake.calls);
  await fake.stop();
});

const lastPayload = (method: string) => fake.calls.filter((c) => c.method === method).at(-1)?.payload;

/** The error a call was refused with; fails the test when the call went through or failed otherwise. */
async function refusal(call: Promise<unknown>): Promise<UnlabelledSendError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(UnlabelledSendError);
  return error as UnlabelledSendError;
}

describe("the label transformer on an Api", () => {
  it("puts the bold label first in a plain text message, escaping the text", async () => {
    await api.sendMessage(1, "a < b & c");
    expect(lastPayload("sendMessage")).toMatchObject({
      text: `${BOLD_LABEL}\na &lt; b &amp; c`,
      parse_mode: "HTML",
    });
  });

  it("labels the caption of a photo, even when none was given", async () => {
    await api.sendPhoto(1, new InputFile(Buffer.from("x"), "x.jpg"));
    expect(lastPayload("sendPhoto")?.caption).toBe(BOLD_LABEL);
  });

  it("labels the first caption of an album and a replaced media's caption", async () => {
    await api.sendMediaGroup(1, [
      { type: "photo", media: "https://x.test/1.jpg", caption: "one" },
      { type: "photo", media: "https://x.test/2.jpg" },
    ]);
    const media = lastPayload("sendMediaGroup")?.media as { caption?: string }[];
    expect(media[0]?.caption).toBe(`${BOLD_LABEL}\none`);
    const sent = await api.sendMessage(1, "to be replaced");
    await api
      .editMessageMedia(1, sent.message_id, { type: "photo", media: "https://x.test/3.jpg", caption: "new" })
      .catch(() => undefined);
    const replaced = lastPayload("editMessageMedia")?.media as { caption?: string } | undefined;
    expect(replaced?.caption).toBe(`${BOLD_LABEL}\nnew`);
  });

  it("labels every captioned item of a document or audio album, where each caption is a message", async () => {
    for (const type of ["document", "audio"] as const) {
      const album = [
        { type, media: "https://x.test/1.pdf", caption: "one" },
        { type, media: "https://x.test/2.pdf" },
        { type, media: "https://x.test/3.pdf", caption: "three", parse_mode: "HTML" },
      ] as Parameters<typeof api.sendMediaGroup>[1];
      await api.sendMediaGroup(1, album);
      const media = lastPayload("sendMediaGroup")?.media as { caption?: string }[];
      expect(media.map((m) => m.caption)).toEqual([`${BOLD_LABEL}\none`, undefined, `${BOLD_LABEL}\nthree`]);
    }
  });

  it("labels a photo album's first item even when only a later one has a caption", async () => {
    await api.sendMediaGroup(1, [
      { type: "photo", media: "https://x.test/1.jpg" },
      { type: "photo", media: "https://x.test/2.jpg", caption: "two" },
    ]);
    const media = lastPayload("sendMediaGroup")?.media as { caption?: string }[];
    expect(media.map((m) => m.caption)).toEqual([BOLD_LABEL, `${BOLD_LABEL}\ntwo`]);
  });

  it("never lets a link preview stand above the label, and keeps the other preview options", async () => {
    await api.sendMessage(1, "https://x.test/a", {
      link_preview_options: { show_above_text: true, prefer_large_media: true },
    });
    expect(lastPayload("sendMessage")?.link_preview_options).toEqual({ prefer_large_media: true });
    const sent = await api.sendMessage(1, "to edit");
    await api.editMessageText(1, sent.message_id, "https://x.test/b", {
      link_preview_options: { show_above_text: true },
    });
    expect(lastPayload("editMessageText")?.link_preview_options).toEqual({});
  });

  it("reads parse_mode in any case, as Telegram does, so a label in place is not added twice", async () => {
    await api.sendMessage(1, `${BOLD_LABEL}\n<i>body</i>`, { parse_mode: "html" as "HTML" });
    expect(lastPayload("sendMessage")).toMatchObject({
      text: `${BOLD_LABEL}\n<i>body</i>`,
      parse_mode: "HTML",
    });
  });

  it("puts the bold label first in an HTML message, keeping its markup", async () => {
    await api.sendMessage(1, "<i>Breaking</i> &amp; news", { parse_mode: "HTML" });
    expect(lastPayload("sendMessage")).toMatchObject({
      text: `${BOLD_LABEL}\n<i>Breaking</i> &amp; news`,
      parse_mode: "HTML",
    });
  });

  it("refuses legacy Markdown in a text or a caption, before anything reaches Telegram", async () => {
    const before = fake.calls.length;
    const text = await refusal(api.sendMessage(1, "*body*", { parse_mode: "Markdown" }));
    const caption = await refusal(
      api.sendPhoto(1, "https://x.test/1.jpg", { caption: "*body*", parse_mode: "Markdown" }),
    );
    expect(text.message).toBe(
      'sendMessage refused: newsbell sends HTML or plain text only, never parse_mode "Markdown"',
    );
    expect(caption.message).toBe(
      'sendPhoto refused: newsbell sends HTML or plain text only, never parse_mode "Markdown"',
    );
    expect(fake.calls.length).toBe(before);
  });

  it("refuses MarkdownV2 in any case, in a message or an album, before anything reaches Telegram", async () => {
    const before = fake.calls.length;
    const text = await refusal(api.sendMessage(1, "_body_", { parse_mode: "MarkdownV2" }));
    const album = await refusal(
      api.sendMediaGroup(1, [
        {
          type: "photo",
          media: "https://x.test/1.jpg",
          caption: "_one_",
          parse_mode: "markdownv2" as "HTML",
        },
      ]),
    );
    expect(text.message).toBe(
      'sendMessage refused: newsbell sends HTML or plain text only, never parse_mode "MarkdownV2"',
    );
    expect(album.message).toBe(
      'sendMediaGroup refused: newsbell sends HTML or plain text only, never parse_mode "markdownv2"',
    );
    expect(fake.calls.length).toBe(before);
  });

  it("refuses a parse_mode Telegram does not know, before anything reaches Telegram", async () => {
    const before = fake.calls.length;
    await expect(api.sendMessage(1, "x", { parse_mode: "markdown3" as "HTML" })).rejects.toThrow(
      UnlabelledSendError,
    );
    await expect(
      api.sendMediaGroup(1, [
        { type: "document", media: "https://x.test/1.pdf" },
        { type: "document", media: "https://x.test/2.pdf", caption: "x", parse_mode: "htm" as "HTML" },
      ]),
    ).rejects.toThrow(UnlabelledSendError);
    expect(fake.calls.length).toBe(before);
  });

  it("answers a button tap with a toast, never an alert box, within Telegram's 200 characters", async () => {
    await api.answerCallbackQuery("q1", { text: "Only admins", show_alert: true });
    expect(lastPayload("answerCallbackQuery")).toEqual({ callback_query_id: "q1", text: "Only admins" });
    await api.answerCallbackQuery("q2", { text: "word ".repeat(60) });
    const text = lastPayload("answerCallbackQuery")?.text as string;
    expect(text.length).toBeLessThanOrEqual(CALLBACK_ANSWER_LIMIT);
    expect(text.endsWith("word…")).toBe(true);
  });

  it("lets the bot's description through only when it opens with the label", async () => {
    await api.setMyDescription(`${DEFAULT_FOREIGN_AGENT_LABEL}\nNews alerts`, { language_code: "en" });
    expect(lastPayload("setMyDescription")?.description).toBe(`${DEFAULT_FOREIGN_AGENT_LABEL}\nNews alerts`);
    await api.setMyDescription("");
    expect(lastPayload("setMyDescription")).toEqual({ description: "" });
    const before = fake.calls.length;
    await expect(api.setMyDescription("News alerts")).rejects.toThrow(UnlabelledSendError);
    await expect(api.setMyDescription(`News alerts\n${DEFAULT_FOREIGN_AGENT_LABEL}`)).rejects.toThrow(
      UnlabelledSendError,
    );
    expect(fake.calls.length).toBe(before);
  });

  it("lets the short description through only empty or as the label alone", async () => {
    await api.setMyShortDescription("");
    expect(lastPayload("setMyShortDescription")).toEqual({ short_description: "" });
    const before = fake.calls.length;
    await expect(api.setMyShortDescription("News alerts")).rejects.toThrow(UnlabelledSendError);
    expect(fake.calls.length).toBe(before);
    const short = createApi({ botToken: "1:test", telegramApiRoot: fake.apiRoot, label: "ИНОАГЕНТ" });
    await short.setMyShortDescription("ИНОАГЕНТ");
    expect(lastPayload("setMyShortDescription")).toEqual({ short_description: "ИНОАГЕНТ" });
  });

  it("refuses methods that cannot carry the label, before anything reaches Telegram", async () => {
    const before = fake.calls.length;
    await expect(api.forwardMessage(1, 2, 3)).rejects.toThrow(UnlabelledSendError);
    await expect(api.copyMessage(1, 2, 3)).rejects.toThrow(UnlabelledSendError);
    await expect(api.sendPoll(1, "question?", [{ text: "a" }, { text: "b" }])).rejects.toThrow(
      UnlabelledSendError,
    );
    await expect(api.raw.sendGift({ user_id: 1, gift_id: "g", text: "hello" } as never)).rejects.toThrow(
      UnlabelledSendError,
    );
    expect(fake.calls.length).toBe(before);
  });

  it("passes methods that add nothing to a chat untouched", async () => {
    const sent = await api.sendMessage(1, "keep");
    await api.deleteMessage(1, sent.message_id);
    expect(lastPayload("deleteMessage")).toEqual({ chat_id: 1, message_id: sent.message_id });
  });

  it("passes a pin and an unpin untouched: they carry no text, and the pinned alert has its label", async () => {
    const sent = await api.sendMessage(1, "pinned");
    await api.pinChatMessage(1, sent.message_id, { disable_notification: true });
    await api.unpinChatMessage(1, sent.message_id);
    expect(lastPayload("pinChatMessage")).toEqual({
      chat_id: 1,
      message_id: sent.message_id,
      disable_notification: true,
    });
    expect(lastPayload("unpinChatMessage")).toEqual({ chat_id: 1, message_id: sent.message_id });
  });
});
