// What this process cost so far, as the benchmark reports it: wall time since it started (Node start-up
// included), CPU time of all its threads, peak memory.
export function processCost() {
  const usage = process.resourceUsage();
  return { wall: process.uptime(), cpu: (usage.userCPUTime + usage.systemCPUTime) / 1e6, rssMB: usage.maxRSS / 1024 };
}
