import type { InlineKeyboardButton } from "grammy/types";
import { type BreakingDraft, toggled } from "../../domain/breaking-draft.ts";
import { type CatalogEntry, type CatalogKind, entryName, type Language } from "../../domain/catalog.ts";
import { countReach } from "../../store/reach.ts";
import type { BotContext, DialogContext, TargetsView } from "../context.ts";
import { ignoreNotModified } from "../helpers/edit-safely.ts";
import { keep } from "./breaking-session.ts";
import { type Dialog, waitForTap } from "./dialog-steps.ts";

const PAGE_SIZE = 12;
const COLUMNS = 2;

export type Selection = Record<CatalogKind, string[]>;

/**
 * The multi-select of step 4: one kind at a time, paged, ✅ on what is chosen, and Done. The
 * entries come in the order they are shown (see {@link sortForReader}).
 */
export function targetsKeyboard(
  entries: readonly CatalogEntry[],
  kind: CatalogKind,
  page: number,
  selection: Selection,
  lang: Language,
  t: DialogContext["t"],
): InlineKeyboardButton[][] {
  const ofKind = entries.filter((e) => e.kind === kind);
  const pages = Math.max(1, Math.ceil(ofKind.length / PAGE_SIZE));
  const current = Math.min(Math.max(page, 0), pages - 1);
  const mark = (on: boolean) => (on ? "✅ " : "");
  const rows: InlineKeyboardButton[][] = [
    (["topic", "region"] as const).map((k) => ({
      text: `${mark(k === kind)}${t(k === "topic" ? "brk-btn-topics" : "brk-btn-regions")}`,
      callback_data: `brk:kind:${k}`,
    })),
  ];
  const shown = ofKind.slice(current * PAGE_SIZE, (current + 1) * PAGE_SIZE);
  for (let i = 0; i < shown.length; i += COLUMNS) {
    rows.push(
      shown.slice(i, i + COLUMNS).map((e) => ({
        text: `${mark(selection[kind].includes(e.slug))}${entryName(e, lang)}`,
        callback_data: `brk:slug:${e.slug}`,
      })),
    );
  }
  if (pages > 1) {
    rows.push([
      { text: "◀", callback_data: `brk:page:${(current - 1 + pages) % pages}` },
      { text: `${current + 1} / ${pages}`, callback_data: `brk:page:${current}` },
      { text: "▶", callback_data: `brk:page:${(current + 1) % pages}` },
    ]);
  }
  rows.push([{ text: t("brk-btn-done"), callback_data: "brk:done" }]);
  return rows;
}

/** The names of what is chosen, regions first, as the editor reads them. */
export function chosenNames(entries: readonly CatalogEntry[], selection: Selection, lang: Language): string {
  const bySlug = new Map(entries.map((e) => [e.slug, e]));
  return [...selection.region, ...selection.topic]
    .map((slug) => bySlug.get(slug))
    .filter((e): e is CatalogEntry => e !== undefined)
    .map((e) => entryName(e, lang))
    .join(", ");
}

/** The reach as the locales take it: the count, and "yes" when it is "about" that many. */
export const reachOf = async (conversation: Dialog, selection: Selection, lang: Language) => {
  const { count, exact } = await conversation.external((o: BotContext) =>
    countReach(o.stores.subscriptions, [...selection.topic, ...selection.region], lang),
  );
  return { count, about: exact ? "no" : "yes" };
};

/** The targets view after a tap on one of its buttons other than Done. */
function afterTap(
  view: TargetsView,
  what: string,
  arg: string,
  entries: readonly CatalogEntry[],
): TargetsView {
  if (what === "kind" && (arg === "topic" || arg === "region")) return { ...view, kind: arg, page: 0 };
  if (what === "page") return { ...view, page: Number(arg) || 0 };
  const entry = what === "slug" ? entries.find((e) => e.slug === arg) : undefined;
  if (!entry) return view;
  return {
    ...view,
    selection: { ...view.selection, [entry.kind]: toggled(view.selection[entry.kind], entry.slug) },
  };
}

/**
 * Step 4: topics and regions, toggled on a paged keyboard, then Done. The view lives in the
 * session and each tap is rewound out of the dialog's log: however many taps it takes, the
 * stored dialog stays the size of one.
 */
export async function chooseTargets(
  conversation: Dialog,
  ctx: DialogContext,
  entries: readonly CatalogEntry[],
  draft: BreakingDraft,
): Promise<Selection> {
  const selection: Selection = { topic: [...draft.topics], region: [...draft.regions] };
  const start: TargetsView = {
    selection,
    kind: selection.topic.length > 0 && selection.region.length === 0 ? "topic" : "region",
    page: 0,
  };
  const render = async (c: DialogContext, { selection, kind, page }: TargetsView) => {
    const chosen = chosenNames(entries, selection, draft.lang);
    // Nothing chosen reaches nobody: no names, no count of 0 chats.
    const text =
      chosen === ""
        ? c.t("brk-ask-targets-none")
        : c.t("brk-ask-targets", { chosen, ...(await reachOf(conversation, selection, draft.lang)) });
    return {
      text,
      reply_markup: { inline_keyboard: targetsKeyboard(entries, kind, page, selection, draft.lang, c.t) },
    };
  };
  const first = await render(ctx, start);
  await ctx.reply(first.text, { reply_markup: first.reply_markup });
  await keep(conversation, (kept) => {
    kept.targets = start;
  });
  const beforeTap = conversation.checkpoint();
  const view = await conversation.external((o: BotContext) => o.session.breaking?.targets ?? start);
  const { ctx: tap, match } = await waitForTap(conversation, /^brk:(kind|slug|page|done):?([a-z0-9-]*)$/);
  const [, what = "", arg = ""] = match;
  if (what === "done") {
    if (view.selection.topic.length + view.selection.region.length === 0) {
      await tap.answerCallbackQuery({ text: tap.t("brk-choose-one") });
      return conversation.rewind(beforeTap);
    }
    await tap.answerCallbackQuery();
    await ignoreNotModified(tap.editMessageReplyMarkup({ reply_markup: { inline_keyboard: [] } }));
    await keep(conversation, (kept) => {
      delete kept.targets;
    });
    return view.selection;
  }
  const next = afterTap(view, what, arg, entries);
  await keep(conversation, (kept) => {
    kept.targets = next;
  });
  await tap.answerCallbackQuery();
  const shown = await render(tap, next);
  await ignoreNotModified(tap.editMessageText(shown.text, { reply_markup: shown.reply_markup }));
  return conversation.rewind(beforeTap);
}
