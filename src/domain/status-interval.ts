/** Telegram would refuse faster edits of one message; a long delivery is shown less often as it goes on. */
export const STATUS_MIN_INTERVAL_MS = 3000;
const STATUS_MAX_INTERVAL_MS = 60_000;

/** Every 3 s at first, then a twentieth of the time sending has taken, up to once a minute. */
export function nextStatusInterval(elapsedSeconds: number): number {
  return Math.min(STATUS_MAX_INTERVAL_MS, Math.max(STATUS_MIN_INTERVAL_MS, (elapsedSeconds * 1000) / 20));
}
