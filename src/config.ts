import { z } from "zod";
import { DEFAULT_FOREIGN_AGENT_LABEL } from "./domain/label.ts";
import { isValidTimeZone } from "./domain/time-zone.ts";

const emptyToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);
const optionalString = z.preprocess(emptyToUndefined, z.string().optional());
const booleanFlag = z.preprocess(
  emptyToUndefined,
  z
    .enum(["true", "false", "1", "0", "yes", "no"], { message: "must be true or false" })
    .default("false")
    .transform((v) => v === "true" || v === "1" || v === "yes"),
);
const wholeNumber = (min: number, max: number) => {
  const message = `must be a whole number from ${min} to ${max}`;
  return z.coerce.number({ message }).int({ message }).min(min, { message }).max(max, { message });
};
const httpUrl = z.url({ protocol: /^https?$/, message: "must be an http(s) URL" });

/** Plain http is only for a Bot API on this machine: anywhere else the token in every path would travel in clear. */
function isHttpsOrLoopback(url: string): boolean {
  if (!URL.canParse(url)) return true; // the URL check above names that problem
  const { protocol, hostname } = new URL(url);
  if (protocol === "https:") return true;
  return hostname === "localhost" || hostname === "[::1]" || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

const schema = z.object({
  BOT_TOKEN: z
    .string({ message: "is required (the token @BotFather gave you)" })
    .trim()
    .regex(/^\d+:[A-Za-z0-9_-]+$/, "must look like 123456:ABC-DEF… (the token @BotFather gave you)"),
  TELEGRAM_API_ROOT: z.preprocess(
    emptyToUndefined,
    httpUrl
      .refine(isHttpsOrLoopback, "must be an https URL (plain http only for 127.0.0.1, ::1 or localhost)")
      .default("https://api.telegram.org"),
  ),
  REDIS_URL: z.preprocess(
    emptyToUndefined,
    z
      .url({ protocol: /^rediss?$/, message: "must be a redis:// or rediss:// URL" })
      .default("redis://127.0.0.1:6379"),
  ),
  REDIS_PREFIX: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,64}$/, "must be 1-64 letters, digits, - or _")
      .default("newsbell"),
  ),
  ADMIN_IDS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^\s*\d+(\s*,\s*\d+)*\s*$/, "must be comma-separated numeric Telegram user ids")
      .optional()
      .transform((v) => (v ? v.split(",").map((id) => Number(id.trim())) : [])),
  ),
  SEND_RATE: z.preprocess(emptyToUndefined, wholeNumber(1, 1000).default(25)),
  PAID_BROADCAST: booleanFlag,
  HTTP_HOST: z.preprocess(emptyToUndefined, z.string().default("127.0.0.1")),
  HTTP_PORT: z.preprocess(emptyToUndefined, wholeNumber(0, 65535).default(8080)),
  INGEST_TOKEN: z.preprocess(
    emptyToUndefined,
    z.string().min(16, "must be at least 16 characters").optional(),
  ),
  FEEDS_FILE: optionalString,
  FEEDS_ALLOW_PRIVATE: booleanFlag,
  // Unlike the other flags this one is on unless turned off.
  LINK_PREVIEWS: z.preprocess((v) => emptyToUndefined(v) ?? "true", booleanFlag),
  WEBHOOK_URL: z.preprocess(
    emptyToUndefined,
    z.url({ protocol: /^https$/, message: "must be an https URL" }).optional(),
  ),
  WEBHOOK_SECRET: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(/^[A-Za-z0-9_-]{1,256}$/, "must be 1-256 characters A-Z, a-z, 0-9, _ or -")
      .optional(),
  ),
  DASHBOARD_PASSWORD: z.preprocess(
    emptyToUndefined,
    z.string().min(16, "must be at least 16 characters").optional(),
  ),
  FOREIGN_AGENT_LABEL: z.preprocess(
    emptyToUndefined,
    z.string().trim().max(900, "must be at most 900 characters").default(DEFAULT_FOREIGN_AGENT_LABEL),
  ),
  DEFAULT_LANGUAGE: z.preprocess(
    emptyToUndefined,
    z.enum(["ru", "en"], { message: "must be ru or en" }).default("ru"),
  ),
  DEFAULT_TIMEZONE: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .refine(isValidTimeZone, "must be an IANA time zone such as Europe/Moscow")
      .default("Europe/Moscow"),
  ),
  SEND_TIMEOUT_SECONDS: z.preprocess(emptyToUndefined, wholeNumber(1, 300).default(15)),
  JOB_LOCK_SECONDS: z.preprocess(emptyToUndefined, wholeNumber(1, 600).default(30)),
  LOG_LEVEL: z.preprocess(
    emptyToUndefined,
    z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
  ),
});

/** The environment as the program uses it: its type follows from the schema, written once. */
const configSchema = schema.transform((e) => ({
  botToken: e.BOT_TOKEN,
  telegramApiRoot: e.TELEGRAM_API_ROOT.replace(/\/+$/, ""),
  redisUrl: e.REDIS_URL,
  redisPrefix: e.REDIS_PREFIX,
  adminIds: e.ADMIN_IDS,
  sendRate: e.SEND_RATE,
  paidBroadcast: e.PAID_BROADCAST,
  /** Text alerts show the article's link preview (under the text). */
  linkPreviews: e.LINK_PREVIEWS,
  httpHost: e.HTTP_HOST,
  httpPort: e.HTTP_PORT,
  ingestToken: e.INGEST_TOKEN,
  feedsFile: e.FEEDS_FILE,
  /** Lets feeds and their redirects reach loopback and private addresses (an internal feed). */
  feedsAllowPrivate: e.FEEDS_ALLOW_PRIVATE,
  webhookUrl: e.WEBHOOK_URL,
  webhookSecret: e.WEBHOOK_SECRET,
  dashboardPassword: e.DASHBOARD_PASSWORD,
  label: e.FOREIGN_AGENT_LABEL,
  defaultLanguage: e.DEFAULT_LANGUAGE,
  defaultTimeZone: e.DEFAULT_TIMEZONE,
  logLevel: e.LOG_LEVEL,
  /** How long a send may take before its outcome counts as unknown. */
  sendTimeoutSeconds: e.SEND_TIMEOUT_SECONDS,
  /** How long a crashed worker's job stays locked before another worker takes it over. */
  jobLockSeconds: e.JOB_LOCK_SECONDS,
}));

export type Config = z.output<typeof configSchema>;

export class ConfigError extends Error {}

/** Validates the environment once; the error message is one line naming the variable. */
export function parseConfig(env: Record<string, string | undefined>): Config {
  const result = configSchema.safeParse(env);
  if (!result.success) {
    const issue = result.error.issues[0];
    const variable = String(issue?.path[0] ?? "configuration");
    const given = env[variable];
    const why = given === undefined && issue?.code === "invalid_type" ? "is required" : issue?.message;
    throw new ConfigError(`${variable} ${why}`);
  }
  const config = result.data;
  if (config.webhookUrl && !config.webhookSecret) {
    throw new ConfigError("WEBHOOK_SECRET is required when WEBHOOK_URL is set");
  }
  return config;
}
