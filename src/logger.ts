import { type DestinationStream, type Logger, pino } from "pino";

export type { Logger };

// Deep enough for an HttpError around a fetch error around a socket error, and no deeper.
const CAUSE_DEPTH = 3;

/**
 * JSON logs on stdout (or `destination`). Secrets are masked in each finished line, after
 * serialization, so they are caught wherever they hide: a message, an error's message or
 * stack, a nested field. Errors keep what explains them and nothing they carry.
 */
export function createLogger(
  level: string,
  secrets: readonly (string | undefined)[] = [],
  destination?: DestinationStream,
): Logger {
  const hidden = secrets.filter((s): s is string => typeof s === "string" && s.length > 0);
  const options = {
    level,
    base: { service: "newsbell" },
    redact: {
      paths: [
        "token",
        "botToken",
        "config.botToken",
        "config.ingestToken",
        "headers.authorization",
        "req.headers.authorization",
      ],
      censor: "[secret]",
    },
    serializers: { err: serializeError },
    hooks: {
      // Error messages from HTTP clients can quote the Bot API URL, which contains the token.
      streamWrite: (line: string) => maskSecrets(line, hidden),
    },
  };
  return destination ? pino(options, destination) : pino(options);
}

/**
 * Replaces every secret in a finished JSON line. Secrets are matched as they appear inside a
 * JSON string (escaped), which is the only place a value can reach the line.
 */
export function maskSecrets(line: string, secrets: readonly string[]): string {
  return secrets.reduce(
    (acc, secret) => acc.split(JSON.stringify(secret).slice(1, -1)).join("[secret]"),
    line,
  );
}

/**
 * What a logged error keeps: its type, message and stack, a system error's code, the Bot API's
 * `error_code`, `description` and `retry_after`, and its cause. Nothing else, because errors
 * carry data: grammY's GrammyError holds the whole request payload (readers' chat ids and the
 * texts sent to them), HttpError the error of the request it wraps.
 */
export function serializeError(err: unknown, depth = 0): unknown {
  if (!(err instanceof Error)) return err;
  const out: Record<string, unknown> = { type: err.name, message: err.message, stack: err.stack };
  const fields = err as Error & Record<string, unknown>;
  for (const key of ["code", "error_code", "description", "method"] as const) {
    const value = fields[key];
    if (typeof value === "string" || typeof value === "number") out[key] = value;
  }
  const retryAfter = (fields.parameters as { retry_after?: unknown } | undefined)?.retry_after;
  if (typeof retryAfter === "number") out.retry_after = retryAfter;
  if (depth < CAUSE_DEPTH) {
    // HttpError names its inner error `error`; everything else uses the standard `cause`.
    const cause = err.name === "HttpError" && fields.error instanceof Error ? fields.error : err.cause;
    if (cause instanceof Error) out.cause = serializeError(cause, depth + 1);
    else if (typeof cause === "string") out.cause = cause;
    if (err instanceof AggregateError) {
      out.errors = err.errors.slice(0, 10).map((e: unknown) => serializeError(e, depth + 1));
    }
  }
  return out;
}
