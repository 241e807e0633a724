import { readFile, stat } from "node:fs/promises";
import type { Readable } from "node:stream";

/** A file named on the command line that cannot be used; its message is the whole report. */
export class InputFileError extends Error {}

function why(path: string, error: unknown): InputFileError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : code;
  return new InputFileError(`cannot read ${path}: ${reason ?? (error as Error).message}`);
}

/** The name that stands for standard input on the command line. */
export const STDIN_PATH = "-";

async function readAll(input: Readable): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of input as AsyncIterable<Buffer | string>) {
    chunks.push(typeof chunk === "string" ? Buffer.from(chunk) : chunk);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/**
 * Reads and parses a JSON file, or standard input for "-"; every way it can fail becomes one
 * line naming what was read.
 */
export async function readJsonFile(path: string, stdin: Readable = process.stdin): Promise<unknown> {
  const name = path === STDIN_PATH ? "standard input" : path;
  let text: string;
  try {
    text = path === STDIN_PATH ? await readAll(stdin) : await readFile(path, "utf8");
  } catch (error) {
    throw why(name, error);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputFileError(`${name} is not valid JSON: ${(error as Error).message}`);
  }
}

/** The size of the file to import, checked before a long import starts rather than midway. */
export async function fileSize(path: string): Promise<number> {
  let info: Awaited<ReturnType<typeof stat>>;
  try {
    info = await stat(path);
  } catch (error) {
    throw why(path, error);
  }
  if (info.isDirectory()) throw new InputFileError(`cannot read ${path}: is a directory`);
  return info.size;
}
