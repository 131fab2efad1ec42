// Types for the smoke test (test/bench/smoke.test.ts), which imports the plain .mjs benchmarks.
export interface BenchRow {
  name: string;
  value: number;
  unit: string;
  baseline: number | null;
  ratio: number | null;
  goal: string;
  met: boolean;
  extra?: Record<string, unknown>;
}
export interface Measure {
  title: string;
  run(): Promise<BenchRow[]>;
}
export declare const MEASURES: Record<'P1' | 'P2' | 'P3' | 'P4' | 'P4B' | 'P5', Measure>;
export declare function machineInfo(): { cores: number; cpuModel: string; node: string; platform: string };
