import { GrammyError, HttpError } from "grammy";
import { describe, expect, it } from "vitest";
import { createLogger } from "../src/logger.ts";

const TOKEN = "123456:AAH-secret_bot_token";
const INGEST = 'ingest"token\\with-quotes';
const READER_CHAT = 987654321;
const READER_TEXT = "Only for this reader: a private alert text";

/** A logger writing to memory, and its lines read back as objects. */
function captured(level = "info") {
  const lines: string[] = [];
  const logger = createLogger(level, [TOKEN, INGEST, undefined, ""], {
    write: (line: string) => lines.push(line),
  });
  return { logger, lines, records: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

function blockedByReader(): GrammyError {
  return new GrammyError(
    "Call to 'sendMessage' failed!",
    { ok: false, error_code: 403, description: "Forbidden: bot was blocked by the user" },
    "sendMessage",
    { chat_id: READER_CHAT, text: READER_TEXT, parse_mode: "HTML" },
  );
}

describe("logger", () => {
  it("logs an Error's message and stack, with a secret in the message masked", () => {
    const { logger, records } = captured();
    logger.error({ err: new Error(`boom at https://api.telegram.org/bot${TOKEN}/getMe`) }, "update failed");
    const [record] = records();
    expect(record).toMatchObject({ msg: "update failed", service: "newsbell" });
    const err = record?.err as Record<string, unknown>;
    expect(err.type).toBe("Error");
    expect(err.message).toBe("boom at https://api.telegram.org/bot[secret]/getMe");
    expect(err.stack).toMatch(/^Error: boom at https:\/\/api\.telegram\.org\/bot\[secret\]\/getMe\n\s+at /);
  });

  it("logs an error passed on its own as err, the same way", () => {
    const { logger, records } = captured();
    logger.error(new Error("on its own"));
    expect(records()[0]?.err).toMatchObject({ type: "Error", message: "on its own" });
  });

  it("keeps a GrammyError's message, stack, error_code and description, and drops the payload it was sent with", () => {
    const { logger, lines, records } = captured();
    logger.warn({ err: blockedByReader() }, "alert refused by Telegram");
    expect(records()[0]?.err).toEqual({
      type: "GrammyError",
      message: "Call to 'sendMessage' failed! (403: Forbidden: bot was blocked by the user)",
      stack: expect.stringContaining("GrammyError: Call to 'sendMessage' failed!"),
      method: "sendMessage",
      error_code: 403,
      description: "Forbidden: bot was blocked by the user",
    });
    expect(lines.join("")).not.toContain(READER_TEXT);
    expect(lines.join("")).not.toContain(String(READER_CHAT));
  });

  it("keeps Telegram's retry_after from a 429", () => {
    const { logger, records } = captured();
    const tooMany = new GrammyError(
      "Call to 'sendMessage' failed!",
      { ok: false, error_code: 429, description: "Too Many Requests", parameters: { retry_after: 7 } },
      "sendMessage",
      { chat_id: READER_CHAT, text: READER_TEXT },
    );
    logger.warn({ err: tooMany }, "rate limited");
    expect(records()[0]?.err).toMatchObject({ error_code: 429, retry_after: 7 });
  });

  it("logs an HttpError with the message of the error it wraps, masked, and without that error's request", () => {
    const { logger, lines, records } = captured();
    const inner = Object.assign(
      new Error(`request to https://api.telegram.org/bot${TOKEN}/sendMessage failed`),
      {
        code: "ECONNRESET",
        request: { body: JSON.stringify({ chat_id: READER_CHAT, text: READER_TEXT }) },
      },
    );
    logger.warn({ err: new HttpError("Network request for 'sendMessage' failed!", inner) }, "send failed");
    const err = records()[0]?.err as { cause?: object };
    expect(err.cause).not.toHaveProperty("request");
    expect(err).not.toHaveProperty("error");
    expect(err).toMatchObject({
      type: "HttpError",
      message: "Network request for 'sendMessage' failed!",
      cause: {
        type: "Error",
        code: "ECONNRESET",
        message: "request to https://api.telegram.org/bot[secret]/sendMessage failed",
      },
    });
    const all = lines.join("");
    expect(all).not.toContain(TOKEN);
    expect(all).not.toContain(READER_TEXT);
  });

  it("masks secrets in messages, nested fields and child bindings, also ones JSON has to escape", () => {
    const { logger, lines } = captured();
    logger
      .child({ startedWith: INGEST })
      .info({ nested: { url: `x${TOKEN}y`, header: `Bearer ${INGEST}` } }, `token ${TOKEN}`);
    const [line] = lines;
    expect(line).not.toContain(TOKEN);
    expect(line).not.toContain(JSON.stringify(INGEST).slice(1, -1));
    expect(JSON.parse(line ?? "")).toMatchObject({
      msg: "token [secret]",
      startedWith: "[secret]",
      nested: { url: "x[secret]y", header: "Bearer [secret]" },
    });
  });

  it("leaves values that are not errors under err as they are", () => {
    const { logger, records } = captured();
    logger.warn({ err: "connection reset" }, "redis connection problem");
    expect(records()[0]?.err).toBe("connection reset");
  });
});
