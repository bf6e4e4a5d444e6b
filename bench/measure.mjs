// Runs the quire CLI in this process and prints what it cost, as JSON on stderr's last line:
// wall time since the process started (Node start-up included), CPU time of all threads, peak memory.
import { main } from '../dist/src/cli.js';
import { processCost } from './cost.mjs';

const code = await main(process.argv.slice(2));
process.stderr.write(`\n${JSON.stringify({ code, ...processCost() })}\n`);
process.exit(code);
