import { DelayedError, type Job } from "bullmq";
import type { Api } from "grammy";
import type { DateTime } from "luxon";
import type { LinksReportJob } from "../src/delivery/queues.ts";
import type { Language } from "../src/domain/language.ts";
import type { Logger } from "../src/logger.ts";
import type { RevisionStore } from "../src/store/revision-store.ts";
import type { Translate } from "../src/telegram/status-card.ts";

/** How often the report looks whether every walk of a mirror change is done. */
const LOOK_AGAIN_MS = 2000;

export interface LinksReportDeps {
  api: Pick<Api, "sendMessage">;
  revisions: Pick<RevisionStore, "revisionFigures" | "claimRevisionReport">;
  translate: (lang: Language) => Translate;
  logger: Logger;
  now: () => DateTime;
}

/**
 * The admin's one report after a mirror change: once every quiet correction it started has
 * walked its ledger, "updated N, could not M" summed over all of them, sent once.
 */
export function linksReportProcessor(deps: LinksReportDeps) {
  return async (job: Job<LinksReportJob>, token?: string): Promise<void> => {
    const { walks, editor } = job.data;
    const figures = await Promise.all(walks.map((w) => deps.revisions.revisionFigures(w.seq, w.revision)));
    if (figures.some((f) => f !== undefined && f.finishedAt === undefined)) {
      await job.moveToDelayed(Date.now() + LOOK_AGAIN_MS, token);
      throw new DelayedError();
    }
    let updated = 0;
    let failed = 0;
    for (const f of figures) {
      for (const [result, n] of Object.entries(f?.counts ?? {})) {
        if (result === "edited") updated += n;
        else failed += n;
      }
    }
    const [first] = walks;
    // The first walk's report slot: quiet walks never claim their own.
    if (
      first &&
      !(await deps.revisions.claimRevisionReport(first.seq, first.revision, deps.now().toISO() ?? ""))
    )
      return;
    deps.logger.info({ articles: walks.length, updated, failed }, "links updated after a mirror change");
    await deps.api.sendMessage(
      editor.chatId,
      deps.translate(editor.lang)("adm-mirror-updated", { updated, failed }),
    );
  };
}
