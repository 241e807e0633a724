import { z } from "zod";
import { DEFAULT_FOREIGN_AGENT_LABEL } from "./domain/label.ts";
import { parseMirrorList } from "./domain/mirrors.ts";
import { isValidTimeZone } from "./domain/time-zone.ts";
import type { HostPort, RedisTarget } from "./store/redis.ts";

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

/** `host:port,host:port` (IPv6 addresses in brackets, as in a URL), or a sentence saying what is wrong with the first bad entry. */
export function parseSentinels(value: string): HostPort[] | string {
  const nodes: HostPort[] = [];
  for (const raw of value.split(",")) {
    const entry = raw.trim();
    const match = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(\d{1,5})$/.exec(entry);
    const port = Number(match?.[2]);
    if (!match?.[1] || !(port >= 1 && port <= 65535)) {
      return `must be comma-separated host:port pairs such as sentinel-1:26379,sentinel-2:26379 (${entry === "" ? "an empty entry" : `"${entry}"`} is not one)`;
    }
    nodes.push({ host: match[1].replace(/^\[|\]$/g, ""), port });
  }
  return nodes;
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
      .regex(
        /^(?=.{1,64}$)(?:[A-Za-z0-9_-]+|\{[A-Za-z0-9_-]+\})$/,
        "must be 1-64 letters, digits, - or _, or such a name in braces for Redis Cluster, e.g. {newsbell}",
      )
      .default("newsbell"),
  ),
  REDIS_SENTINELS: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .transform((v, ctx) => {
        const nodes = parseSentinels(v);
        if (typeof nodes === "string") {
          ctx.addIssue({ code: "custom", message: nodes });
          return z.NEVER;
        }
        return nodes;
      })
      .optional(),
  ),
  REDIS_SENTINEL_NAME: z.preprocess(
    emptyToUndefined,
    z
      .string()
      .regex(
        /^[A-Za-z0-9._-]{1,64}$/,
        "must be the master's name in the sentinels' configuration (1-64 letters, digits, ., - or _)",
      )
      .optional(),
  ),
  REDIS_SENTINEL_PASSWORD: optionalString,
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
  LINK_MIRRORS: z.preprocess(
    (v) => emptyToUndefined(v) ?? "",
    z.string().transform((value, ctx) => {
      const parsed = parseMirrorList(value);
      if (parsed.ok) return parsed.map;
      ctx.addIssue({ code: "custom", message: parsed.why });
      return z.NEVER;
    }),
  ),
  ARTICLE_TEXT_DAYS: z.preprocess(emptyToUndefined, wholeNumber(1, 365).default(30)),
  SEND_TIMEOUT_SECONDS: z.preprocess(emptyToUndefined, wholeNumber(1, 300).default(15)),
  JOB_LOCK_SECONDS: z.preprocess(emptyToUndefined, wholeNumber(1, 600).default(30)),
  PIN_HOURS: z.preprocess(emptyToUndefined, wholeNumber(1, 168).default(12)),
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
  /**
   * Where Redis is: REDIS_URL alone, or with REDIS_SENTINELS the master the sentinels name
   * (REDIS_URL then gives only the user, password, database and TLS). Every connection is made
   * from this (src/store/redis.ts).
   */
  redis: redisTarget(e.REDIS_URL, e.REDIS_SENTINELS, e.REDIS_SENTINEL_NAME, e.REDIS_SENTINEL_PASSWORD),
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
  /** The mirror map at the first start; from then on the admins' (/mirror). */
  linkMirrors: e.LINK_MIRRORS as ReadonlyMap<string, string>,
  /** How long an article's full text is kept for "Read here". */
  articleTextDays: e.ARTICLE_TEXT_DAYS,
  /** How long a send may take before its outcome counts as unknown. */
  sendTimeoutSeconds: e.SEND_TIMEOUT_SECONDS,
  /** How long a crashed worker's job stays locked before another worker takes it over. */
  jobLockSeconds: e.JOB_LOCK_SECONDS,
  /** How long a pinned breaking alert stays pinned in a group or channel that pins them. */
  pinHours: e.PIN_HOURS,
}));

function redisTarget(
  url: string,
  sentinels: HostPort[] | undefined,
  name: string | undefined,
  password: string | undefined,
): RedisTarget {
  if (!sentinels) return { url };
  return {
    url,
    sentinels,
    sentinelName: name ?? DEFAULT_SENTINEL_NAME,
    ...(password ? { sentinelPassword: password } : {}),
  };
}

export type Config = z.output<typeof configSchema>;

/** The name `sentinel monitor` uses in Redis's own examples and most deployments. */
export const DEFAULT_SENTINEL_NAME = "mymaster";

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
  if (!env.REDIS_SENTINELS?.trim()) {
    // Either would be ignored without sentinels: say so rather than connect somewhere unexpected.
    for (const variable of ["REDIS_SENTINEL_NAME", "REDIS_SENTINEL_PASSWORD"]) {
      if (env[variable]?.trim()) throw new ConfigError(`${variable} is set but REDIS_SENTINELS is not`);
    }
  }
  if (config.webhookUrl && !config.webhookSecret) {
    throw new ConfigError("WEBHOOK_SECRET is required when WEBHOOK_URL is set");
  }
  return config;
}
