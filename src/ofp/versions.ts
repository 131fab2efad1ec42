import { OfpError } from './ofp-error.js';

export const OFP10 = 1;
export const OFP11 = 2;
export const OFP12 = 3;
export const OFP13 = 4;
export const OFP14 = 5;
export const OFP15 = 6;

export const ALL_VERSIONS: readonly number[] = Object.freeze([OFP10, OFP11, OFP12, OFP13, OFP14, OFP15]);

export function isKnownVersion(v: number): boolean {
  return v >= OFP10 && v <= OFP15 && Number.isInteger(v);
}

/** "1.0".."1.5" for known versions; anything else as the wire byte, e.g. "0x07". */
export function versionName(v: number): string {
  if (isKnownVersion(v)) return `1.${v - 1}`;
  return `0x${(v & 0xff).toString(16).padStart(2, '0')}`;
}

/**
 * Accepts the spellings people type on command lines and in configs: "1.3", "OpenFlow13", "OF13",
 * "0x04", "4". Throws OfpError BAD_VERSION_NAME for anything that is not version 1.0-1.5.
 */
export function parseVersion(s: string): number {
  const t = s.trim();
  let v: number | undefined;
  let m: RegExpMatchArray | null;
  if ((m = /^1\.([0-5])$/.exec(t))) v = Number(m[1]) + 1;
  else if ((m = /^(?:openflow|of)_?1([0-5])$/i.exec(t))) v = Number(m[1]) + 1;
  else if ((m = /^0x0*([0-9a-f]+)$/i.exec(t))) v = parseInt(m[1]!, 16);
  else if (/^[0-9]+$/.test(t)) v = Number(t);
  if (v === undefined || !isKnownVersion(v)) {
    throw new OfpError('BAD_VERSION_NAME', `not an OpenFlow version 1.0-1.5: ${JSON.stringify(s)}`);
  }
  return v;
}

/** "1.0,1.3" -> [1, 4]: sorted, without duplicates; an empty list is an error. */
export function parseVersionList(s: string): number[] {
  const parts = s.split(',').map((p) => p.trim()).filter((p) => p !== '');
  if (parts.length === 0) throw new OfpError('BAD_VERSION_NAME', `empty OpenFlow version list: ${JSON.stringify(s)}`);
  return [...new Set(parts.map(parseVersion))].sort((a, b) => a - b);
}
