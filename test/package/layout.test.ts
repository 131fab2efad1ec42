/** The layout rule of docs/DESIGN.md, "Layers": one folder per layer with an index.ts, no import of a parent folder of one's own layer. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT } from '../support/dist.js';

const SRC = join(ROOT, 'src');
const layers = readdirSync(SRC).filter((name) => statSync(join(SRC, name)).isDirectory());

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? tsFiles(join(dir, e.name)) : e.name.endsWith('.ts') ? [join(dir, e.name)] : []);
}

describe('src/ layout', () => {
  test.each(layers)('src/%s has an index.ts and never imports its own folder through a parent path', (layer) => {
    expect(statSync(join(SRC, layer, 'index.ts')).isFile()).toBe(true);
    const offenders = tsFiles(join(SRC, layer)).filter((file) =>
      new RegExp(`from '(\\.\\./)+${layer}(/|')`).test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });

  test('no module beside a layer folder of the same name (src/rconn.ts next to src/rconn/)', () => {
    const files = readdirSync(SRC).filter((f) => f.endsWith('.ts')).map((f) => f.slice(0, -3));
    expect(files.filter((f) => layers.includes(f))).toEqual([]);
  });
});
