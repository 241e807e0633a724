import { defineConfig } from "vitest/config";

/**
 * `npm run test:chaos`: the tests that kill or start redis-server, sentinels, a cluster or worker
 * processes, and those that push big volumes (a million-line import, the bench). Minutes, not
 * seconds, and they want the machine to themselves; `npm test` runs everything else.
 */
const CHAOS = [
  "test/jobs/crash-recovery.test.ts",
  "test/jobs/digest-crash.test.ts",
  "test/jobs/sentinel-failover.test.ts",
  "test/jobs/cluster-prefix.test.ts",
  "test/cli-import-memory.test.ts",
  "test/bench/run-bench.test.ts",
  "test/store/subscriber-import-scale.test.ts",
];
const AUDIT = "test/label-audit.test.ts";

const shared = { testTimeout: 30_000, hookTimeout: 30_000, pool: "forks" as const };

/** Reads what every file of its run sent through the fake Bot API, so it must run after them all. */
function labelAudit(name: string, run: "fast" | "chaos", groupOrder: number) {
  return {
    test: { ...shared, name, include: [AUDIT], provide: { auditedRun: run }, sequence: { groupOrder } },
  };
}

export default defineConfig({
  test: {
    globalSetup: ["test/support/global-setup.ts"],
    projects: [
      {
        test: {
          ...shared,
          name: "fast",
          include: ["test/**/*.test.ts"],
          exclude: [AUDIT, ...CHAOS],
          // Most files wait on Telegram's pacing, timers or other processes more than they compute:
          // on two cores, four at a time keep both busy (the default, one per core less, keeps one).
          maxWorkers: 4,
          // A worker imports grammY, BullMQ and the app once for all its files, not once per file
          // (half the suite's CPU). The files share nothing else: each has its own Redis prefix,
          // fake Bot API and chat ids.
          isolate: false,
          sequence: { groupOrder: 0 },
        },
      },
      labelAudit("label-audit", "fast", 1),
      {
        test: {
          ...shared,
          name: "chaos",
          include: CHAOS,
          // One at a time: each loads the one Redis and both cores for minutes (two together took
          // the 100,000-chat import past its minute), and their timeouts were set for a machine
          // of their own.
          maxWorkers: 1,
          testTimeout: 120_000,
          // Not 0: vitest runs a one-worker project of group 0 after every group, audit included.
          sequence: { groupOrder: 2 },
        },
      },
      labelAudit("chaos-label-audit", "chaos", 3),
    ],
  },
});
