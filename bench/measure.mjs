// Runs the quire CLI in this process, as bin/quire.js does, and prints what it cost, as JSON on stderr's last line:
// wall time since the process started (Node start-up included), CPU time of all threads, peak memory.
import { applyEngineFlags } from '../dist/src/engine.js';
import { processCost } from './cost.mjs';

// The V8 settings the `quire` command sets (bin/quire.js), before the CLI's code is loaded.
applyEngineFlags(process.argv.slice(2));
const { main } = await import('../dist/src/cli.js');

const code = await main(process.argv.slice(2));
process.stderr.write(`\n${JSON.stringify({ code, ...processCost() })}\n`);
process.exit(code);
