import { readFile, stat } from "node:fs/promises";

/** A file named on the command line that cannot be used; its message is the whole report. */
export class InputFileError extends Error {}

function why(path: string, error: unknown): InputFileError {
  const code = (error as NodeJS.ErrnoException).code;
  const reason = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "is a directory" : code;
  return new InputFileError(`cannot read ${path}: ${reason ?? (error as Error).message}`);
}

/** Reads and parses a JSON file; every way it can fail becomes one line naming the file. */
export async function readJsonFile(path: string): Promise<unknown> {
  let text: string;
  try {
    text = await readFile(path, "utf8");
  } catch (error) {
    throw why(path, error);
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InputFileError(`${path} is not valid JSON: ${(error as Error).message}`);
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
