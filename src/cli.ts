import { parseArgs } from "node:util";
import dotenv from "dotenv";
import { ConfigError, parseConfig } from "./config.ts";
import { createLogger } from "./logger.ts";
import { type Role, startApp } from "./main.ts";

const USAGE = "usage: newsbell start [--role all|bot|worker]";

async function start(args: string[]): Promise<void> {
  const { values } = parseArgs({ args, options: { role: { type: "string", default: "all" } } });
  const role = values.role;
  if (role !== "all" && role !== "bot" && role !== "worker")
    throw new UsageError(`--role must be all, bot or worker`);
  const config = parseConfig(process.env);
  const logger = createLogger(config.logLevel, [config.botToken, config.ingestToken]);
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

async function main(argv: string[]): Promise<void> {
  dotenv.config({ quiet: true });
  const [command, ...rest] = argv;
  switch (command) {
    case "start":
      return start(rest);
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
