/** An error answer of the Bot API: its code, Telegram's description and, for some, parameters. */
export class ApiError extends Error {
  constructor(
    readonly code: number,
    readonly description: string,
    readonly parameters?: Record<string, unknown>,
  ) {
    super(description);
  }
}

export const badRequest = (what: string): ApiError => new ApiError(400, `Bad Request: ${what}`);

/** The body Telegram answers an error with. */
export function errorBody(err: ApiError): Record<string, unknown> {
  return {
    ok: false,
    error_code: err.code,
    description: err.description,
    ...(err.parameters ? { parameters: err.parameters } : {}),
  };
}
