// The bench's fake Bot API as a process of its own (started by FakeBotApiProcess), so the CPU and
// memory the bench reports are the product's alone. Options come as JSON in argv[2]; it answers
// "report" over IPC and ends when its parent goes away.
import { FakeBotApi, type FakeBotApiOptions } from "./fake-bot-api/fake-bot-api.ts";

const send = (message: unknown): void => {
  process.send?.(message);
};

if (!process.send) {
  process.stderr.write("fake-bot-api-child: start it with FakeBotApiProcess.start, which forks it\n");
  process.exit(2);
}
const fake = await FakeBotApi.start(JSON.parse(process.argv[2] ?? "{}") as FakeBotApiOptions);
process.on("message", (message) => {
  if (message === "report") send({ report: fake.report() });
});
process.on("disconnect", () => {
  void fake.stop().then(() => process.exit(0));
});
send({ apiRoot: fake.apiRoot });
