import { GrammyError, HttpError } from "grammy";
import type { SendFailure } from "../domain/send-failure.ts";

/** What a failed Bot API call says, in the terms the delivery rules decide on; undefined when it is not Telegram or the network. */
export function describeFailure(error: unknown): SendFailure | undefined {
  if (error instanceof GrammyError) {
    return {
      kind: "api",
      code: error.error_code,
      description: error.description,
      retryAfter: error.parameters.retry_after,
      migrateTo: error.parameters.migrate_to_chat_id,
    };
  }
  if (error instanceof HttpError) {
    const code = (error.error as { code?: string } | undefined)?.code ?? "";
    // Refused before connecting: Telegram never saw the request, so a retry cannot duplicate.
    const neverLeft = ["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"].includes(
      code,
    );
    return { kind: "network", requestLeft: !neverLeft };
  }
  return undefined;
}
