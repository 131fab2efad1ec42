/**
 * The `ofrconn` command as a function, for programs that embed it or test it in-process; the
 * executable is main.ts.
 */
export { run, EXIT_OK, EXIT_FAILURE, EXIT_USAGE, type CliIo } from './run.js';
