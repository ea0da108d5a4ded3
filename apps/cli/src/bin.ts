#!/usr/bin/env node
import { processIo } from './io.js';
import { main } from './program.js';

// The first Ctrl-C asks the running command to stop cleanly; a second one exits at once.
const interrupt = new AbortController();
const onSignal = (signal: NodeJS.Signals): void => {
  if (interrupt.signal.aborted) process.exit(130);
  interrupt.abort(signal);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

process.exitCode = await main(process.argv.slice(2), processIo(interrupt.signal));
process.off('SIGINT', onSignal);
process.off('SIGTERM', onSignal);
