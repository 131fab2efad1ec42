/**
 * Command-line parsing for `ofrconn`, by hand: every mistake becomes one {@link UsageError} whose
 * message names the offending argument, so main() can print one line plus the usage and exit 2.
 */
import { readFileSync } from 'node:fs';
import { parseVersionList } from '../ofp/index.js';
import { parseTarget } from '../stream/index.js';
import type { TlsOptions } from '../stream/types.js';
import type { ProbeMode } from '../rconn/options.js';

export const COMMANDS = ['demo', 'controller', 'switch', 'probe'] as const;
export type Command = (typeof COMMANDS)[number];

/** A bad command line. `command` selects which usage text accompanies the message. */
export class UsageError extends Error {
  override name = 'UsageError';
  readonly code = 'EUSAGE';
  constructor(message: string, readonly command: Command | null = null) {
    super(message);
  }
}

/** Everything a command needs, validated. Durations in seconds. */
export interface CliArgs {
  command: Command;
  target: string | undefined;
  /** `switch`: every controller target given (the first is `target`); several = one switch, several controllers. */
  targets: string[];
  versions: number[] | undefined;
  probeInterval: number | undefined;
  maxBackoff: number | undefined;
  probe: ProbeMode | undefined;
  echoInterval: number | undefined;
  datapathId: bigint | undefined;
  /** `switch`: emulated switches to run (datapath ids from --datapath-id upward). */
  count: number;
  /** `switch`: the rconns' backoffJitter. */
  backoffJitter: number | undefined;
  tls: TlsOptions | undefined;
  /** `probe`: seconds for connect + HELLO + echo round trip. */
  timeout: number;
  /** `demo`: seconds until it stops by itself. */
  duration: number;
  json: boolean;
  verbose: boolean;
  /** `--metrics [HOST:]PORT`: where to serve /metrics; host undefined = every interface. */
  metrics: MetricsAddress | undefined;
}

export interface MetricsAddress {
  host: string | undefined;
  port: number;
}

export type ParseResult =
  | { kind: 'run'; args: CliArgs }
  | { kind: 'help'; command: Command | null }
  | { kind: 'version' };

type FlagName =
  | 'versions' | 'probe-interval' | 'max-backoff' | 'probe' | 'echo-interval' | 'datapath-id'
  | 'ca' | 'cert' | 'key' | 'no-verify' | 'timeout' | 'duration' | 'json' | 'verbose' | 'metrics' | 'count' | 'backoff-jitter';

const BOOLEAN_FLAGS: ReadonlySet<FlagName> = new Set(['no-verify', 'json', 'verbose']);

const CONNECTION_FLAGS: FlagName[] = ['versions', 'probe-interval', 'max-backoff', 'probe', 'echo-interval'];
const TLS_FLAGS: FlagName[] = ['ca', 'cert', 'key', 'no-verify'];
const OUTPUT_FLAGS: FlagName[] = ['json', 'verbose'];

/** Which flags each command takes; anything else is refused rather than silently ignored. */
export const FLAGS_OF: Readonly<Record<Command, ReadonlySet<FlagName>>> = {
  demo: new Set([...CONNECTION_FLAGS, 'datapath-id', 'duration', ...OUTPUT_FLAGS]),
  controller: new Set([...CONNECTION_FLAGS, ...TLS_FLAGS, ...OUTPUT_FLAGS, 'metrics']),
  switch: new Set([...CONNECTION_FLAGS, 'datapath-id', 'count', 'backoff-jitter', ...TLS_FLAGS, ...OUTPUT_FLAGS, 'metrics']),
  probe: new Set(['versions', 'timeout', ...TLS_FLAGS, ...OUTPUT_FLAGS]),
};

export const DEFAULT_PROBE_TIMEOUT = 5;
export const DEFAULT_DEMO_DURATION = 20;

/** Parses `argv` (without `node` and the script). Throws {@link UsageError}. */
export function parseArgs(argv: readonly string[]): ParseResult {
  const first = argv[0];
  if (first === undefined) throw new UsageError('missing command');
  if (first === '-h' || first === '--help' || first === 'help') {
    const topic = argv[1];
    return { kind: 'help', command: topic && isCommand(topic) ? topic : null };
  }
  if (first === '--version' || first === '-V') return { kind: 'version' };
  if (!isCommand(first)) {
    throw new UsageError(first.startsWith('-') ? `expected a command before ${first}` : `unknown command '${first}'`);
  }
  const command = first;
  const { flags, positionals, help } = tokenize(argv.slice(1), command);
  if (help) return { kind: 'help', command };
  return { kind: 'run', args: validate(command, flags, positionals) };
}

