import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { WORKER_NODE_OPTIONS } from "../jobs/workers.ts";

const read = (name: string) => readFileSync(new URL(`../${name}`, import.meta.url), "utf8");

describe("docker-compose.yml", () => {
  it("passes every variable of .env.example on to the containers", () => {
    const variables = [...read(".env.example").matchAll(/^#?\s*([A-Z][A-Z0-9_]*)=/gm)].map((m) => m[1]);
    expect(variables).toContain("REDIS_SENTINELS");
    const compose = read("docker-compose.yml");
    const missing = variables.filter(
      (name) => !new RegExp(`^\\s+${name}:|\\$\\{${name}[:}]`, "m").test(compose),
    );
    expect(missing).toEqual([]);
  });

  it("gives Redis a memory limit beside noeviction, which does nothing without one", () => {
    const compose = read("docker-compose.yml");
    expect(compose).toMatch(
      /--maxmemory\n\s+- \$\{REDIS_MAXMEMORY:-\d+[mg]b\}\n\s+- --maxmemory-policy\n\s+- noeviction/,
    );
  });

  it("runs the worker service with the capped heap the bench measures the worker with", () => {
    const worker = read("docker-compose.yml").split(/^ {2}worker:$/m)[1] ?? "";
    expect(worker).toContain(`NODE_OPTIONS: ${WORKER_NODE_OPTIONS}\n`);
  });
});
