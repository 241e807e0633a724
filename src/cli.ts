import { parseArgs } from "node:util";
import dotenv from "dotenv";
import { ConfigError, parseConfig } from "./config.ts";
import { createLogger } from "./logger.ts";
import type { Role } from "./main.ts";

const USAGE = [
  "usage: newsbell start [--role all|bot|worker]",
  "       newsbell publish <article.json>",
  "       newsbell import <subscribers.csv>",
  "       newsbell export > subscribers.csv",
  "       newsbell bench [--subscribers N] [--rate N] [--slack 0.1]",
].join("\n");

async function start(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { role: { type: "string", default: "all" } } });
  const role = values.role;
  if (role !== "all" && role !== "bot" && role !== "worker")
    throw new UsageError(`--role must be all, bot or worker`);
  const config = parseConfig(process.env);
  const logger = createLogger(config.logLevel, [config.botToken, config.ingestToken]);
  // Loaded here rather than at the top, so the data commands do not load the bot and workers.
  const { startApp } = await import("./main.ts");
  const app = await startApp(config, role as Role, logger);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping");
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    app.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, "unclean stop");
        process.exit(1);
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

class UsageError extends Error {}

/** The one positional argument a data command takes. */
function onlyArgument(args: string[], what: string, command: string): string {
  const { positionals } = parseArgs({ args, allowPositionals: true, options: {} });
  const [value, ...extra] = positionals;
  if (value === undefined || extra.length > 0) throw new UsageError(`usage: newsbell ${command} <${what}>`);
  return value;
}

/**
 * Data commands end by closing their connections, so the exit code is set, not forced. Each
 * loads only its own modules (not the bot's), which keeps the import's memory small.
 */
async function runDataCommand(args: string[], command: "publish" | "import" | "export"): Promise<void> {
  switch (command) {
    case "publish": {
      const path = onlyArgument(args, "article.json", command);
      const { publishCommand } = await import("./commands/publish.ts");
      process.exitCode = await publishCommand(parseConfig(process.env), path);
      return;
    }
    case "import": {
      const path = onlyArgument(args, "subscribers.csv", command);
      const { importCommand } = await import("./commands/subscribers.ts");
      process.exitCode = await importCommand(parseConfig(process.env), path);
      return;
    }
    case "export": {
      if (args.length > 0) throw new UsageError("usage: newsbell export > subscribers.csv");
      const { exportCommand } = await import("./commands/subscribers.ts");
      process.exitCode = await exportCommand(parseConfig(process.env));
      return;
    }
  }
}

async function main(argv: string[]): Promise<void> {
  dotenv.config({ quiet: true });
  const [command, ...rest] = argv;
  switch (command) {
    case "start":
      return start(rest);
    case "publish":
    case "import":
    case "export":
      return runDataCommand(rest, command);
    case "bench": {
      // Loaded on demand: the benchmark brings the fake Bot API of the test suite.
      const { runBench } = await import("./bench.ts");
      await runBench(rest);
      return process.exit(0);
    }
    default:
      throw new UsageError(command ? `unknown command "${command}"\n${USAGE}` : USAGE);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof UsageError) {
    process.stderr.write(`newsbell: ${error.message}\n`);
    process.exit(2);
  }
  process.stderr.write(`newsbell: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
