import { type Logger, pino } from "pino";

export type { Logger };

/** JSON logs on stdout; secrets are redacted wherever a logged object carries them. */
export function createLogger(level: string, secrets: readonly (string | undefined)[] = []): Logger {
  const hidden = secrets.filter((s): s is string => typeof s === "string" && s.length > 0);
  return pino({
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
    hooks: {
      // Error messages from HTTP clients can quote the Bot API URL, which contains the token.
      logMethod(args, method) {
        const masked = args.map((a) => (typeof a === "string" ? mask(a, hidden) : a));
        return method.apply(this, masked as Parameters<typeof method>);
      },
    },
    formatters: {
      log(object) {
        return hidden.length === 0
          ? object
          : (JSON.parse(mask(JSON.stringify(object), hidden)) as typeof object);
      },
    },
  });
}

function mask(text: string, secrets: readonly string[]): string {
  return secrets.reduce((acc, s) => acc.split(s).join("[secret]"), text);
}
