import type { ChildProcess } from "node:child_process";

/**
 * Asks a bench child process (the product's worker, or the fake Bot API) for its report over
 * IPC; fails with `exitedMessage` if the child exits before it answers.
 */
export function askForReport<T>(child: ChildProcess, exitedMessage: string): Promise<T> {
  return new Promise((resolve, reject) => {
    const onExit = (): void => reject(new Error(exitedMessage));
    child.once("exit", onExit);
    child.once("message", (m: { report?: T }) => {
      child.off("exit", onExit);
      if (m.report !== undefined) resolve(m.report);
    });
    child.send("report");
  });
}
