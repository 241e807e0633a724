import { parseArgs } from "node:util";

/**
 * A bench's command-line options: each one a string with its default, and --redis-url beside them.
 * Unknown options and stray words are refused, as parseArgs refuses them.
 */
export function benchOptions<Name extends string>(
  args: string[],
  defaults: Readonly<Record<Name, string>>,
): Record<Name | "redis-url", string> {
  const options = Object.fromEntries(
    Object.entries<string>(defaults).map(([name, value]) => [
      name,
      { type: "string" as const, default: value },
    ]),
  );
  const { values } = parseArgs({
    args,
    options: {
      ...options,
      "redis-url": { type: "string", default: process.env.REDIS_URL ?? "redis://127.0.0.1:6379" },
    },
  });
  return values as Record<Name | "redis-url", string>;
}

/** Refuses the first of the named counts that is not a whole number above 0, with the bench's usage. */
export function requireCounts(counts: readonly (readonly [string, number])[], usage: string): void {
  for (const [name, value] of counts)
    if (!Number.isInteger(value) || value < 1)
      throw new Error(`${name} must be a whole number above 0\n${usage}`);
}

/** The delivery bench's arguments for a bench that runs it beside its own measures. */
export function deliveryBenchArgs(values: Record<"subscribers" | "rate" | "redis-url", string>): string[] {
  return ["--subscribers", values.subscribers, "--rate", values.rate, "--redis-url", values["redis-url"]];
}