function isCommand(s: string): s is Command {
  return (COMMANDS as readonly string[]).includes(s);
}

function tokenize(argv: readonly string[], command: Command): {
  flags: Map<FlagName, string | true>; positionals: string[]; help: boolean;
} {
  const flags = new Map<FlagName, string | true>();
  const positionals: string[] = [];
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--') { positionals.push(...argv.slice(i + 1)); break; }
    if (arg === '-h' || arg === '--help') { help = true; continue; }
    if (arg === '-v') { flags.set('verbose', true); continue; }
    if (!arg.startsWith('-') || arg === '-') { positionals.push(arg); continue; }
    if (!arg.startsWith('--')) throw new UsageError(`unknown option ${arg}`, command);
    const eq = arg.indexOf('=');
    const name = (eq < 0 ? arg.slice(2) : arg.slice(2, eq)) as FlagName;
    if (!FLAGS_OF[command].has(name)) {
      const known = Object.values(FLAGS_OF).some((set) => set.has(name));
      throw new UsageError(known ? `option --${name} does not apply to '${command}'` : `unknown option --${name}`, command);
    }
    if (BOOLEAN_FLAGS.has(name)) {
      if (eq >= 0) throw new UsageError(`option --${name} takes no value`, command);
      flags.set(name, true);
      continue;
    }
    const value = eq >= 0 ? arg.slice(eq + 1) : argv[++i];
    if (value === undefined) throw new UsageError(`option --${name} needs a value`, command);
    flags.set(name, value);
  }
  return { flags, positionals, help };
}

function validate(command: Command, flags: Map<FlagName, string | true>, positionals: string[]): CliArgs {
  const str = (name: FlagName): string | undefined => {
    const v = flags.get(name);
    return typeof v === 'string' ? v : undefined;
  };
  const fail = (message: string): never => { throw new UsageError(message, command); };

  let target: string | undefined;
  if (command === 'demo') {
    if (positionals.length > 0) fail(`'demo' takes no target (got '${positionals[0]}')`);
  } else {
    if (positionals.length === 0) fail(`'${command}' needs a TARGET, e.g. ${exampleTarget(command)}`);
    if (positionals.length > 1 && command !== 'switch') fail(`unexpected argument '${positionals[1]}' (one TARGET only)`);
    target = positionals[0]!;
    for (const t of positionals) {
      let active = false;
      try {
        active = parseTarget(t).active;
      } catch (err) {
        fail((err as Error).message);
      }
      if (positionals.length > 1 && !active) fail(`several TARGETs are controllers to connect to: '${t}' is passive`);
    }
    if (new Set(positionals).size !== positionals.length) fail('the same TARGET is given twice');
  }

  let versions: number[] | undefined;
  const versionText = str('versions');
  if (versionText !== undefined) {
    try {
      versions = parseVersionList(versionText);
    } catch (err) {
      fail(`--versions: ${(err as Error).message} (example: --versions 1.0,1.3)`);
    }
  }

  const probe = str('probe');
  if (probe !== undefined && probe !== 'auto' && probe !== 'transport' && probe !== 'echo') {
    fail(`--probe must be auto, transport or echo (got '${probe}')`);
  }

  const count = fleetSize(str('count'), fail);
  if (count > 1 && positionals.length > 1) fail(`--count ${count} takes one TARGET: a switch with several controllers is one switch`);
  if (count > 1 && target !== undefined && !parseTarget(target).active) {
    fail(`--count ${count} needs an active target (tcp:HOST:PORT): a passive one is a single switch`);
  }
  const jitterText = str('backoff-jitter');
  const backoffJitter = jitterText === undefined || jitterText.trim() === '' ? undefined : Number(jitterText);
  if (jitterText !== undefined && !(backoffJitter! >= 0 && backoffJitter! <= 1)) {
    fail(`--backoff-jitter must be a fraction in [0, 1] (got '${jitterText}')`);
  }

  const tls = tlsOptions(flags, fail);
  if (target !== undefined && /^pssl:/.test(target) && (!tls?.cert || !tls.key)) {
    fail(`${target} needs --cert and --key (the certificate this endpoint presents)`);
  }
  return {
    command,
    target,
    targets: command === 'demo' ? [] : positionals,
    versions,
    probeInterval: seconds(str('probe-interval'), '--probe-interval', 0, fail),
    maxBackoff: seconds(str('max-backoff'), '--max-backoff', 1, fail),
    probe: probe as ProbeMode | undefined,
    echoInterval: seconds(str('echo-interval'), '--echo-interval', 0, fail),
    datapathId: datapathId(str('datapath-id'), fail),
    count,
    backoffJitter,
    tls,
    timeout: seconds(str('timeout'), '--timeout', Number.MIN_VALUE, fail) ?? DEFAULT_PROBE_TIMEOUT,
    duration: seconds(str('duration'), '--duration', Number.MIN_VALUE, fail) ?? DEFAULT_DEMO_DURATION,
    json: flags.get('json') === true,
    verbose: flags.get('verbose') === true,
    metrics: metricsAddress(str('metrics'), fail),
  };
}

