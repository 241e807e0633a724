import { parseArgs } from "node:util";
import dotenv from "dotenv";
import { ConfigError, parseConfig } from "./config.ts";
import { createLogger } from "./logger.ts";
import type { Role } from "./main.ts";

type Command = "start" | "publish" | "import" | "export" | "bench";

const USAGES: Record<Command, string> = {
  start: "newsbell start [--role all|bot|worker]",
  publish: "newsbell publish <article.json | ->",
  import: "newsbell import [--include-stopped] <subscribers.csv>",
  export: "newsbell export > subscribers.csv",
  // One line per benchmark, each with its own options: the top-level --help lists them all.
  bench: [
    "newsbell bench [--subscribers N] [--rate N|0] [--slack 0.1] [--audience spread|three-slugs] [--redis-url URL]",
    "newsbell bench readers [--chats N] [--digest-chats N] [--digest-items N] [--rate N] [--redis-url URL]",
    "newsbell bench reading [--subscribers N] [--rate N] [--chars N] [--redis-url URL]",
    "newsbell bench floor [--rate N] [--seconds N]",
    "newsbell bench reactions [--articles N] [--chats N] [--lookups N] [--subscribers N] [--rate N] [--redis-url URL]",
  ].join("\n       "),
};

const EXPLANATIONS: Record<Command, string[]> = {
  start: [
    "Runs the bot, the delivery workers, or both in one process (all, the default), with the HTTP",
    "server. SIGTERM or SIGINT stops it cleanly; the last log line says why it stopped.",
  ],
  publish: [
    'Publishes one article (JSON; "-" reads it from standard input). Prints "queued <id> (#seq)" or',
    '"duplicate <id>"; an invalid article gets one line per bad field and exit code 1.',
  ],
  import: [
    "Imports subscribers, one chat per line:",
    "chat_id,slug;slug[,lang[,editions[,time_zone[,active[,options]]]]]. options is a JSON object",
    '(as export writes it, e.g. "{""mode"":""digest"",""digestTimes"":[""08:00""]}"): a chat\'s',
    "delivery mode, digest times, quiet hours, pause, filters, breaking-news choices, forum topic and",
    "kind (keys: docs/http-api.md); what it leaves out takes the defaults, and a chat keeps its kind. An empty",
    "or missing options column changes none of these, as with files written before it existed.",
    "A header line is skipped; a bad line (a bad options cell too) is reported by number and",
    "imported not at all, and the exit code is 1. Chats that said /stop are skipped (and counted)",
    "unless --include-stopped is given.",
  ],
  export: [
    "Writes every subscriber as CSV with a header on standard output: a backup import restores",
    "exactly, reader options included (the options column). It holds chat ids, never names.",
  ],
  bench: [
    "Measures delivery against a fake Bot API under a throw-away Redis prefix: the product's worker",
    "and the fake each run in a process of their own, so the worker's CPU, RSS and Redis round trips",
    "are its own. --rate 0 is unlimited. --audience three-slugs: readers follow 1-3 of three slugs,",
    "60 % the first, and the article goes to two of them (big subscription shards); spread (the",
    'default): 1-3 of every slug. "newsbell bench readers [--chats N] [--digest-chats N]',
    "[--digest-items N] [--rate N]\" measures the readers' options: bytes per chat, the fan-out with",
    "10 % of chats having options against all default, and digests sent through the rate limit.",
    '"newsbell bench floor [--rate N] [--seconds N]" measures the floor under that: bare labelled',
    "sends through the workers' client, paced and unlimited, with no queue, ledger or Redis.",
    '"newsbell bench reading [--subscribers N] [--rate N] [--chars N]" measures Read here: the bytes',
    "of a stored text, the time to clean and render a long article, and the fan-out's cost per alert",
    "with and without a text.",
    '"newsbell bench reactions [--articles N] [--chats N] [--lookups N]" measures what finding a',
    "reaction's article costs with N articles in 48 h (one script call over their ledgers), and the",
    "fan-out's cost per alert, to which the reactions add no byte and no round trip.",
  ],
};

const COMMANDS = Object.keys(USAGES) as Command[];

const USAGE = COMMANDS.map((c, i) => `${i === 0 ? "usage: " : "       "}${USAGES[c]}`).join("\n");

const HELP = [
  USAGE,
  "",
  '"newsbell <command> --help" explains a command. Configuration comes from the environment (and',
  ".env). Exit codes: 0 done, 1 failed, 2 a usage or configuration error.",
].join("\n");

class UsageError extends Error {}

/** Any --help or -h before a "--" asks for help, whatever else is on the line. */
function asksForHelp(args: readonly string[]): boolean {
  const end = args.indexOf("--");
  return (end < 0 ? args : args.slice(0, end)).some((a) => a === "--help" || a === "-h");
}

function printHelp(command: Command): void {
  process.stdout.write(`usage: ${USAGES[command]}\n\n${EXPLANATIONS[command].join("\n")}\n`);
}

/** A mistake in a command's arguments is a usage error: exit 2, with the command's usage. */
function parsed<T>(command: Command, parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    if (!isParseArgsError(error)) throw error;
    // Node's message goes on to explain "--"; its first sentence is what the user needs.
    const sentence = (error as Error).message.split(". ")[0] ?? "bad arguments";
    const first = sentence.charAt(0).toLowerCase() + sentence.slice(1);
    throw new UsageError(`${first}\nusage: ${USAGES[command]}`);
  }
}

function isParseArgsError(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === "string" && code.startsWith("ERR_PARSE_ARGS_");
}

