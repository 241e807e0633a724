import { badRequest } from "./api-error.ts";

export type Payload = Record<string, unknown>;

// Form fields arrive as strings; these are the ones Telegram reads as integers.
const NUMERIC_FIELDS = new Set([
  "chat_id",
  "from_chat_id",
  "message_id",
  "user_id",
  "offset",
  "limit",
  "timeout",
  "message_thread_id",
  "reply_to_message_id",
  "latitude",
  "longitude",
]);
const BOOLEAN_FIELD = /^(disable_|protect_|drop_|is_|allow_|show_|has_)/;

function coerceField(key: string, value: string): unknown {
  if (NUMERIC_FIELDS.has(key) && /^-?\d+(\.\d+)?$/.test(value)) return Number(value);
  if (BOOLEAN_FIELD.test(key) && (value === "true" || value === "false")) return value === "true";
  if (/^\s*[[{]/.test(value)) {
    try {
      return JSON.parse(value);
    } catch {
      return value;
    }
  }
  return value;
}

function parseMultipart(body: Buffer, boundary: string): Payload {
  const out: Payload = {};
  const delimiter = Buffer.from(`--${boundary}`);
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw badRequest("can't parse multipart/form-data");
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === "--") return out;
    if (body[pos] === 13 && body[pos + 1] === 10) pos += 2;
    const next = body.indexOf(delimiter, pos);
    if (next < 0) throw badRequest("can't parse multipart/form-data");
    let part = body.subarray(pos, next);
    if (part.subarray(-2).toString() === "\r\n") part = part.subarray(0, -2);
    const headerEnd = part.indexOf("\r\n\r\n");
    const headers = part.subarray(0, Math.max(headerEnd, 0)).toString("utf8");
    const content = part.subarray(headerEnd + 4);
    const name = /(?:^|;)\s*name="([^"]*)"/im.exec(headers)?.[1];
    const filename = /filename=(?:"([^"]*)"|([^;\r\n]*))/i.exec(headers);
    if (name !== undefined) {
      out[name] = filename
        ? { filename: filename[1] ?? filename[2] ?? "", size: content.length }
        : coerceField(name, content.toString("utf8"));
    }
    pos = next;
  }
}

/** A request's parameters, from its query string and its body: JSON, a form or multipart, as grammY sends. */
export function parsePayload(contentType: string | undefined, body: Buffer, query: string): Payload {
  const payload: Payload = {};
  if (query !== "") for (const [k, v] of new URLSearchParams(query)) payload[k] = coerceField(k, v);
  if (body.length === 0) return payload;
  const type = (contentType ?? "").toLowerCase();
  if (type.startsWith("multipart/form-data")) {
    const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType ?? "");
    const b = boundary?.[1] ?? boundary?.[2];
    if (!b) throw badRequest("can't parse multipart/form-data");
    return { ...payload, ...parseMultipart(body, b.trim()) };
  }
  if (type.startsWith("application/x-www-form-urlencoded")) {
    for (const [k, v] of new URLSearchParams(body.toString("utf8"))) payload[k] = coerceField(k, v);
    return payload;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString("utf8"));
  } catch {
    throw badRequest("can't parse JSON object");
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw badRequest("JSON object expected");
  }
  return query === "" ? (parsed as Payload) : { ...payload, ...(parsed as Payload) };
}

/** The chat a request names, or Telegram's answer to a missing or malformed one. */
export function chatIdOf(p: Payload): number {
  if (p.chat_id === undefined || p.chat_id === null || p.chat_id === "") throw badRequest("chat_id is empty");
  const id = Number(p.chat_id);
  if (!Number.isSafeInteger(id)) throw badRequest("chat not found");
  return id;
}
