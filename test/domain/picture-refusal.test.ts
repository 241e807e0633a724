import { describe, expect, it } from "vitest";
import { pictureRefusal } from "../../src/domain/picture-refusal.ts";

const api = (code: number, description: string) => ({ kind: "api" as const, code, description });

describe("what a failed photo send says about the picture", () => {
  it.each([
    "Bad Request: wrong file identifier/HTTP URL specified",
    "Bad Request: failed to get HTTP URL content",
    "Bad Request: wrong type of the web page content",
    "Bad Request: PHOTO_INVALID_DIMENSIONS",
    "Bad Request: file is too big",
    "Bad Request: IMAGE_PROCESS_FAILED",
    "Bad Request: wrong remote file identifier specified: Wrong character in the string",
  ])("the picture is refused for every chat: %s", (description) => {
    expect(pictureRefusal(api(400, description))).toBe("picture");
  });

  it("only this chat refuses pictures when it lets the bot post text but not photos", () => {
    expect(pictureRefusal(api(400, "Bad Request: not enough rights to send photos to the chat"))).toBe(
      "chat",
    );
    expect(pictureRefusal(api(403, "Forbidden: CHAT_SEND_PHOTOS_FORBIDDEN"))).toBe("chat");
  });

  it("leaves every other failure to the delivery rules", () => {
    expect(pictureRefusal(api(400, "Bad Request: chat not found"))).toBeUndefined();
    expect(pictureRefusal(api(403, "Forbidden: bot was blocked by the user"))).toBeUndefined();
    expect(pictureRefusal(api(429, "Too Many Requests: retry after 5"))).toBeUndefined();
    expect(pictureRefusal(api(502, "Bad Gateway"))).toBeUndefined();
    expect(pictureRefusal({ kind: "network", requestLeft: true })).toBeUndefined();
  });
});