async function start(args: string[]): Promise<void> {
  const { values } = parsed("start", () =>
    parseArgs({ args, options: { role: { type: "string", default: "all" } } }),
  );
  const role = values.role;
  if (role !== "all" && role !== "bot" && role !== "worker")
    throw new UsageError(`--role must be all, bot or worker\nusage: ${USAGES.start}`);
  const config = parseConfig(process.env);
  const logger = createLogger(config.logLevel, [config.botToken, config.ingestToken]);
  // Loaded here rather than at the top, so the data commands do not load the bot and workers.
  const { startApp } = await import("./main.ts");
  const app = await startApp(config, role as Role, logger);
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "stopping");
    // The last line tells an operator reading the log why the process ended and how.
    const exit = (exitCode: number, how: "clean" | "unclean" | "forced") => {
      if (exitCode === 0) logger.info({ signal, exitCode, how }, "stopped");
      else logger.warn({ signal, exitCode, how }, "stopped");
      // pino writes stdout asynchronously: the last line must be out before the process ends,
      // but a flush that never answers must not keep it alive.
      setTimeout(() => process.exit(exitCode), 1000).unref();
      logger.flush(() => process.exit(exitCode));
    };
    const force = setTimeout(() => exit(1, "forced"), 10_000);
    force.unref();
    app.stop().then(
      () => exit(0, "clean"),
      (err: unknown) => {
        logger.error({ err }, "unclean stop");
        exit(1, "unclean");
      },
    );
  };
  process.on("SIGTERM", () => shutdown("SIGTERM"));
  process.on("SIGINT", () => shutdown("SIGINT"));
}

/** The one positional argument a data command takes. */
function onlyArgument(command: Command, positionals: string[]): string {
  const [value, ...extra] = positionals;
  if (value === undefined || extra.length > 0) throw new UsageError(`usage: ${USAGES[command]}`);
  return value;
}

/**
 * Data commands end by closing their connections, so the exit code is set, not forced. Each
 * loads only its own modules (not the bot's), which keeps the import's memory small.
 */
async function runDataCommand(args: string[], command: "publish" | "import" | "export"): Promise<void> {
  switch (command) {
    case "publish": {
      const { positionals } = parsed(command, () => parseArgs({ args, allowPositionals: true, options: {} }));
      const path = onlyArgument(command, positionals);
      const { publishCommand } = await import("./commands/publish.ts");
      process.exitCode = await publishCommand(parseConfig(process.env), path);
      return;
    }
    case "import": {
      const { values, positionals } = parsed(command, () =>
        parseArgs({ args, allowPositionals: true, options: { "include-stopped": { type: "boolean" } } }),
      );
      const path = onlyArgument(command, positionals);
      const { importCommand } = await import("./commands/subscribers.ts");
      process.exitCode = await importCommand(parseConfig(process.env), path, {
        includeStopped: values["include-stopped"] === true,
      });
      return;
    }
    case "export": {
      const { positionals } = parsed(command, () => parseArgs({ args, allowPositionals: true, options: {} }));
      if (positionals.length > 0) throw new UsageError(`usage: ${USAGES.export}`);
      const { exportCommand } = await import("./commands/subscribers.ts");
      process.exitCode = await exportCommand(parseConfig(process.env));
      return;
    }
  }
}

function isCommand(name: string | undefined): name is Command {
  return name !== undefined && (COMMANDS as string[]).includes(name);
}

/**
 * Settings from a file: `.env` in the current directory, or the file NEWSBELL_ENV_FILE names, or
 * none when it is set but empty (how the tests keep a developer's `.env` out of the processes
 * they start). Variables already in the environment win over the file.
 */
function loadEnvFile(): void {
  const named = process.env.NEWSBELL_ENV_FILE;
  if (named === "") return;
  if (named === undefined) {
    dotenv.config({ quiet: true });
    return;
  }
  const { error } = dotenv.config({ path: named, quiet: true });
  if (error) {
    const code = (error as { code?: unknown }).code;
    throw new ConfigError(
      `NEWSBELL_ENV_FILE: cannot read ${named}${typeof code === "string" ? ` (${code})` : ""}`,
    );
  }
}

/** `newsbell bench <name>`: each bench beside the delivery one, loaded only when asked for. */
const NAMED_BENCHES: Record<string, () => Promise<(args: string[]) => Promise<void>>> = {
  floor: async () => (await import("./bench/send-floor.ts")).runSendFloor,
  reading: async () => (await import("./bench/reading-bench.ts")).runReadingBench,
  reactions: async () => (await import("./bench/reaction-bench.ts")).runReactionBench,
  readers: async () => (await import("./bench/reader-bench.ts")).runReaderBench,
};

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  if (command === "--help" || command === "-h" || command === "help") {
    const [topic] = rest;
    if (isCommand(topic)) printHelp(topic);
    else if (topic === undefined) process.stdout.write(`${HELP}\n`);
    else throw new UsageError(`unknown command "${topic}"\n${USAGE}`);
    return;
  }
  if (!isCommand(command)) throw new UsageError(command ? `unknown command "${command}"\n${USAGE}` : USAGE);
  if (asksForHelp(rest)) return printHelp(command);
  loadEnvFile();
  switch (command) {
    case "start":
      return start(rest);
    case "publish":
    case "import":
    case "export":
      return runDataCommand(rest, command);
    case "bench": {
      // Loaded on demand: only the benchmark needs its fake Bot API.
      const name = rest[0];
      const named =
        name !== undefined && Object.hasOwn(NAMED_BENCHES, name) ? NAMED_BENCHES[name] : undefined;
      const run = named ? await named() : (await import("./bench/run-bench.ts")).runBench;
      await run(named ? rest.slice(1) : rest);
      return process.exit(0);
    }
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof UsageError || isParseArgsError(error)) {
    process.stderr.write(`newsbell: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(2);
  }
  process.stderr.write(`newsbell: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
