/** Echo round-trip statistics, in milliseconds. */
export interface RttStats {
  /** The most recent round trip, or null before the first reply. */
  last: number | null;
  min: number | null;
  max: number | null;
  /** Exponentially weighted mean (alpha 1/8, like TCP's SRTT). */
  smoothed: number | null;
  /** Replies matched to our probes. */
  samples: number;
}

export function emptyRtt(): RttStats {
  return { last: null, min: null, max: null, smoothed: null, samples: 0 };
}

export function addRttSample(s: RttStats, ms: number): void {
  s.last = ms;
  s.min = s.min === null ? ms : Math.min(s.min, ms);
  s.max = s.max === null ? ms : Math.max(s.max, ms);
  s.smoothed = s.smoothed === null ? ms : s.smoothed + (ms - s.smoothed) / 8;
  s.samples++;
}
