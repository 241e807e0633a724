import { Api } from "grammy";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeBotApi } from "../../../src/bench/fake-bot-api/fake-bot-api.ts";
import { parseHtml } from "../../../src/bench/fake-bot-api/html-entities.ts";
import { apiError } from "../../support/bot-api-answer.ts";

describe("the fake Bot API's HTML parse mode", () => {
  let fake: FakeBotApi;
  let api: Api;

  beforeAll(async () => {
    fake = await FakeBotApi.start();
    api = new Api("123:abc", { apiRoot: fake.apiRoot });
  });
  afterAll(async () => {
    await fake.stop();
  });

  it("counts HTML length after entity parsing, so tags and &amp; do not count", async () => {
    const visible4096 = `<b>${"a".repeat(4000)}</b>${"&amp;".repeat(96)}`;
    const ok = await api.sendMessage(30, visible4096, { parse_mode: "HTML" });
    expect(ok.text).toHaveLength(4096);
    expect(ok.entities).toEqual([{ type: "bold", offset: 0, length: 4000 }]);
    const err = await apiError(api.sendMessage(30, `${visible4096}&#33;`, { parse_mode: "HTML" }));
    expect(err.description).toBe("Bad Request: message is too long");
  });

  it("counts UTF-16 code units, as Telegram does", () => {
    expect(parseHtml("&#128512;<i>é</i>").text).toHaveLength(3);
  });

  it("makes <pre><code class=language-x> one pre entity with its language, and links text_links", () => {
    expect(
      parseHtml('<pre><code class="language-ts">x</code></pre> <a href="https://e.org/?a=1&amp;b=2">l</a>'),
    ).toEqual({
      text: "x l",
      entities: [
        { type: "pre", offset: 0, length: 1, language: "ts" },
        { type: "text_link", offset: 2, length: 1, url: "https://e.org/?a=1&b=2" },
      ],
    });
  });

  it.each([
    ["an unclosed tag", "<b>bold", /Can't find end tag corresponding to start tag "b"/],
    [
      "mismatched tags",
      "<b><i>x</b></i>",
      /Unmatched end tag at byte offset 7, expected "<\/i>", found "<\/b>"/,
    ],
    ["a bare <", "1 < 2", /Unsupported start tag "" at byte offset 2/],
    ["a bare &", "Tom & Jerry", /Unsupported HTML entity at byte offset 4/],
    ["an unknown tag", "<script>x</script>", /Unsupported start tag "script"/],
  ])("rejects malformed HTML: %s", async (_name, html, why) => {
    const err = await apiError(api.sendMessage(32, html, { parse_mode: "HTML" }));
    expect(err.error_code).toBe(400);
    expect(err.description).toMatch(/^Bad Request: can't parse entities: /);
    expect(err.description).toMatch(why);
  });
});
