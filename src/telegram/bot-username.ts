import type { Api } from "grammy";

/**
 * The bot's @username, asked of Telegram once (getMe) and kept: the workers need it for the
 * "Read here" links of alerts in groups and channels (t.me/<bot>?start=read-<id>). Undefined while
 * Telegram cannot be asked; the next call asks again.
 */
export function botUsername(api: Pick<Api, "getMe">): () => Promise<string | undefined> {
  let known: string | undefined;
  let asking: Promise<string | undefined> | undefined;
  return () => {
    if (known !== undefined) return Promise.resolve(known);
    asking ??= api
      .getMe()
      .then((me) => {
        known = me.username;
        return known;
      })
      .catch(() => undefined)
      .finally(() => {
        asking = undefined;
      });
    return asking;
  };
}
