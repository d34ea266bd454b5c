// Bench-only preload (`node --expose-gc --require`): full garbage collection on SIGUSR2,
// acknowledged by writing the time to the file named in NEXO_BENCH_GC_ACK. Memory readings taken
// after it show what a process retains, not how long ago V8 last collected. Two collections: after
// the first, pages it emptied can stay committed until the next one (5–18 MB of the gateway's RSS
// after a round of load; a third collection frees nothing more).
const { writeFileSync } = require("node:fs");

process.on("SIGUSR2", () => {
  global.gc();
  global.gc();
  writeFileSync(process.env.NEXO_BENCH_GC_ACK, String(Date.now()));
});
