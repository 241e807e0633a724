import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ApiError, errorBody } from "./api-error.ts";

/** One request the fake received; `status` is 0 while unanswered, 499 if the client gave up first. */
export interface RecordedCall {
  method: string;
  token: string;
  payload: Record<string, unknown>;
  at: number;
  status: number;
}

export type RequestHandler = (req: IncomingMessage, res: ServerResponse, body: Buffer | ApiError) => void;

const MAX_BODY = 60 * 1024 * 1024;

/**
 * An HTTP server on 127.0.0.1 that hands each request on with its whole body. Plain callbacks,
 * no promises: per request the fake should cost little more than Node's HTTP, for the bench.
 */
export async function listen(
  port: number,
  handle: RequestHandler,
): Promise<{ server: Server; root: string }> {
  const server = createServer((req, res) => {
    res.on("error", () => {});
    const chunks: Buffer[] = [];
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY) chunks.push(chunk);
    });
    req.on("end", () => {
      if (size > MAX_BODY) handle(req, res, new ApiError(413, "Request Entity Too Large"));
      else handle(req, res, chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks));
    });
  });
  // The bench's workers keep their connections open between batches; the 5 s default would close them.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  server.on("clientError", (_err, socket) => socket.destroy());
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  return { server, root: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

/** The token and method of a Bot API path (/bot<token>/<method>), and its query string. */
export function parseRoute(
  url: string | undefined,
): { token: string; method: string; query: string } | string {
  const raw = url ?? "/";
  const q = raw.indexOf("?");
  const path = q < 0 ? raw : raw.slice(0, q);
  const query = q < 0 ? "" : raw.slice(q + 1);
  const route = /^\/bot([^/]*)\/([^/]+)\/?$/.exec(path);
  return route ? { token: route[1] as string, method: route[2] as string, query } : path;
}

export function answer(res: ServerResponse, call: RecordedCall, status: number, body: unknown): void {
  call.status = status;
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
}

export function answerError(res: ServerResponse, call: RecordedCall, err: unknown): void {
  const e = err instanceof ApiError ? err : new ApiError(500, `Internal Server Error: ${String(err)}`);
  answer(res, call, e.code, errorBody(e));
}
