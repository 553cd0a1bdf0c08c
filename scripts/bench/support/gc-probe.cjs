// Preloaded into the MCP server by the benchmark only (`node --expose-gc --require gc-probe.cjs`): on SIGUSR2 it
// collects garbage and reports the live heap on stderr, so memory is compared after GC, not at a random point.
process.on('SIGUSR2', () => {
  global.gc();
  process.stderr.write(`GC-PROBE heapUsed=${process.memoryUsage().heapUsed} rss=${process.memoryUsage().rss}\n`);
});
