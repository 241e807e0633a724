import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { HttpError } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeFailure } from "../../src/delivery/telegram-failure.ts";
import { DEFAULT_FOREIGN_AGENT_LABEL } from "../../src/domain/label.ts";
import { createApi } from "../../src/telegram/create-api.ts";
import { eventually } from "../support/eventually.ts";
import { freePort } from "../support/redis.ts";

let server: Server;
let apiRoot: string;
const received: { path: string; body: Record<string, unknown> }[] = [];
let openRequests = 0;

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString("utf8");
}

beforeAll(async () => {
  server = createServer(async (req, res) => {
    const body = JSON.parse(await readBody(req)) as Record<string, unknown>;
    received.push({ path: req.url ?? "", body });
    if (body.chat_id === 2) {
      // Never answers: the send times out after the request left.
      openRequests++;
      req.socket.once("close", () => openRequests--);
      return;
    }
    res.setHeader("content-type", "application/json");
    res.end(
      JSON.stringify({
        ok: true,
        result: { message_id: 7, date: 0, chat: { id: body.chat_id, type: "private" } },
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  apiRoot = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const config = (root: string) => ({
  botToken: "123:LEAN",
  telegramApiRoot: root,
  label: DEFAULT_FOREIGN_AGENT_LABEL,
});

describe("the Bot API client's lean fetch", () => {
  it("sends a JSON call, labelled, to the method's URL and reads Telegram's answer", async () => {
    const api = createApi(config(apiRoot), 5);
    const message = await api.sendMessage(1, "Привет", { parse_mode: "HTML" });
    expect(message.message_id).toBe(7);
    const call = received.at(-1);
    expect(call?.path).toBe("/bot123:LEAN/sendMessage");
    expect(String(call?.body.text)).toContain(DEFAULT_FOREIGN_AGENT_LABEL);
  });

  it("tells a request that never left (connection refused) from one whose answer never came", async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const refused = await createApi(config(closed), 5)
      .sendMessage(1, "x")
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(HttpError);
    expect(describeFailure(refused)).toEqual({ kind: "network", requestLeft: false });

    const timedOut = await createApi(config(apiRoot), 1)
      .sendMessage(2, "x")
      .catch((e: unknown) => e);
    expect(timedOut).toBeInstanceOf(HttpError);
    expect(describeFailure(timedOut)).toEqual({ kind: "network", requestLeft: true });
    // The timed-out request is given up, not left holding a connection.
    await eventually(() => openRequests === 0, 2000, "the timed-out request closed");
  });
});
