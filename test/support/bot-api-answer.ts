import { GrammyError } from "grammy";

/** The GrammyError a Bot API call fails with; fails the test if the call succeeds or fails otherwise. */
export async function apiError(promise: Promise<unknown>): Promise<GrammyError> {
  try {
    await promise;
  } catch (err) {
    if (err instanceof GrammyError) return err;
    throw err;
  }
  throw new Error("expected the call to fail with a GrammyError");
}

export interface RawAnswer {
  status: number;
  json: {
    ok: boolean;
    result?: Record<string, unknown>;
    error_code?: number;
    description?: string;
    parameters?: { retry_after?: number };
  };
}

/** A Bot API call as raw HTTP, for bodies grammY would never send. */
export async function post(
  apiRoot: string,
  method: string,
  body: unknown,
  contentType = "application/json",
  token = "123:abc",
): Promise<RawAnswer> {
  const res = await fetch(`${apiRoot}/bot${token}/${method}`, {
    method: "POST",
    headers: { "content-type": contentType },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as RawAnswer["json"] };
}
