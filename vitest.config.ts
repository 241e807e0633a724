import { defineConfig } from "vitest/config";

const shared = { testTimeout: 30_000, hookTimeout: 30_000, pool: "forks" as const };

export default defineConfig({
  test: {
    globalSetup: ["test/support/global-setup.ts"],
    projects: [
      {
        test: {
          ...shared,
          name: "main",
          include: ["test/**/*.test.ts"],
          exclude: ["test/label-audit.test.ts"],
          sequence: { groupOrder: 0 },
        },
      },
      {
        // Reads what every e2e file sent through the fake Bot API, so it must run after them all.
        test: {
          ...shared,
          name: "label-audit",
          include: ["test/label-audit.test.ts"],
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
