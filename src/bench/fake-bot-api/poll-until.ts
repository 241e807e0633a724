/**
 * Resolves with the predicate's first value that is neither undefined nor false, looking every
 * 10 ms; past the deadline it rejects with what `lastSeen` tells of the fake's state then.
 */
export function pollUntil<T>(
  predicate: () => T | undefined | false,
  timeoutMs: number,
  lastSeen: () => string,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  return new Promise<T>((resolve, reject) => {
    const tick = (): void => {
      let value: T | undefined | false;
      try {
        value = predicate();
      } catch (err) {
        reject(err);
        return;
      }
      if (value !== undefined && value !== false) resolve(value);
      else if (Date.now() >= deadline)
        reject(new Error(`waitFor timed out after ${timeoutMs} ms. ${lastSeen()}`));
      else setTimeout(tick, 10);
    };
    tick();
  });
}
