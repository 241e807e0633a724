import { readFileSync } from "node:fs";
import { createServer as createHttpServer, type RequestListener, type Server } from "node:http";
import { createServer as createHttpsServer } from "node:https";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type AddressPolicy, refusal } from "../../src/feeds/address-policy.ts";
import { fetchFeed } from "../../src/feeds/feed-fetcher.ts";
import { FeedServer, feedFixture, redirect, xml } from "../support/feed-server.ts";

const HINT = "; FEEDS_ALLOW_PRIVATE=true allows internal feeds";
const TLS = new URL("../fixtures/tls/", import.meta.url);
const cert = readFileSync(new URL("feed-server-cert.pem", TLS), "utf8");
const key = readFileSync(new URL("feed-server-key.pem", TLS), "utf8");
const rss = feedFixture("rss-basic.xml");

/** The inside: a feed server on 127.0.0.1, like an internal service a redirect could point at. */
let inside: FeedServer;
/**
 * The outside: a server that stands for a public feed host. It listens on 127.0.0.2, which the
 * tests' address policy alone lets through; every other address gets the real checks.
 */
let outside: Server;
const OUTSIDE = "127.0.0.2";
const outsideRoutes = new Map<string, RequestListener>();
const publicOutside: AddressPolicy = (address) => (address === OUTSIDE ? undefined : refusal(address, false));
let secure: Server;
const secureRoutes = new Map<string, RequestListener>();

function route(routes: Map<string, RequestListener>): RequestListener {
  return (req, res) => {
    const handler = routes.get(req.url ?? "/");
    if (handler) handler(req, res);
    else res.writeHead(404).end();
  };
}

async function listen(server: Server, host: string): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, host, resolve));
  return `${host}:${(server.address() as AddressInfo).port}`;
}

let outsideHost: string;
let secureHost: string;

beforeAll(async () => {
  inside = await FeedServer.start();
  outside = createHttpServer(route(outsideRoutes));
  secure = createHttpsServer({ cert, key }, route(secureRoutes));
  outsideHost = await listen(outside, OUTSIDE);
  secureHost = await listen(secure, "127.0.0.1");
});

afterAll(async () => {
  for (const server of [outside, secure]) {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
  await inside.stop();
});

describe("feeds never lead inside the network", () => {
  it("refuses a feed on 127.0.0.1 without FEEDS_ALLOW_PRIVATE and never connects to it", async () => {
    inside.serve("/internal.xml", xml(rss));
    expect(await fetchFeed(inside.url("/internal.xml"))).toEqual({
      kind: "failed",
      error: `refused: 127.0.0.1 (loopback address)${HINT}`,
    });
    expect(inside.requestsTo("/internal.xml")).toEqual([]);
  });

  it("polls the same feed with FEEDS_ALLOW_PRIVATE=true", async () => {
    inside.serve("/allowed.xml", xml(rss));
    expect(await fetchFeed(inside.url("/allowed.xml"), { allowPrivate: true })).toMatchObject({
      kind: "fetched",
      body: rss,
    });
  });

  it("checks the address a host name resolves to when it connects", async () => {
    inside.serve("/by-name.xml", xml(rss));
    const port = new URL(inside.url("/")).port;
    expect(await fetchFeed(`http://localhost:${port}/by-name.xml`)).toEqual({
      kind: "failed",
      error: expect.stringMatching(
        /^refused: localhost \((127\.0\.0\.1|::1), loopback address\); FEEDS_ALLOW_PRIVATE=true allows internal feeds$/,
      ),
    });
    expect(inside.requestsTo("/by-name.xml")).toEqual([]);
  });

  it("follows a redirect between public addresses", async () => {
    outsideRoutes.set("/moved.xml", redirect(`http://${outsideHost}/feed.xml`));
    outsideRoutes.set("/feed.xml", xml(rss));
    expect(await fetchFeed(`http://${outsideHost}/moved.xml`, { refuse: publicOutside })).toMatchObject({
      kind: "fetched",
      url: `http://${outsideHost}/feed.xml`,
    });
  });

  it.each([
    [
      "127.0.0.1",
      () => inside.url("/secret.xml"),
      `refused: redirect to 127.0.0.1 (loopback address)${HINT}`,
    ],
    [
      "a 10.x address",
      () => "http://10.20.30.40/feed.xml",
      `refused: redirect to 10.20.30.40 (private address)${HINT}`,
    ],
    [
      "the cloud metadata address",
      () => "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
      "refused: redirect to 169.254.169.254 (cloud metadata address)",
    ],
    [
      "[::1]",
      () => `http://[::1]:${new URL(inside.url("/")).port}/secret.xml`,
      `refused: redirect to ::1 (loopback address)${HINT}`,
    ],
    [
      "[::ffff:127.0.0.1]",
      () => `http://[::ffff:127.0.0.1]:${new URL(inside.url("/")).port}/secret.xml`,
      `refused: redirect to ::ffff:7f00:1 (loopback address)${HINT}`,
    ],
    [
      "the IPv6 metadata address",
      () => "http://[fd00:ec2::254]/latest/meta-data/",
      "refused: redirect to fd00:ec2::254 (cloud metadata address)",
    ],
    [
      "a name of 127.0.0.1",
      () => `http://localhost:${new URL(inside.url("/")).port}/secret.xml`,
      expect.stringMatching(/^refused: redirect to localhost \((127\.0\.0\.1|::1), loopback address\);/),
    ],
  ])("refuses a redirect to %s, naming it, and never connects there", async (what, target, error) => {
    inside.serve("/secret.xml", xml("<rss><channel><title>internal</title></channel></rss>"));
    const path = `/to-${what.replace(/\W+/g, "-")}`;
    outsideRoutes.set(path, redirect(target()));
    expect(await fetchFeed(`http://${outsideHost}${path}`, { refuse: publicOutside })).toEqual({
      kind: "failed",
      error,
    });
    expect(inside.requestsTo("/secret.xml")).toEqual([]);
  });

  it("refuses the cloud metadata address even with FEEDS_ALLOW_PRIVATE=true", async () => {
    inside.serve("/to-metadata", redirect("http://169.254.169.254/latest/meta-data/"));
    expect(await fetchFeed(inside.url("/to-metadata"), { allowPrivate: true })).toEqual({
      kind: "failed",
      error: "refused: redirect to 169.254.169.254 (cloud metadata address)",
    });
  });

  it("fetches over https, and refuses a redirect from https down to http", async () => {
    secureRoutes.set("/feed.xml", xml(rss));
    expect(await fetchFeed(`https://${secureHost}/feed.xml`, { allowPrivate: true, ca: cert })).toMatchObject(
      { kind: "fetched", body: rss },
    );

    inside.serve("/clear.xml", xml(rss));
    secureRoutes.set("/downgrade.xml", redirect(inside.url("/clear.xml")));
    expect(await fetchFeed(`https://${secureHost}/downgrade.xml`, { allowPrivate: true, ca: cert })).toEqual({
      kind: "failed",
      error: `refused: redirect from https to http (${inside.url("/clear.xml")})`,
    });
    expect(inside.requestsTo("/clear.xml")).toEqual([]);
  });
});
