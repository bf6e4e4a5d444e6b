#!/usr/bin/env node
// Entry point of the `quire` command: runs the compiled CLI.
// Ctrl-C or kill while the modules load (a few hundred milliseconds) already ends the run cleanly:
// nothing has been written yet. Once loaded, the CLI's handler also removes a book half-written. The
// handler stays the same from start to end: removing one and adding another loses a signal that came
// while the modules were being evaluated.
let onInterrupt;
const interrupted = (signal) => {
  if (onInterrupt) return onInterrupt(signal);
  process.stderr.write(`quire: interrupted (${signal}); no book written\n`);
  process.exit(signal === 'SIGINT' ? 130 : 143);
};
process.on('SIGINT', interrupted);
process.on('SIGTERM', interrupted);
// V8's settings for a build (src/engine.ts), set before the CLI's code is loaded; worker threads share them.
(await import('../dist/src/engine.js')).applyEngineFlags(process.argv.slice(2));
const cli = await import('../dist/src/cli.js');
onInterrupt = cli.onInterrupt;
const { main } = cli;

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`quire: internal error: ${error && error.stack ? error.stack : error}\n`);
    process.exitCode = 70;
  },
);
