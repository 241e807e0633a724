import type { BreakingDraft } from "./breaking-draft.ts";
import type { Language } from "./language.ts";

/** Who scheduled a push, or last set its time: the one its status message goes to when it goes out. */
export interface PushEditor {
  chatId: number;
  userId: number;
  lang: Language;
  /** For the audit trail, which the worker writes in the editor's name. */
  name: string;
}

/** An editor's breaking news waiting for its time. */
export interface ScheduledPush {
  /** The article id it is published under, given at scheduling: a second publish of it is a duplicate. */
  id: string;
  draft: BreakingDraft;
  /** When it goes (ms since the epoch). */
  atMs: number;
  editor: PushEditor;
  /** ISO 8601, UTC. */
  createdAt: string;
}

/** A push as kept: claimed once it starts going out or is cancelled; a claimed push no longer changes. */
export interface KeptPush extends ScheduledPush {
  claim?: "send" | "cancel";
  /** The editor got the status message of its sending already. */
  cardSent: boolean;
}
