import { createHash } from "node:crypto";
import { Composer } from "grammy";
import { DateTime } from "luxon";
import { linksReportJobId, revisionJobId } from "../../delivery/queues.ts";
import { parseMirrorCommand } from "../../domain/mirrors.ts";
import { REVISION_WINDOW_HOURS } from "../../domain/revision.ts";
import type { BotContext } from "../context.ts";
import { recordAudit } from "../helpers/audit-trail.ts";
import { readerLanguage } from "../helpers/chat-access.ts";
import { PLAIN } from "./admin-common.ts";

/** Articles looked at for the links to update: the newsroom's 48 h, as /recent lists them. */
const RECENT_MAX = 1000;
const MIRROR_CALLBACK = /^mr:(yes|no)(?::([0-9a-f]{12}))?$/;

/** A host as callback data holds it: 64 bytes cannot hold every host name. */
const hostTag = (host: string) => createHash("sha1").update(host).digest("hex").slice(0, 12);

/** The articles of the last 48 h whose link goes to a host (matched by its tag), and their alerts sent. */
async function affected(ctx: BotContext, match: (host: string) => boolean) {
  const since = DateTime.utc().minus({ hours: REVISION_WINDOW_HOURS }).toMillis();
  const seqs = await ctx.stores.articles.recent(since, RECENT_MAX);
  const found = await Promise.all(
    seqs.map(async (seq) => {
      const [article, stats] = await Promise.all([
        ctx.stores.articles.get(seq),
        ctx.stores.articles.stats(seq),
      ]);
      if (!article || stats.retractedAt || stats.sent === 0 || !URL.canParse(article.url)) return undefined;
      return match(new URL(article.url).hostname) ? { seq, sent: stats.sent } : undefined;
    }),
  );
  return found.filter((f) => f !== undefined);
}

async function offerUpdate(ctx: BotContext, host: string): Promise<void> {
  const found = await affected(ctx, (h) => h === host);
  const count = found.reduce((n, f) => n + f.sent, 0);
  if (count === 0) return;
  await ctx.reply(ctx.t("adm-mirror-offer", { count }), {
    ...PLAIN,
    reply_markup: {
      inline_keyboard: [
        [
          { text: ctx.t("adm-mirror-btn-yes"), callback_data: `mr:yes:${hostTag(host)}` },
          { text: ctx.t("adm-mirror-btn-no"), callback_data: "mr:no" },
        ],
      ],
    },
  });
}

/** Edits the alerts of the last 48 h to the links as they read now: a quiet correction per article, one report. */
async function updateLinks(ctx: BotContext, tag: string): Promise<number> {
  const found = await affected(ctx, (h) => hostTag(h) === tag);
  const editor = { chatId: ctx.chat?.id ?? 0, userId: ctx.from?.id ?? 0, lang: readerLanguage(ctx) };
  const walks: { seq: number; revision: number }[] = [];
  for (const { seq } of found) {
    const revision = await ctx.stores.revisions.startRevision(seq, "correct", DateTime.utc().toISO() ?? "");
    await ctx.queues.revisions.add(
      "correct",
      { seq, revision, editor, quiet: true },
      { jobId: revisionJobId(seq, revision) },
    );
    walks.push({ seq, revision });
  }
  const [first] = walks;
  if (first)
    await ctx.queues.revisions.add("links-report", { walks, editor }, { jobId: linksReportJobId(first) });
  return found.reduce((n, f) => n + f.sent, 0);
}

/**
 * /mirror: the admins' map of blocked link hosts to their mirrors, and the update of delivered
 * alerts. Mounted behind admin.ts's guard (admins, private chats).
 */
export function adminMirrorsFeature(): Composer<BotContext> {
  const feature = new Composer<BotContext>();

  feature.command("mirror", async (ctx) => {
    const command = parseMirrorCommand(ctx.match);
    if ("error" in command) {
      const text =
        command.error === "usage"
          ? ctx.t("adm-mirror-usage")
          : command.error === "same"
            ? ctx.t("adm-mirror-same", { host: command.host })
            : ctx.t("adm-mirror-bad-host", { value: command.value, why: command.why });
      await ctx.reply(text, PLAIN);
      return;
    }
    const mirrors = ctx.stores.mirrors;
    if (command.action === "list") {
      const map = await mirrors.all();
      const lines = [...map].map(([host, mirror]) => ctx.t("adm-mirror-line", { host, mirror }));
      await ctx.reply(
        map.size === 0 ? ctx.t("adm-mirror-none") : [ctx.t("adm-mirror-head"), ...lines].join("\n"),
        PLAIN,
      );
      return;
    }
    if (command.action === "set") {
      const before = await mirrors.set(command.host, command.mirror);
      await recordAudit(ctx, "mirror-set", command.host, command.mirror);
      ctx.logger.info({ host: command.host, mirror: command.mirror, before }, "link mirror set by an admin");
      await ctx.reply(ctx.t("adm-mirror-set", { host: command.host, mirror: command.mirror }), PLAIN);
      await offerUpdate(ctx, command.host);
      return;
    }
    const removed = await mirrors.remove(command.host);
    if (removed === undefined) {
      await ctx.reply(ctx.t("adm-mirror-not-found", { host: command.host }), PLAIN);
      return;
    }
    await recordAudit(ctx, "mirror-remove", command.host, removed);
    ctx.logger.info({ host: command.host, mirror: removed }, "link mirror removed by an admin");
    await ctx.reply(ctx.t("adm-mirror-removed", { host: command.host }), PLAIN);
    await offerUpdate(ctx, command.host);
  });

  feature.callbackQuery(MIRROR_CALLBACK, async (ctx) => {
    await ctx.answerCallbackQuery();
    const tag = ctx.match[2];
    if (ctx.match[1] === "no" || tag === undefined) {
      await ctx.editMessageText(ctx.t("adm-mirror-kept"), PLAIN);
      return;
    }
    const count = await updateLinks(ctx, tag);
    await ctx.editMessageText(ctx.t("adm-mirror-updating", { count }), PLAIN);
  });

  return feature;
}
