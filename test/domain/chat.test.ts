import { describe, expect, it } from "vitest";
import { chatKindOf, decodeChat, encodeChat, newChat, readsEdition } from "../../src/domain/chat.ts";

describe("chat settings", () => {
  it("round-trips through the compact encoding, time zones with slashes included", () => {
    const chat = {
      ...newChat(-1001234567890, "group", "en", "America/Argentina/Buenos_Aires"),
      editions: "both" as const,
    };
    expect(decodeChat(chat.id, encodeChat(chat))).toEqual(chat);
    const off = { ...newChat(42, "private", "ru", "Europe/Moscow"), active: false };
    expect(decodeChat(42, encodeChat(off))).toEqual(off);
  });

  it("keeps one chat's settings under 40 bytes so millions fit in small hashes", () => {
    expect(encodeChat(newChat(1, "private", "ru", "Europe/Moscow")).length).toBeLessThan(40);
  });

  it("leaves the edition empty for a chat reading its own language's edition, and reads the older full form", () => {
    const chat = newChat(1, "private", "ru", "Europe/Moscow");
    expect(encodeChat(chat)).toBe("ru||1|p|Europe/Moscow");
    expect(decodeChat(1, "ru||1|p|Europe/Moscow")).toEqual(chat);
    expect(decodeChat(1, "ru|ru|1|p|Europe/Moscow")).toEqual(chat);
    expect(encodeChat({ ...chat, editions: "en" })).toBe("ru|en|1|p|Europe/Moscow");
  });

  it("refuses a corrupted record instead of guessing", () => {
    expect(decodeChat(1, "xx|ru|1|p|UTC")).toBeUndefined();
    expect(decodeChat(1, "ru|fr|1|p|UTC")).toBeUndefined();
    expect(decodeChat(1, "ru|ru|1|z|UTC")).toBeUndefined();
    expect(decodeChat(1, "")).toBeUndefined();
  });

  it("delivers an edition to chats of that language or of both", () => {
    expect(readsEdition({ editions: "ru" }, "ru")).toBe(true);
    expect(readsEdition({ editions: "ru" }, "en")).toBe(false);
    expect(readsEdition({ editions: "both" }, "en")).toBe(true);
  });

  it("treats supergroups as groups", () => {
    expect(chatKindOf("supergroup")).toBe("group");
    expect(chatKindOf("private")).toBe("private");
    expect(chatKindOf("channel")).toBe("channel");
  });
});

describe("a chat's forum topic and connector", () => {
  it("round-trips the topic and the connector, and keeps the short form for chats without them", async () => {
    const {
      decodeChat: decode,
      encodeChat: encode,
      newChat: make,
    } = await import("../../src/domain/chat.ts");
    const plain = make(-100123, "group", "ru", "Europe/Moscow");
    expect(encode(plain).split("|")).toHaveLength(5);
    const forum = { ...plain, threadId: 42 };
    expect(decode(forum.id, encode(forum))).toEqual(forum);
    const channel = { ...make(-100777, "channel", "en", "Asia/Tbilisi"), connectedBy: 5001 };
    expect(decode(channel.id, encode(channel))).toEqual(channel);
    expect(decode(1, "ru|ru|1|p|Europe/Moscow|junk|")).toEqual(make(1, "private", "ru", "Europe/Moscow"));
  });
});
