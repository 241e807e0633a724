import type { StorageAdapter } from "grammy";

/**
 * A session store that keeps nothing for a chat whose session is still the default: grammY
 * writes the initial session of every chat that sends anything, so every reader who opened one
 * "Read here" link would be remembered for a month. A default session is deleted instead.
 */
export function withoutDefault<T>(storage: StorageAdapter<T>, initial: () => T): StorageAdapter<T> {
  const plain = JSON.stringify(initial());
  return {
    read: (key) => storage.read(key),
    write: (key, value) =>
      JSON.stringify(value) === plain ? storage.delete(key) : storage.write(key, value),
    delete: (key) => storage.delete(key),
  };
}
