/**
 * Option checks shared by every layer: each option is checked where it is given, synchronously,
 * and a bad one throws a {@link ConfigError} naming the option, the value and what is allowed, so a
 * typo fails at the call that made it instead of in a retry loop minutes later.
 */
import { ConfigError } from './errors.js';
import { ALL_VERSIONS } from './ofp/versions.js';

function show(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'bigint') return `${value}n`;
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (typeof value === 'function') return 'a function';
  if (value !== null && typeof value === 'object') return 'an object';
  return String(value);
}

/** Throws the ConfigError for `owner`'s option `option` = `value`, which must be `allowed`. */
export function invalidOption(owner: string, option: string, value: unknown, allowed: string): never {
  throw new ConfigError(`${owner}: option ${option} = ${show(value)} is invalid: must be ${allowed}`, { option, value });
}

export interface NumberRule {
  min?: number;
  max?: number;
  integer?: boolean;
  /** Infinity is allowed (e.g. "unlimited tries"). */
  infinite?: boolean;
}

/** A number within the rule, or `fallback` when undefined. NaN is never allowed. */
export function numberOption(owner: string, option: string, value: unknown, fallback: number, rule: NumberRule = {}): number {
  if (value === undefined) return fallback;
  const { min = -Infinity, max = Infinity, integer = false, infinite = false } = rule;
  const ok = typeof value === 'number' && !Number.isNaN(value)
    && (Number.isFinite(value) ? (!integer || Number.isInteger(value)) && value >= min && value <= max : infinite && value > 0);
  if (!ok) {
    const kind = integer ? 'an integer' : 'a number';
    const range = max === Infinity ? `>= ${min}` : `in [${min}, ${max}]`;
    invalidOption(owner, option, value, `${kind} ${range}${infinite ? ' or Infinity' : ''}`);
  }
  return value as number;
}

export function booleanOption(owner: string, option: string, value: unknown, fallback: boolean): boolean {
  if (value === undefined) return fallback;
  if (typeof value !== 'boolean') invalidOption(owner, option, value, 'true or false');
  return value;
}

export function stringOption(owner: string, option: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') invalidOption(owner, option, value, 'a string');
  return value;
}

export function oneOfOption<T extends string>(owner: string, option: string, value: unknown, allowed: readonly T[], fallback: T): T {
  if (value === undefined) return fallback;
  if (!allowed.includes(value as T)) invalidOption(owner, option, value, `one of ${allowed.map((a) => `'${a}'`).join(', ')}`);
  return value as T;
}

export function functionOption<T>(owner: string, option: string, value: unknown): T | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'function') invalidOption(owner, option, value, 'a function');
  return value as T;
}

/** An object with the given methods (a logger, a clock), or undefined. */
export function objectOption<T>(owner: string, option: string, value: unknown, methods: readonly string[]): T | undefined {
  if (value === undefined) return undefined;
  const missing = value !== null && typeof value === 'object'
    ? methods.filter((m) => typeof (value as Record<string, unknown>)[m] !== 'function')
    : methods;
  if (missing.length > 0) invalidOption(owner, option, value, `an object with the methods ${methods.join(', ')}`);
  return value as T;
}

/**
 * The OpenFlow versions to offer: non-empty, each one of 1..6 (1.0..1.5); returned deduplicated and
 * sorted. `[1.3]` or `[0x13]` are the usual mistakes: the wire numbers are 1 = 1.0 ... 6 = 1.5.
 */
export function versionsOption(owner: string, value: unknown): number[] {
  if (value === undefined) return [...ALL_VERSIONS];
  const allowed = 'a non-empty array of OpenFlow wire versions 1..6 (1 = 1.0, 4 = 1.3, 6 = 1.5)';
  if (!Array.isArray(value) || value.length === 0) invalidOption(owner, 'versions', value, allowed);
  for (const v of value) if (!ALL_VERSIONS.includes(v as number)) invalidOption(owner, 'versions', value, allowed);
  return [...new Set(value as number[])].sort((a, b) => a - b);
}

const TLS_FIELDS = ['ca', 'cert', 'key', 'rejectUnauthorized', 'requestCert', 'servername'] as const;

function isPemSource(v: unknown): boolean {
  return typeof v === 'string' || Buffer.isBuffer(v);
}

/** TLS options: the right types only (whether the files exist is checked when they are read). */
export function tlsOption(owner: string, value: unknown): void {
  if (value === undefined) return;
  if (value === null || typeof value !== 'object') invalidOption(owner, 'tls', value, `an object with ${TLS_FIELDS.join(', ')}`);
  const t = value as Record<string, unknown>;
  const ca = t['ca'];
  if (ca !== undefined && !isPemSource(ca) && !(Array.isArray(ca) && ca.every(isPemSource))) {
    invalidOption(owner, 'tls.ca', ca, 'a PEM string, a file path, a Buffer, or an array of them');
  }
  for (const f of ['cert', 'key'] as const) {
    if (t[f] !== undefined && !isPemSource(t[f])) invalidOption(owner, `tls.${f}`, t[f], 'a PEM string, a file path or a Buffer');
  }
  booleanOption(owner, 'tls.rejectUnauthorized', t['rejectUnauthorized'], true);
  booleanOption(owner, 'tls.requestCert', t['requestCert'], false);
  stringOption(owner, 'tls.servername', t['servername']);
}

/** An AbortSignal or undefined. */
export function signalOption(owner: string, value: unknown): void {
  if (value !== undefined && !(value instanceof AbortSignal)) invalidOption(owner, 'signal', value, 'an AbortSignal');
}
