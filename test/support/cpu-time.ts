/**
 * Milliseconds of CPU this process spent on `work`. A bound on it says "one pass, not quadratic"
 * without counting the time a busy machine gave other processes, as a bound on elapsed time would.
 */
export function cpuMs(work: () => void): number {
  const before = process.cpuUsage();
  work();
  const spent = process.cpuUsage(before);
  return (spent.user + spent.system) / 1000;
}
