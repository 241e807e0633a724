// Temporary: the bench's fake Bot API still comes from the test suite; it moves here next.
export { FakeTelegramThread as FakeBotApiProcess } from "../../test/support/fake-telegram-thread.ts";
