/**
 * Open vSwitch style target names (docs/DESIGN.md, "Target names"): `tcp:HOST[:PORT]`, `ssl:HOST[:PORT]`, `unix:PATH` to
 * connect, `ptcp:[PORT][:HOST]`, `pssl:[PORT][:HOST]`, `punix:PATH` to listen.
 */
import { isIP, isIPv6 } from 'node:net';
import { TargetError } from './errors.js';

/** The IANA OpenFlow port, used when a name leaves the port out. */
export const DEFAULT_OPENFLOW_PORT = 6653;

export type ActiveInetTarget = { kind: 'tcp' | 'ssl'; active: true; host: string; port: number };
export type ActiveUnixTarget = { kind: 'unix'; active: true; path: string };
/** `host` undefined means every address (OVS binds 0.0.0.0); port 0 asks for an ephemeral port. */
export type PassiveInetTarget = { kind: 'tcp' | 'ssl'; active: false; host?: string; port: number };
export type PassiveUnixTarget = { kind: 'unix'; active: false; path: string };
export type ActiveTarget = ActiveInetTarget | ActiveUnixTarget;
export type PassiveTarget = PassiveInetTarget | PassiveUnixTarget;
export type Target = ActiveTarget | PassiveTarget;

const PREFIXES = {
  tcp: { kind: 'tcp', active: true },
  ssl: { kind: 'ssl', active: true },
  unix: { kind: 'unix', active: true },
  ptcp: { kind: 'tcp', active: false },
  pssl: { kind: 'ssl', active: false },
  punix: { kind: 'unix', active: false },
} as const;

// Host names and IPv4 literals; IPv6 literals are checked with net.isIPv6 instead.
const HOSTNAME_RE = /^[A-Za-z0-9_]([A-Za-z0-9._-]*[A-Za-z0-9_])?$/;

/** Parses a target name; throws {@link TargetError} naming the bad input and the accepted forms. */
export function parseTarget(name: string): Target {
  if (typeof name !== 'string') throw new TargetError(String(name), 'a target name must be a string');
  const colon = name.indexOf(':');
  if (colon < 0) throw new TargetError(name, 'missing the KIND: prefix');
  const prefix = name.slice(0, colon);
  const rest = name.slice(colon + 1);
  if (!Object.hasOwn(PREFIXES, prefix)) throw new TargetError(name, `unknown kind "${prefix}"`);
  const { kind, active } = PREFIXES[prefix as keyof typeof PREFIXES];

  if (kind === 'unix') {
    if (rest === '') throw new TargetError(name, 'missing the socket PATH');
    return { kind, active, path: rest };
  }
  if (active) {
    const { host, port } = parseActiveHostPort(name, rest);
    return { kind, active, host, port };
  }
  const { host, port } = parsePassivePortHost(name, rest);
  return host === undefined ? { kind, active, port } : { kind, active, host, port };
}

/** True for `ptcp:`, `pssl:` and `punix:` names (does not validate the rest). */
export function isPassiveTarget(name: string): boolean {
  return /^p(tcp|ssl|unix):/.test(name);
}

/** The canonical name of a target: ports always present, IPv6 hosts in brackets. */
export function formatTarget(t: Target): string {
  if (t.kind === 'unix') return `${t.active ? 'unix' : 'punix'}:${t.path}`;
  if (t.active) return `${t.kind}:${formatHostPort(t.host, t.port)}`;
  const host = t.host === undefined ? '' : `:${bracketIPv6(t.host)}`;
  return `p${t.kind}:${t.port}${host}`;
}

/** `host:port`, with IPv6 literals in brackets. */
export function formatHostPort(host: string, port: number): string {
  return `${bracketIPv6(host)}:${port}`;
}

function bracketIPv6(host: string): string {
  return isIPv6(host) ? `[${host}]` : host;
}

function parseActiveHostPort(name: string, rest: string): { host: string; port: number } {
  let host: string;
  let portText: string | undefined;
  if (rest.startsWith('[')) {
    const close = rest.indexOf(']');
    if (close < 0) throw new TargetError(name, 'unclosed "[" around an IPv6 address');
    host = rest.slice(1, close);
    if (!isIPv6(host)) throw new TargetError(name, `"${host}" in brackets is not an IPv6 address`);
    const after = rest.slice(close + 1);
    if (after !== '' && !after.startsWith(':')) throw new TargetError(name, `unexpected "${after}" after "]"`);
    portText = after === '' ? undefined : after.slice(1);
  } else {
    const parts = rest.split(':');
    if (parts.length > 2) throw new TargetError(name, 'IPv6 addresses must be in brackets');
    host = parts[0]!;
    portText = parts[1];
    if (host === '') throw new TargetError(name, 'missing HOST');
    checkHostName(name, host);
  }
  const port = portText === undefined ? DEFAULT_OPENFLOW_PORT : parsePort(name, portText, 1);
  return { host, port };
}

function parsePassivePortHost(name: string, rest: string): { host?: string; port: number } {
  const colon = rest.indexOf(':');
  const portText = colon < 0 ? rest : rest.slice(0, colon);
  const port = portText === '' ? DEFAULT_OPENFLOW_PORT : parsePort(name, portText, 0);
  if (colon < 0) return { port };
  let host = rest.slice(colon + 1);
  if (host === '') throw new TargetError(name, 'empty HOST after the port');
  if (host.startsWith('[') && host.endsWith(']')) {
    host = host.slice(1, -1);
    if (!isIPv6(host)) throw new TargetError(name, `"${host}" in brackets is not an IPv6 address`);
  } else if (host.includes(':')) {
    // The host is everything after the port, so a bare IPv6 literal is unambiguous here.
    if (!isIPv6(host)) throw new TargetError(name, `"${host}" is not an IPv6 address`);
  } else {
    checkHostName(name, host);
  }
  return { host, port };
}

function checkHostName(name: string, host: string): void {
  if (!HOSTNAME_RE.test(host)) throw new TargetError(name, `"${host}" is not a valid host name or address`);
  // Dotted all-digit names must be real IPv4 literals ("1.2.3.999" is a typo, not a host name).
  if (/^[0-9.]+$/.test(host) && isIP(host) !== 4) throw new TargetError(name, `"${host}" is not a valid IPv4 address`);
}

function parsePort(name: string, text: string, min: number): number {
  if (!/^[0-9]{1,5}$/.test(text)) throw new TargetError(name, `"${text}" is not a port number`);
  const port = Number(text);
  if (port < min || port > 65535) throw new TargetError(name, `port ${port} is out of range ${min}..65535`);
  return port;
}
