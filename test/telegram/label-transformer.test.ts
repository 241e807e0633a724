import { InputFile } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEFAULT_FOREIGN_AGENT_LABEL } from "../../src/domain/label.ts";
import { createApi } from "../../src/telegram/create-api.ts";
import { UnlabelledSendError } from "../../src/telegram/label-transformer.ts";
import { FakeTelegram } from "../support/fake-telegram.ts";
import { recordForAudit } from "../support/label-audit.ts";

const BOLD_LABEL = `<b>${DEFAULT_FOREIGN_AGENT_LABEL}</b>`;
let fake: FakeTelegram;
let api: ReturnType<typeof createApi>;

beforeAll(async () => {
  fake = await FakeTelegram.start();
  api = createApi({ botToken: "1:test", telegramApiRoot: fake.apiRoot, label: DEFAULT_FOREIGN_AGENT_LABEL });
});
afterAll(async () => {
  recordForAudit("label-transformer", fake.calls);
  await fake.stop();
});

const lastPayload = (method: string) => fake.calls.filter((c) => c.method === method).at(-1)?.payload;

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
});
