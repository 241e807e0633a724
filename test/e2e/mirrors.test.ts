import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BOT_USER, makeUser } from "../../src/bench/fake-bot-api/chat-state.ts";
import { type Harness, startHarness } from "../support/bot-harness.ts";
import { articleInput, deliveryTools } from "../support/delivery-harness.ts";
import { driver } from "../support/newsroom-driver.ts";

const ADMIN = 8_790_001;

let h: Harness;
let t: ReturnType<typeof deliveryTools>;

beforeAll(async () => {
  h = await startHarness("mirrors", {
    role: "all",
    env: { SEND_RATE: "1000", ADMIN_IDS: String(ADMIN), LINK_MIRRORS: "kavkaz-uzel.eu=kavkaz-uzel.info" },
  });
  t = deliveryTools(h);
});

afterAll(async () => {
  await t.queues.close();
  await h.stop();
});

const body =
  '<p>Подробности <a href="https://www.kavkaz-uzel.eu/articles/42/?from=bot">в материале</a> и <a href="https://example.org/">у коллег</a>.</p>';

describe("links that open where the site is blocked", () => {
  it("takes LINK_MIRRORS at the first start and lists the map with /mirror", async () => {
    const admin = driver(h, makeUser(ADMIN, { language_code: "en" }));
    const list = await admin.say("/mirror");
    expect(list.text).toContain("• kavkaz-uzel.eu → kavkaz-uzel.info");
    const bad = await admin.say("/mirror set www.kavkaz-uzel.eu https://kutest.org/");
    expect(bad.text).toContain("https://kutest.org/&quot; will not do: no https:// or other scheme");
    const usage = await admin.say("/mirror set www.kavkaz-uzel.eu");
    expect(usage.text).toContain("/mirror set &lt;host&gt; &lt;mirror&gt;");
    const stranger = driver(h, makeUser(8_790_099, { language_code: "en" }));
    expect((await stranger.say("/mirror set www.kavkaz-uzel.eu evil.example")).text).not.toContain(
      "now go to",
    );
    expect((await h.redis.hgetall(`${h.config.redisPrefix}:mirrors`))["www.kavkaz-uzel.eu"]).toBeUndefined();
  });

  it("sends the next alert, /latest and the Read here text through a new mirror, and updates the alerts already delivered", async () => {
    const reader = makeUser(8_790_002, { language_code: "ru" });
    await t.subscriber(reader.id, ["chechnya"]);
    const first = await t.publishAndWait(articleInput({ regions: ["chechnya"], body }));
    const [old] = h.fake.messagesTo(reader.id);
    expect(old?.text).toContain('href="https://www.kavkaz-uzel.eu/articles/');

    const admin = driver(h, makeUser(ADMIN, { language_code: "ru" }));
    await admin.sayAndExpect("/mirror set www.kavkaz-uzel.eu kutest.org", "теперь ведут на kutest.org");
    const offer = await admin.expectMessage("Обновить ссылки в 1 уведомлении за 48 ч?");
    const yes = offer.reply_markup.inline_keyboard[0][0].callback_data as string;
    await admin.tapData(offer, yes);
    await admin.expectMessage("Ссылки обновлены: 1, не удалось: 0.", 20_000);
    const edited = h.fake.messagesTo(reader.id)[0];
    expect(edited?.edits).toBe(1);
    expect(edited?.text).toContain(`href="https://kutest.org/articles/`);
    // The edit keeps the Read here button.
    expect(edited?.reply_markup?.inline_keyboard?.[0]?.[0]).toMatchObject({
      callback_data: `read:${first.seq}`,
    });

    const second = await t.publishAndWait(articleInput({ regions: ["chechnya"], body }));
    const alert = h.fake.messagesTo(reader.id).at(-1);
    expect(alert?.text).toContain(`href="https://kutest.org/articles/`);
    expect(alert?.text).not.toContain("www.kavkaz-uzel.eu");

    const latest = await driver(h, reader).say("/latest");
    expect(latest.text).toContain('href="https://kutest.org/articles/');
    expect(latest.text).toContain(`href="https://t.me/${BOT_USER.username}?start=read-${second.seq}">📖</a>`);

    const before = h.fake.messagesTo(reader.id).length;
    h.fake.tapButton(reader, alert as NonNullable<typeof alert>, `read:${second.seq}`);
    const part = await h.fake.waitFor(() => h.fake.messagesTo(reader.id)[before], 10_000);
    expect(part.text).toContain('<a href="https://kutest.org/articles/42/?from=bot">в материале</a>');
    expect(part.text).toContain('<a href="https://example.org/">у коллег</a>');
    expect(part.text).toMatch(/<a href="https:\/\/kutest\.org\/articles\/\d+\/">Читать на сайте<\/a>/);

    await admin.sayAndExpect("/mirror remove www.kavkaz-uzel.eu", "снова ведут на сам сайт");
    await admin.expectMessage("Обновить ссылки в 2 уведомлениях за 48 ч?");
    const audit = await admin.sayAndExpect("/audit", "Журнал");
    expect(audit.text).toContain("снятие зеркала ссылок · <code>www.kavkaz-uzel.eu</code>");
    expect(audit.text).toContain("зеркало ссылок · <code>www.kavkaz-uzel.eu</code> · kutest.org");
  }, 60_000);
});
