import { Menu, type MenuRange } from "@grammyjs/menu";
import type { BotContext } from "../context.ts";
import { headed, managedChat, mayEditChannel, switchManagedChat } from "../helpers/chat-access.ts";
import { ignoreNotModified } from "../helpers/edit-safely.ts";

export const CHANNELS_MENU_ID = "channels";

/** The channels a person connected that are still connected, by id, with their titles. */
export async function connectedChannels(ctx: BotContext, userId: number) {
  const titles = await ctx.stores.chats.userChannels(userId);
  const settings = await ctx.stores.chats.getMany([...titles.keys()]);
  return [...titles]
    .map(([id, title]) => ({ id, title, settings: settings.get(id) }))
    .filter((c) => c.settings?.kind === "channel");
}

async function renderChats(ctx: BotContext, range: MenuRange<BotContext>): Promise<void> {
  const user = ctx.from?.id;
  const chat = ctx.chat;
  if (user === undefined || chat === undefined) return;
  const current = (await managedChat(ctx)).id;
  const mark = (id: number) => (id === current ? "● " : "");
  range
    .text({ text: `${mark(chat.id)}${ctx.t("reach-btn-this-chat")}`, payload: String(chat.id) }, choose)
    .row();
  for (const channel of await connectedChannels(ctx, user)) {
    const text = ctx.t(channel.settings?.active ? "reach-btn-channel" : "reach-btn-channel-inactive", {
      title: channel.title,
    });
    range.text({ text: `${mark(channel.id)}${text}`, payload: String(channel.id) }, choose).row();
  }
}

/** Makes the tapped chat the one being edited, asking Telegram afresh whether the person still administers it. */
async function choose(ctx: BotContext): Promise<void> {
  const chatId = Number(ctx.match);
  const user = ctx.from?.id;
  if (ctx.chat === undefined || user === undefined || !Number.isSafeInteger(chatId)) return;
  if (chatId === ctx.chat.id) {
    switchManagedChat(ctx, undefined);
    await ctx.answerCallbackQuery({
      text: ctx.t("reach-toast-switched", { title: ctx.t("reach-this-chat") }),
    });
  } else {
    const channel = (await connectedChannels(ctx, user)).find((c) => c.id === chatId);
    if (!channel?.settings) {
      await ctx.answerCallbackQuery({ text: ctx.t("reach-toast-channel-gone") });
      ctx.menu.update();
      return;
    }
    if (!(await mayEditChannel(ctx, channel.settings, user, true))) {
      await ctx.answerCallbackQuery({ text: ctx.t("reach-toast-not-admin", { title: channel.title }) });
      return;
    }
    switchManagedChat(ctx, chatId);
    await ctx.answerCallbackQuery({
      text: ctx.t("reach-toast-switched", { title: ctx.t("reach-quoted", { title: channel.title }) }),
    });
  }
  // The chosen chat's menu, its header naming it.
  ctx.menu.nav("main");
  await ignoreNotModified(ctx.editMessageText(await headed(ctx, "menu-intro")));
}

/** /channel's list: the private chat itself and each channel its person connected; a tap edits that one. */
export function createChannelsMenu(): Menu<BotContext> {
  return new Menu<BotContext>(CHANNELS_MENU_ID, {
    autoAnswer: false,
    onMenuOutdated: async (ctx) => {
      await ctx.answerCallbackQuery({ text: ctx.t("toast-outdated") });
      ctx.menu.update();
    },
  }).dynamic(renderChats);
}
