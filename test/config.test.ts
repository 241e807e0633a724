import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "../src/config.ts";
import { DEFAULT_FOREIGN_AGENT_LABEL } from "../src/domain/label.ts";

const token = { BOT_TOKEN: "123:abc" };
const failure = (env: Record<string, string>) => {
  try {
    parseConfig(env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error("expected the configuration to be refused");
};

describe("configuration", () => {
  it("fills every default of the design when only the token is given", () => {
    expect(parseConfig(token)).toMatchObject({
      telegramApiRoot: "https://api.telegram.org",
      redisUrl: "redis://127.0.0.1:6379",
      redisPrefix: "newsbell",
      adminIds: [],
      sendRate: 25,
      paidBroadcast: false,
      httpHost: "127.0.0.1",
      httpPort: 8080,
      ingestToken: undefined,
      label: DEFAULT_FOREIGN_AGENT_LABEL,
      defaultLanguage: "ru",
      defaultTimeZone: "Europe/Moscow",
    });
  });

  it("names the missing token in one line", () => {
    expect(failure({})).toBe("BOT_TOKEN is required");
  });

  it("names each malformed variable and says what it must be", () => {
    expect(failure({ BOT_TOKEN: "nonsense" })).toMatch(/^BOT_TOKEN must look like/);
    expect(failure({ ...token, SEND_RATE: "fast" })).toBe("SEND_RATE must be a whole number from 1 to 1000");
    expect(failure({ ...token, SEND_RATE: "0" })).toBe("SEND_RATE must be a whole number from 1 to 1000");
    expect(failure({ ...token, REDIS_URL: "http://x" })).toBe(
      "REDIS_URL must be a redis:// or rediss:// URL",
    );
    expect(failure({ ...token, ADMIN_IDS: "12,abc" })).toMatch(/^ADMIN_IDS must be comma-separated/);
    expect(failure({ ...token, DEFAULT_TIMEZONE: "Mars/Olympus" })).toMatch(
      /^DEFAULT_TIMEZONE must be an IANA/,
    );
    expect(failure({ ...token, DEFAULT_LANGUAGE: "de" })).toBe("DEFAULT_LANGUAGE must be ru or en");
    expect(failure({ ...token, PAID_BROADCAST: "maybe" })).toBe("PAID_BROADCAST must be true or false");
    expect(failure({ ...token, HTTP_PORT: "70000" })).toBe(
      "HTTP_PORT must be a whole number from 0 to 65535",
    );
    expect(failure({ ...token, REDIS_PREFIX: "a:b" })).toMatch(/^REDIS_PREFIX must be/);
    expect(failure({ ...token, TELEGRAM_API_ROOT: "ftp://x" })).toBe(
      "TELEGRAM_API_ROOT must be an http(s) URL",
    );
    expect(failure({ ...token, WEBHOOK_URL: "https://bot.example.org/hook" })).toBe(
      "WEBHOOK_SECRET is required when WEBHOOK_URL is set",
    );
  });

  it("refuses a dashboard password shorter than 16 characters, naming the variable", () => {
    expect(failure({ ...token, DASHBOARD_PASSWORD: "board-password" })).toBe(
      "DASHBOARD_PASSWORD must be at least 16 characters",
    );
    expect(parseConfig({ ...token, DASHBOARD_PASSWORD: "a-long-board-password" }).dashboardPassword).toBe(
      "a-long-board-password",
    );
    expect(parseConfig({ ...token, DASHBOARD_PASSWORD: "" }).dashboardPassword).toBeUndefined();
  });

  it("takes a Bot API root over plain http only on this machine, so the token never travels in clear", () => {
    for (const root of ["http://api.telegram.org", "http://10.0.0.5:8081", "http://127.example.org"]) {
      expect(failure({ ...token, TELEGRAM_API_ROOT: root }), root).toBe(
        "TELEGRAM_API_ROOT must be an https URL (plain http only for 127.0.0.1, ::1 or localhost)",
      );
    }
    for (const root of [
      "http://127.0.0.1:8081",
      "http://127.1.2.3",
      "http://[::1]:8081",
      "http://localhost:8081",
      "https://botapi.example.org",
    ]) {
      expect(parseConfig({ ...token, TELEGRAM_API_ROOT: root }).telegramApiRoot, root).toBe(root);
    }
  });

  it("keeps feeds away from private addresses unless FEEDS_ALLOW_PRIVATE is true", () => {
    expect(parseConfig(token).feedsAllowPrivate).toBe(false);
    expect(parseConfig({ ...token, FEEDS_ALLOW_PRIVATE: "true" }).feedsAllowPrivate).toBe(true);
    expect(failure({ ...token, FEEDS_ALLOW_PRIVATE: "sometimes" })).toBe(
      "FEEDS_ALLOW_PRIVATE must be true or false",
    );
  });

  it("reads lists, flags and an overridden label", () => {
    const config = parseConfig({
      ...token,
      ADMIN_IDS: " 1, 22 ,333",
      PAID_BROADCAST: "true",
      FOREIGN_AGENT_LABEL: "ДРУГОЙ ТЕКСТ",
    });
    expect(config.adminIds).toEqual([1, 22, 333]);
    expect(config.paidBroadcast).toBe(true);
    expect(config.label).toBe("ДРУГОЙ ТЕКСТ");
  });

  it("treats an empty variable as unset", () => {
    expect(parseConfig({ ...token, SEND_RATE: "", ADMIN_IDS: "" })).toMatchObject({
      sendRate: 25,
      adminIds: [],
    });
  });
});
