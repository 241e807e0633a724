import { type CatalogEntry, entryName, sortForReader } from "../../domain/catalog.ts";
import type { BotContext } from "../context.ts";
import { audience, managedChat, readerLanguage } from "./chat-access.ts";

/** The text of /my: what the chat being edited follows, by kind, and its delivery settings. */
export async function describeSubscriptions(ctx: BotContext): Promise<string> {
  const managed = await managedChat(ctx);
  const chat = managed.settings;
  // A channel edited from a private chat is named, as a group is in the group.
  const who = managed.channel ? { chat: "channel", title: managed.channel.title } : audience(ctx);
  const key = (name: string) => (managed.channel ? `reach-channel-${name}` : name);
  if (!chat) return ctx.t(key("my-none"), who);
  const catalog = await ctx.stores.catalog.all();
  const followed = new Set(
    await ctx.stores.subscriptions.slugsOf(
      chat.id,
      catalog.map((e) => e.slug),
    ),
  );
  const lang = readerLanguage(ctx);
  const mine = sortForReader(
    catalog.filter((e) => followed.has(e.slug)),
    lang,
  );
  if (mine.length === 0) return ctx.t(key("my-none"), who);
  const names = (entries: CatalogEntry[]) => entries.map((e) => entryName(e, lang)).join(", ");
  const topics = mine.filter((e) => e.kind === "topic");
  const regions = mine.filter((e) => e.kind === "region");
  return [
    ctx.t(key("my-header"), who),
    topics.length > 0 ? ctx.t("my-topics", { list: names(topics) }) : "",
    regions.length > 0 ? ctx.t("my-regions", { list: names(regions) }) : "",
    ctx.t("my-settings", {
      // The language the chat reads, named in the language of the one reading this.
      language: ctx.t(`editions-${chat.lang}`),
      editions: ctx.t(`editions-${chat.editions}`),
      zone: chat.timeZone,
    }),
  ]
    .filter((line) => line !== "")
    .join("\n");
}
