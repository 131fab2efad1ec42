import { readFileSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

export const FIXTURES_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'fixtures');

/**
 * Reads an annotated hex fixture: `#` starts a comment (whole line or rest of line), every other
 * character must be a hex digit or white space. One message per file.
 */
export function readHexFixture(relPath: string): Buffer {
  const text = readFileSync(join(FIXTURES_DIR, relPath), 'utf8');
  const hex = text
    .split('\n')
    .map((line) => line.replace(/#.*$/, ''))
    .join('')
    .replace(/\s+/g, '');
  if (!/^([0-9a-fA-F]{2})*$/.test(hex)) throw new Error(`${relPath}: not an even run of hex digits`);
  return Buffer.from(hex, 'hex');
}

/** The header comment lines of a fixture (what it is, where it came from). */
export function fixtureComments(relPath: string): string[] {
  const text = readFileSync(join(FIXTURES_DIR, relPath), 'utf8');
  return text.split('\n').filter((l) => l.startsWith('#')).map((l) => l.replace(/^#\s?/, ''));
}

/** Every `.hex` fixture below `dir` (relative to fixtures/), sorted. */
export function listHexFixtures(dir: string): string[] {
  return readdirSync(join(FIXTURES_DIR, dir))
    .filter((f) => f.endsWith('.hex'))
    .sort()
    .map((f) => join(dir, f));
}

/** Copies `buf` into a larger buffer at a non-zero offset and returns the view, to catch code that assumes byteOffset 0. */
export function atOffset(buf: Buffer, offset = 13): Buffer {
  const big = Buffer.alloc(buf.length + offset * 2, 0xee);
  buf.copy(big, offset);
  return big.subarray(offset, offset + buf.length);
}
