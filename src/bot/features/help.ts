import { Composer } from "grammy";
import type { BotContext } from "../context.ts";

export function helpFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();
  feature.command("help", (ctx) => ctx.reply(ctx.t("help")));
  return feature;
}
