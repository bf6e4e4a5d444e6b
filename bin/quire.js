#!/usr/bin/env node
// Entry point of the `quire` command: runs the compiled CLI.
import { main } from '../dist/src/cli.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`quire: internal error: ${error && error.stack ? error.stack : error}\n`);
    process.exitCode = 70;
  },
);
