/** The argument parser in-process: values, defaults, and the exact errors users see. */
import { writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DEFAULT_DEMO_DURATION, DEFAULT_PROBE_TIMEOUT, UsageError, parseArgs } from '../../src/cli/args.js';

function args(argv: string[]) {
  const r = parseArgs(argv);
  if (r.kind !== 'run') throw new Error(`expected a run, got ${r.kind}`);
  return r.args;
}

function usageError(argv: string[]): UsageError {
  try {
    parseArgs(argv);
  } catch (err) {
    if (err instanceof UsageError) return err;
    throw err;
  }
  throw new Error(`no UsageError for ${argv.join(' ')}`);
}

describe('parseArgs', () => {
  test('every flag, both --flag value and --flag=value', () => {
    const a = args(['switch', 'tcp:10.0.0.1:6653', '--versions=1.0,OF13', '--probe-interval', '10', '--max-backoff=4',
      '--probe', 'echo', '--echo-interval', '0', '--datapath-id', '0x2A', '--json', '-v']);
    expect(a).toMatchObject({
      command: 'switch', target: 'tcp:10.0.0.1:6653', versions: [1, 4], probeInterval: 10, maxBackoff: 4,
      probe: 'echo', echoInterval: 0, datapathId: 42n, json: true, verbose: true, tls: undefined,
    });
  });

  test('switch --count and --backoff-jitter', () => {
    expect(args(['switch', 'tcp:h', '--count', '1000', '--backoff-jitter', '0'])).toMatchObject({ count: 1000, backoffJitter: 0 });
    expect(args(['switch', 'tcp:h'])).toMatchObject({ count: 1, backoffJitter: undefined });
  });

  test('switch with several controller targets; a passive one among them, duplicates and --count refused', () => {
    expect(args(['switch', 'tcp:a:1', 'tcp:b:2'])).toMatchObject({ target: 'tcp:a:1', targets: ['tcp:a:1', 'tcp:b:2'] });
    expect(usageError(['switch', 'tcp:a:1', 'ptcp:6654']).message).toMatch(/'ptcp:6654' is passive/);
    expect(usageError(['switch', 'tcp:a:1', 'tcp:a:1']).message).toMatch(/twice/);
    expect(usageError(['switch', 'tcp:a:1', 'tcp:b:2', '--count', '3']).message).toMatch(/one TARGET/);
    expect(usageError(['controller', 'ptcp:1', 'ptcp:2']).message).toMatch(/one TARGET only/);
  });

  test('defaults: nothing set means library defaults; probe timeout and demo duration have their own', () => {
    const a = args(['controller', 'ptcp:6653']);
    expect(a).toMatchObject({ versions: undefined, probeInterval: undefined, maxBackoff: undefined, probe: undefined, json: false });
    expect(args(['probe', 'tcp:h']).timeout).toBe(DEFAULT_PROBE_TIMEOUT);
    expect(args(['demo']).duration).toBe(DEFAULT_DEMO_DURATION);
    expect(args(['demo', '--duration', '6']).duration).toBe(6);
  });

  test('TLS flags read their files; --no-verify turns verification off', () => {
    const ca = join(tmpdir(), `ofrconn-args-ca-${process.pid}.pem`);
    writeFileSync(ca, 'PEM');
    const a = args(['probe', 'ssl:127.0.0.1', '--ca', ca, '--no-verify']);
    expect(a.tls?.ca).toEqual(Buffer.from('PEM'));
    expect(a.tls?.rejectUnauthorized).toBe(false);
    expect(usageError(['probe', 'ssl:127.0.0.1', '--ca', '/nonexistent/ca.pem']).message).toBe("--ca: cannot read '/nonexistent/ca.pem' (ENOENT)");
  });

  test('help and version', () => {
    expect(parseArgs(['--help'])).toEqual({ kind: 'help', command: null });
    expect(parseArgs(['help', 'probe'])).toEqual({ kind: 'help', command: 'probe' });
    expect(parseArgs(['switch', '-h'])).toEqual({ kind: 'help', command: 'switch' });
    expect(parseArgs(['--version'])).toEqual({ kind: 'version' });
  });

  test.each([
    [['switch'], "'switch' needs a TARGET"],
    [['probe', 'tcp:a', 'tcp:b'], "unexpected argument 'tcp:b' (one TARGET only)"],
    [['demo', 'tcp:a'], "'demo' takes no target (got 'tcp:a')"],
    [['switch', 'tcp:a', '--versions'], 'option --versions needs a value'],
    [['switch', 'tcp:a', '--json=yes'], 'option --json takes no value'],
    [['switch', 'tcp:a', '-x'], 'unknown option -x'],
    [['probe', 'tcp:a', '--probe-interval', '5'], "option --probe-interval does not apply to 'probe'"],
    [['switch', 'tcp:a', '--max-backoff', '0.5'], "--max-backoff must be a number of seconds >= 1 (got '0.5')"],
    [['switch', 'tcp:a', '--echo-interval', 'soon'], "--echo-interval must be a number of seconds >= 0 (got 'soon')"],
    [['probe', 'tcp:a', '--timeout', '0'], "--timeout must be a number of seconds > 0 (got '0')"],
    [['switch', 'tcp:a', '--datapath-id', '12345678901234567'], '--datapath-id must be 1 to 16 hex digits'],
    [['switch', 'tcp:[::1'], 'unclosed "[" around an IPv6 address'],
    [['switch', 'tcp:a', '--count', '0'], "--count must be an integer from 1 to 100000 (got '0')"],
    [['switch', 'ptcp:6654', '--count', '2'], '--count 2 needs an active target'],
    [['switch', 'tcp:a', '--backoff-jitter', '1.5'], "--backoff-jitter must be a fraction in [0, 1] (got '1.5')"],
    [['controller', 'ptcp:1', '--count', '2'], "option --count does not apply to 'controller'"],
  ])('%j -> %s', (argv, message) => {
    const err = usageError(argv);
    expect(err.message).toContain(message);
    expect(err.code).toBe('EUSAGE');
    expect(err.command).toBe(argv[0]);
  });
});
