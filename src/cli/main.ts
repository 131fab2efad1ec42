#!/usr/bin/env node
/** The `ofrconn` executable: process glue around run(). */
import { errCode } from './reporter.js';
import { reportError, run } from './run.js';

// After a signal the command closes its connections and returns; if something still holds the
// event loop open this long after, exit anyway rather than hang a script that sent SIGTERM.
const EXIT_GRACE_MS = 3000;

const stop = new AbortController();
const onSignal = (signal: NodeJS.Signals): void => {
  if (stop.signal.aborted) process.exit(130); // a second Ctrl-C: the user means it
  stop.abort(signal);
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);

// `ofrconn ... | head`: the reader went away; that is how a pipeline ends, not an error.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(process.exitCode ?? 0);
  fatal(err);
});

function fatal(err: unknown): never {
  // A bug, not a usage error: still one readable line (one JSON object with --json); the stack
  // only on request.
  const e = err instanceof Error ? err : new Error(String(err));
  reportError(process.stderr, process.argv.includes('--json'), { code: errCode(e), message: e.message });
  if (process.env.OFRCONN_DEBUG) process.stderr.write(`${e.stack}\n`);
  process.exit(1);
}
process.on('uncaughtException', fatal);
process.on('unhandledRejection', fatal);

run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr, stop: stop.signal }).then(
  (code) => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
    process.exitCode = code;
    setTimeout(() => process.exit(code), EXIT_GRACE_MS).unref();
  },
  fatal,
);
