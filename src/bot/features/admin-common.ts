import { TEXT_LIMIT } from "../../domain/label.ts";
import { bodyBudget, packLines } from "../../domain/message-chunks.ts";
import type { BotContext } from "../context.ts";

/** HTML without a link preview: nothing may push the label down, and lists link nowhere. */
export const HTML = { parse_mode: "HTML", link_preview_options: { is_disabled: true } } as const;
export const PLAIN = { link_preview_options: { is_disabled: true } } as const;

export function adminTimeZone(ctx: BotContext): string {
  return ctx.chatSettings?.timeZone ?? ctx.config.defaultTimeZone;
}

/** Sends HTML lines as few messages as fit, each leaving room for the label. */
export async function replyLines(ctx: BotContext, lines: readonly string[]): Promise<void> {
  for (const chunk of packLines(lines, bodyBudget(TEXT_LIMIT, ctx.config.label)))
    await ctx.reply(chunk, HTML);
}
