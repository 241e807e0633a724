import { resetAudit } from "./label-audit.ts";

/** Starts each run with an empty audit, so the label audit sees this run's payloads only. */
export default function setup(): void {
  resetAudit();
}
