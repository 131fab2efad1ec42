/**
 * The `ofrconn` program without the process around it: parse, run a command, report, return the
 * exit status. main.ts binds it to process.argv, stdout/stderr and the signals.
 */
import { readFileSync } from 'node:fs';
import { clampProbeInterval, type Logger, type RconnOptions } from '../rconn/options.js';
import { parseArgs, UsageError, type CliArgs } from './args.js';
import { runDemo, sleep } from './demo.js';
import { startController } from './controller.js';
import type { Endpoint, RoleContext } from './endpoint.js';
import { runProbe } from './probe.js';
import { Reporter, errCode, jsonValue, type Output, type OutputMode } from './reporter.js';
import { serveMetrics } from './metrics.js';
import { startSwitch } from './switch.js';
import { usageOf } from './usage.js';

export const EXIT_OK = 0;
export const EXIT_FAILURE = 1;
export const EXIT_USAGE = 2;

export interface CliIo {
  stdout: Output;
  stderr: Output;
  /** Aborted on SIGINT/SIGTERM: the command closes everything, prints its summary and returns 0. */
  stop: AbortSignal;
}

export async function run(argv: readonly string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(argv);
  } catch (err) {
    if (!(err instanceof UsageError)) throw err;
    // The one line that matters and where to read more: the full usage would bury it.
    const help = err.command ? `ofrconn ${err.command} --help` : 'ofrconn --help';
    reportError(io.stderr, argv.includes('--json'), { code: err.code, message: err.message, help });
    return EXIT_USAGE;
  }
  if (parsed.kind === 'help') {
    io.stdout.write(`${usageOf(parsed.command)}\n`);
    return EXIT_OK;
  }
  if (parsed.kind === 'version') {
    io.stdout.write(`ofrconn ${packageVersion()}\n`);
    return EXIT_OK;
  }
  const args = parsed.args;
  const mode: OutputMode = args.json ? 'json' : io.stdout.isTTY ? 'tty' : 'plain';
  const reporter = new Reporter(io.stdout, mode, args.verbose);
  try {
    if (args.command === 'probe') {
      const result = await runProbe(args, reporter, io.stop);
      reporter.stop();
      if (!result.ok) reportError(io.stderr, args.json, { code: result.code, message: result.message });
      return result.ok ? EXIT_OK : EXIT_FAILURE;
    }
    io.stop.addEventListener('abort', () => {
      reporter.note('signal', 'ofrconn', `${String(io.stop.reason ?? 'stop')}: closing every connection`, { signal: String(io.stop.reason) });
    }, { once: true });
    announceClamps(args, reporter);
    const ctx: RoleContext = { reporter, rconnOptions: rconnOptions(args, reporter) };
    if (args.command === 'demo') {
      await runDemo(args, ctx, io.stop);
    } else {
      await serve(args, ctx, io.stop);
    }
    reporter.summary();
    return EXIT_OK;
  } catch (err) {
    reporter.stop();
    // Runtime failures (port in use, TLS files the library rejects): one line, no stack trace.
    const e = err instanceof Error ? err : new Error(String(err));
    reportError(io.stderr, args.json, { code: errCode(e), message: e.message });
    if (args.verbose && e.stack) io.stderr.write(`${e.stack}\n`);
    return EXIT_FAILURE;
  }
}

interface CliFailure {
  /** Stable: EUSAGE, or the failure's errno-style code. */
  code: string;
  message: string;
  /** For usage errors: the command that explains the options. */
  help?: string;
}

/** One error line, or with --json one JSON object, on stderr. */
export function reportError(stderr: Output, json: boolean, failure: CliFailure): void {
  if (json) {
    stderr.write(`${JSON.stringify({ time: new Date().toISOString(), event: 'error', ...failure }, jsonValue)}\n`);
    return;
  }
  stderr.write(`ofrconn: error: ${failure.message}\n`);
  if (failure.help) stderr.write(`see '${failure.help}'\n`);
}

/** The library raises probe intervals below its floor silently; on the command line, say so. */
function announceClamps(args: CliArgs, reporter: Reporter): void {
  for (const [flag, value] of [['--probe-interval', args.probeInterval], ['--echo-interval', args.echoInterval]] as const) {
    if (value === undefined || clampProbeInterval(value) === value) continue;
    const used = clampProbeInterval(value);
    reporter.note('clamped', 'ofrconn', `${flag} ${value} raised to ${used} s, the minimum: probing faster drops peers that are merely busy`,
      { flag, requested: value, used });
  }
}

/** controller / switch: run until a signal, then close everything. */
async function serve(args: CliArgs, ctx: RoleContext, stop: AbortSignal): Promise<void> {
  const target = args.target!;
  const endpoint: Endpoint = args.command === 'controller'
    ? await startController(target, ctx)
    : await startSwitch(args.targets, ctx, args.datapathId ?? 1n, args.count);
  let metrics: { close(): Promise<void> } | undefined;
  try {
    if (args.metrics) metrics = await serveMetrics(args.metrics, () => endpoint.connections(), ctx.reporter);
    ctx.reporter.start();
    await sleep(Infinity, stop);
  } finally {
    await Promise.all([endpoint.close(), metrics?.close()]);
  }
}

function rconnOptions(args: CliArgs, reporter: Reporter): RconnOptions {
  // A person watches ofrconn's events, so it reports IDLE as it happens; a few connections' looks
  // cost nothing.
  const o: RconnOptions = { watchIdle: true };
  if (args.versions) o.versions = args.versions;
  if (args.probeInterval !== undefined) o.probeInterval = args.probeInterval;
  if (args.maxBackoff !== undefined) o.maxBackoff = args.maxBackoff;
  if (args.backoffJitter !== undefined) o.backoffJitter = args.backoffJitter;
  if (args.probe) o.probe = args.probe;
  if (args.echoInterval !== undefined) o.echoInterval = args.echoInterval;
  if (args.tls) o.tls = args.tls;
  if (args.verbose) o.logger = libraryLogger(reporter);
  return o;
}

/** The library's own log lines, shown with --verbose. */
function libraryLogger(reporter: Reporter): Logger {
  const line = (level: string) => (msg: string): void => reporter.note('log', '', `(${level}) ${msg}`, { level });
  return { debug: line('debug'), info: line('info'), warn: line('warn'), error: line('error') };
}

function packageVersion(): string {
  try {
    // dist/cli/ and src/cli/ are both two levels below the package root.
    const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version?: string };
    return pkg.version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
