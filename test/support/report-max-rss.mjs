// Preloaded with `node --import` into a command under test: reports its peak memory as it exits.
process.on("exit", () => {
  process.stderr.write(`max-rss-kb ${process.resourceUsage().maxRSS}\n`);
});
