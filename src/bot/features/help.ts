import { Composer } from "grammy";
import type { BotContext } from "../context.ts";

/** /help, with the newsroom's commands for editors and admins; /id, for setting up ADMIN_IDS and editors. */
export function helpFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("help", async (ctx) => {
    const role = ctx.chat.type === "private" ? await ctx.stores.staff.roleOf(ctx.from?.id) : "reader";
    const parts = [`${ctx.t("help")}\n${ctx.t("rd-help")}\n${ctx.t("reach-help")}`];
    if (role !== "reader") parts.push(ctx.t("help-editor"));
    if (role === "admin") parts.push(ctx.t("help-admin"));
    await ctx.reply(parts.join("\n\n"));
  });
  feature.command("id", async (ctx) => {
    const user = ctx.from?.id;
    await ctx.reply(
      user === undefined || ctx.chat.type === "private"
        ? ctx.t("id-private", { user: String(user ?? ctx.chat.id) })
        : ctx.t("id-group", { user: String(user), chat: String(ctx.chat.id) }),
    );
  });
  return feature;
}