/** `9100` (every interface), `127.0.0.1:9100`, `[::1]:9100`; port 0 lets the kernel choose. */
function metricsAddress(text: string | undefined, fail: (m: string) => never): MetricsAddress | undefined {
  if (text === undefined) return undefined;
  const m = /^(?:(\[[0-9a-fA-F:.]+\]|[^:[\]]*):)?(\d{1,5})$/.exec(text.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535) return fail(`--metrics must be [HOST:]PORT, e.g. 9100 or 127.0.0.1:9100 (got '${text}')`);
  const host = m[1] ? m[1].replace(/^\[(.*)\]$/, '$1') : undefined;
  return { host, port };
}

function exampleTarget(command: Command): string {
  if (command === 'controller') return 'ptcp:6653 (accept switches) or tcp:HOST:PORT (connect to a switch)';
  if (command === 'switch') return 'tcp:HOST:6653 (connect to a controller) or ptcp:6654 (accept ovs-ofctl)';
  return 'tcp:127.0.0.1:6653';
}

/** A number of seconds >= min (min 0 allows 0; Number.MIN_VALUE means "greater than 0"). */
function seconds(text: string | undefined, flag: string, min: number, fail: (m: string) => never): number | undefined {
  if (text === undefined) return undefined;
  const n = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(n) || n < min) {
    const bound = min === 0 ? '>= 0' : min === Number.MIN_VALUE ? '> 0' : `>= ${min}`;
    fail(`${flag} must be a number of seconds ${bound} (got '${text}')`);
  }
  return n;
}

export const MAX_COUNT = 100_000;

function fleetSize(text: string | undefined, fail: (m: string) => never): number {
  if (text === undefined) return 1;
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < 1 || n > MAX_COUNT) fail(`--count must be an integer from 1 to ${MAX_COUNT} (got '${text}')`);
  return n;
}

/** 1-16 hex digits, optionally with 0x or OVS-style colons: `00:00:00:00:00:00:00:2a`, `0x2a`. */
function datapathId(text: string | undefined, fail: (m: string) => never): bigint | undefined {
  if (text === undefined) return undefined;
  const hex = text.trim().replace(/^0x/i, '').replace(/:/g, '');
  if (!/^[0-9a-fA-F]{1,16}$/.test(hex)) fail(`--datapath-id must be 1 to 16 hex digits (got '${text}')`);
  return BigInt(`0x${hex}`);
}

function tlsOptions(flags: Map<FlagName, string | true>, fail: (m: string) => never): TlsOptions | undefined {
  const out: TlsOptions = {};
  let any = false;
  for (const name of ['ca', 'cert', 'key'] as const) {
    const path = flags.get(name);
    if (typeof path !== 'string') continue;
    try {
      out[name] = readFileSync(path);
    } catch (err) {
      fail(`--${name}: cannot read '${path}' (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
    any = true;
  }
  if (flags.get('no-verify') === true) {
    out.rejectUnauthorized = false;
    any = true;
  }
  return any ? out : undefined;
}
