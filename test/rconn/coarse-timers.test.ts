import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { CoarseTimers } from '../../src/rconn/coarse-timers.js';
import { COARSE_GRID_MS, systemClock } from '../../src/rconn/clock.js';

// Node's timers and Date are faked, so "now" and the one event-loop timer move together.
describe('CoarseTimers (one event-loop timer for deadlines that may come late)', () => {
  beforeEach(() => { vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'], now: 10_000 }); });
  afterEach(() => { vi.useRealTimers(); });

  const make = () => new CoarseTimers(250, () => Date.now());

  it('fires each deadline at the first grid step at or after it, never before, all of one step from one event-loop timer', () => {
    const timers = make();
    const fired: Array<[string, number]> = [];
    vi.advanceTimersByTime(10); // now 10,010: the next step is 10,250
    timers.add(() => fired.push(['a', Date.now()]), 100);
    timers.add(() => fired.push(['b', Date.now()]), 240);
    timers.add(() => fired.push(['c', Date.now()]), 241);
    expect(vi.getTimerCount()).toBe(1);
    vi.advanceTimersByTime(239);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([['a', 10_250], ['b', 10_250]]);
    vi.advanceTimersByTime(250);
    expect(fired).toEqual([['a', 10_250], ['b', 10_250], ['c', 10_500]]);
    expect(vi.getTimerCount()).toBe(0);
    expect(timers.size).toBe(0);
  });

  it('a cancelled deadline never fires, and cancelling the last one leaves no event-loop timer (nothing keeps the process up)', () => {
    const timers = make();
    const fired: string[] = [];
    const a = timers.add(() => fired.push('a'), 100);
    const b = timers.add(() => fired.push('b'), 1000);
    timers.cancel(a);
    expect(vi.getTimerCount()).toBe(1);
    timers.cancel(b);
    timers.cancel(b);
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(5000);
    expect(fired).toEqual([]);
  });

  it('cancelling the earliest step re-arms for the next one', () => {
    const timers = make();
    const fired: number[] = [];
    const a = timers.add(() => fired.push(1), 100);
    timers.add(() => fired.push(Date.now()), 1000);
    timers.cancel(a);
    vi.advanceTimersByTime(999);
    expect(fired).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(fired).toEqual([11_000]);
  });

  it('a deadline cancelled by an earlier callback of the same step does not fire', () => {
    const timers = make();
    const fired: string[] = [];
    // eslint-disable-next-line prefer-const
    let b: ReturnType<CoarseTimers['add']>;
    timers.add(() => { fired.push('a'); timers.cancel(b); }, 10);
    b = timers.add(() => fired.push('b'), 20);
    vi.advanceTimersByTime(250);
    expect(fired).toEqual(['a']);
  });

  it('deadlines armed from a callback are kept in order with the ones already pending', () => {
    const timers = make();
    const fired: Array<[string, number]> = [];
    timers.add(() => fired.push(['late', Date.now()]), 2000);
    timers.add(() => {
      fired.push(['first', Date.now()]);
      timers.add(() => fired.push(['re-armed', Date.now()]), 500);
    }, 100);
    vi.advanceTimersByTime(3000);
    expect(fired).toEqual([['first', 10_250], ['re-armed', 10_750], ['late', 12_000]]);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('the system clock batches only timers whose slack covers a grid step', () => {
    const fired: string[] = [];
    const before = vi.getTimerCount();
    const exact = systemClock.setTimer(() => fired.push('exact'), 100);
    const small = systemClock.setTimer(() => fired.push('small'), 100, COARSE_GRID_MS - 1);
    const lax1 = systemClock.setTimer(() => fired.push('lax1'), 100, COARSE_GRID_MS);
    const lax2 = systemClock.setTimer(() => fired.push('lax2'), 100, COARSE_GRID_MS);
    // exact, small: their own timers; lax1 and lax2 share one.
    expect(vi.getTimerCount() - before).toBe(3);
    systemClock.clearTimer(lax2);
    vi.advanceTimersByTime(1000);
    expect(fired).toEqual(['exact', 'small', 'lax1']);
    systemClock.clearTimer(exact);
    systemClock.clearTimer(small);
    systemClock.clearTimer(lax1);
    expect(vi.getTimerCount()).toBe(before);
  });
});
