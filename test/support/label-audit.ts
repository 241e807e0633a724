import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** Every e2e file leaves what the fake Bot API received here; the label audit reads it all at the end. */
export const AUDIT_DIR = fileURLToPath(new URL("../.label-audit", import.meta.url));

declare module "vitest" {
  export interface ProvidedContext {
    /** Which run the audit closes (vitest.config.ts): `npm test`'s or `npm run test:chaos`'s. */
    auditedRun: "fast" | "chaos";
  }
}

export interface AuditedCall {
  file: string;
  method: string;
  payload: Record<string, unknown>;
}

export function resetAudit(): void {
  rmSync(AUDIT_DIR, { recursive: true, force: true });
  mkdirSync(AUDIT_DIR, { recursive: true });
}

export function recordForAudit(
  file: string,
  calls: readonly { method: string; payload: Record<string, unknown> }[],
): void {
  mkdirSync(AUDIT_DIR, { recursive: true });
  const name = `${file.replace(/[^a-z0-9-]/gi, "_")}-${process.pid}-${Math.random().toString(36).slice(2, 8)}.json`;
  const rows: AuditedCall[] = calls.map((c) => ({ file, method: c.method, payload: c.payload }));
  writeFileSync(join(AUDIT_DIR, name), JSON.stringify(rows));
}

export function readAudit(): AuditedCall[] {
  let names: string[] = [];
  try {
    names = readdirSync(AUDIT_DIR).filter((n) => n.endsWith(".json"));
  } catch {
    return [];
  }
  return names.flatMap((n) => JSON.parse(readFileSync(join(AUDIT_DIR, n), "utf8")) as AuditedCall[]);
}
