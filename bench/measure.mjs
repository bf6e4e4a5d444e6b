// Runs the quire CLI in this process and prints what it cost, as JSON on stderr's last line:
// wall time since the process started (Node start-up included), CPU time of all threads, peak memory.
import { main } from '../dist/src/cli.js';

const code = await main(process.argv.slice(2));
const usage = process.resourceUsage();
process.stderr.write(
  `\n${JSON.stringify({ code, wall: process.uptime(), cpu: (usage.userCPUTime + usage.systemCPUTime) / 1e6, rssMB: usage.maxRSS / 1024 })}\n`,
);
process.exit(code);
