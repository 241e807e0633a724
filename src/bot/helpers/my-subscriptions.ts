import { type CatalogEntry, entryName, sortForReader } from "../../domain/catalog.ts";
import type { BotContext } from "../context.ts";
import { audience } from "./chat-access.ts";

/** The text of /my: what the chat follows, by kind, and its delivery settings. */
export async function describeSubscriptions(ctx: BotContext): Promise<string> {
  const chat = ctx.chatSettings;
  const who = audience(ctx);
  if (!chat) return ctx.t("my-none", who);
  const catalog = await ctx.stores.catalog.all();
  const followed = new Set(
    await ctx.stores.subscriptions.slugsOf(
      chat.id,
      catalog.map((e) => e.slug),
    ),
  );
  const mine = sortForReader(
    catalog.filter((e) => followed.has(e.slug)),
    chat.lang,
  );
  if (mine.length === 0) return ctx.t("my-none", who);
  const names = (entries: CatalogEntry[]) => entries.map((e) => entryName(e, chat.lang)).join(", ");
  const topics = mine.filter((e) => e.kind === "topic");
  const regions = mine.filter((e) => e.kind === "region");
  return [
    ctx.t("my-header", who),
    topics.length > 0 ? ctx.t("my-topics", { list: names(topics) }) : "",
    regions.length > 0 ? ctx.t("my-regions", { list: names(regions) }) : "",
    ctx.t("my-settings", {
      language: ctx.t("language-name"),
      editions: ctx.t(`editions-${chat.editions}`),
      zone: chat.timeZone,
    }),
  ]
    .filter((line) => line !== "")
    .join("\n");
}
