import { readFileSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

const FIXTURES = new URL("../fixtures/feeds/", import.meta.url);

export function feedFixture(name: string): string {
  return readFileSync(new URL(name, FIXTURES), "utf8");
}

export interface FeedRequest {
  path: string;
  headers: IncomingHttpHeaders;
}

export type FeedHandler = (req: IncomingMessage, res: ServerResponse) => void;

/** A local web server for feed fixtures: each path answers as its current handler says. */
export class FeedServer {
  readonly requests: FeedRequest[] = [];
  private readonly routes = new Map<string, FeedHandler>();

  private constructor(private readonly server: ReturnType<typeof createServer>) {}

  static async start(): Promise<FeedServer> {
    const server = createServer();
    const feeds = new FeedServer(server);
    server.on("request", (req: IncomingMessage, res: ServerResponse) => {
      const path = (req.url ?? "/").split("?")[0] ?? "/";
      feeds.requests.push({ path, headers: req.headers });
      const handler = feeds.routes.get(path);
      if (handler) handler(req, res);
      else res.writeHead(404).end("not found");
    });
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return feeds;
  }

  url(path: string): string {
    const { port } = this.server.address() as AddressInfo;
    return `http://127.0.0.1:${port}${path}`;
  }

  serve(path: string, handler: FeedHandler): void {
    this.routes.set(path, handler);
  }

  requestsTo(path: string): FeedRequest[] {
    return this.requests.filter((r) => r.path === path);
  }

  async stop(): Promise<void> {
    // Hanging answers never end by themselves.
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

/** Answers with the document, honouring If-None-Match / If-Modified-Since when validators are given. */
export function xml(
  body: string,
  opts: { etag?: string; lastModified?: string; contentType?: string } = {},
): FeedHandler {
  return (req, res) => {
    const validators = {
      ...(opts.etag ? { ETag: opts.etag } : {}),
      ...(opts.lastModified ? { "Last-Modified": opts.lastModified } : {}),
    };
    const matches =
      (opts.etag !== undefined && req.headers["if-none-match"] === opts.etag) ||
      (opts.etag === undefined &&
        opts.lastModified !== undefined &&
        req.headers["if-modified-since"] === opts.lastModified);
    if (matches) {
      res.writeHead(304, validators).end();
      return;
    }
    res.writeHead(200, {
      "Content-Type": opts.contentType ?? "application/rss+xml; charset=utf-8",
      ...validators,
    });
    res.end(body);
  };
}

export function status(code: number): FeedHandler {
  return (_req, res) => {
    res.writeHead(code).end(`status ${code}`);
  };
}

export function redirect(location: string, code = 302): FeedHandler {
  return (_req, res) => {
    res.writeHead(code, { Location: location }).end();
  };
}

/** Takes the request and never answers. */
export function hang(): FeedHandler {
  return () => undefined;
}

/** Sends the headers and the first bytes, then stalls. */
export function stallBody(): FeedHandler {
  return (_req, res) => {
    res.writeHead(200, { "Content-Type": "application/rss+xml" });
    res.write('<?xml version="1.0"?><rss version="2.0"><channel>');
  };
}

/**
 * Streams `totalBytes` of an endless-looking feed in 64 KiB chunks, waiting for the client to
 * take each, so the server never holds more than a chunk; it stops when the client hangs up.
 * `sent()` tells how much actually went out.
 */
export function hugeBody(totalBytes: number, opts: { declareLength?: boolean } = {}) {
  let sent = 0;
  const chunk = Buffer.from(`<item><title>${"x".repeat(64 * 1024 - 30)}</title></item>\n`);
  const handler: FeedHandler = (_req, res) => {
    res.writeHead(200, {
      "Content-Type": "application/rss+xml",
      ...(opts.declareLength ? { "Content-Length": String(totalBytes) } : {}),
    });
    const pump = () => {
      while (sent < totalBytes && !res.destroyed) {
        const part = chunk.subarray(0, Math.min(chunk.length, totalBytes - sent));
        sent += part.length;
        if (!res.write(part)) {
          res.once("drain", pump);
          return;
        }
      }
      if (!res.destroyed) res.end();
    };
    pump();
  };
  return { handler, sent: () => sent };
}
