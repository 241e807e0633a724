import { migrateChat } from "../store/chat-migration.ts";
import { exhaustedSend, handleFailure, SEND_TRIES, type SendTries } from "./deliver-failure.ts";
import type { DigestReader, Rendered, SendDigestDeps } from "./digest-deps.ts";
import { sendUnderPolicy } from "./send-under-policy.ts";

/** A digest message sent, "empty" when no line was left to send, undefined when the chat is out of reach. */
export type PartSent = (Rendered & { messageId: number }) | "empty" | undefined;

/**
 * Sends one digest message, rendered by `render` right before each attempt (a revision may come
 * while a send fails and is tried again): what was sent, "empty" when `render` finds no line
 * left, or undefined when the chat is out of reach for good.
 */
export async function sendDigestPart(
  deps: SendDigestDeps,
  chatId: number,
  reader: DigestReader,
  render: () => Promise<Rendered | undefined>,
  lastTry: boolean,
): Promise<PartSent> {
  const tries: SendTries = { seq: 0, chatId, lastTry, ambiguousCounted: true };
  return sendUnderPolicy<Rendered, PartSent>(
    { limiter: deps.limiter, stopping: deps.stopping, tries: SEND_TRIES },
    {
      target: () => ({ id: reader.target.id, isGroup: reader.target.kind !== "private" }),
      // No job lock fences a digest (the held store's owner does), so a slot that went by while
      // it rendered is not asked again: the message goes at once.
      ready: async () => {
        const rendered = await render();
        return rendered ? { go: rendered } : { settle: "empty" };
      },
      call: async (rendered) => {
        const target = reader.target;
        const sent = await deps.api.sendMessage(target.id, rendered.html, {
          parse_mode: "HTML",
          // Many links in one message: a preview of the first would push the others down.
          link_preview_options: { is_disabled: true },
          ...(target.threadId !== undefined ? { message_thread_id: target.threadId } : {}),
        });
        return { ...rendered, messageId: sent.message_id };
      },
      failed: async (error) => {
        const step = await handleFailure(error, tries, reader.target.id, deps);
        // Whatever the chat's outcome, the digest is out of reach for good.
        return step.next === "settle" ? { next: "settle", outcome: undefined } : step;
      },
      exhausted: () => {
        exhaustedSend(tries);
        return undefined;
      },
      moveTo: async (to) => {
        const target = reader.target;
        await migrateChat(deps, target.id, to);
        await deps.held.setTarget(chatId, to);
        reader.target = (await deps.chats.get(to)) ?? { ...target, id: to, kind: "group" };
      },
      toGeneral: () => {
        reader.target = { ...reader.target, threadId: undefined };
      },
    },
  );
}
