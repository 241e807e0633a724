/**
 * The environment the product's config is read from in a bench: the fake Bot API, a throw-away
 * prefix, and a send rate (0 = unlimited: the product's highest, with paid broadcast).
 */
export function benchEnv(
  apiRoot: string,
  redisUrl: string,
  prefix: string,
  rate: number,
): Record<string, string> {
  return {
    BOT_TOKEN: "123456:BENCH",
    TELEGRAM_API_ROOT: apiRoot,
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    SEND_RATE: String(rate > 0 ? rate : 1000),
    PAID_BROADCAST: rate > 30 || rate === 0 ? "true" : "false",
    LOG_LEVEL: "warn",
  };
}
