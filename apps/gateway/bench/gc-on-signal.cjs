// Bench-only preload (`node --expose-gc --require`): a full garbage collection on SIGUSR2,
// acknowledged by writing the time to the file named in NEXO_BENCH_GC_ACK. Memory readings taken
// after it show what a process retains, not how long ago V8 last collected.
const { writeFileSync } = require("node:fs");

process.on("SIGUSR2", () => {
  global.gc();
  writeFileSync(process.env.NEXO_BENCH_GC_ACK, String(Date.now()));
});
