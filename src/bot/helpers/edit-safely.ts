import { GrammyError } from "grammy";

/** A tap that changes nothing visible makes Telegram refuse the edit; that is not a failure. */
export async function ignoreNotModified(edit: Promise<unknown>): Promise<void> {
  try {
    await edit;
  } catch (error) {
    if (error instanceof GrammyError && error.description.includes("message is not modified")) return;
    throw error;
  }
}
