/**
 * Fairness between connections: how many bytes one connection may read and process per turn of
 * the event loop, and how many all of a process's connections together may. A peer streaming
 * well-formed but useless messages would otherwise keep the loop in its 'data' handlers (libuv
 * reads up to 32 chunks per socket per turn), and accepts, timers and other peers would starve.
 *
 * A connection asks before processing a chunk and may be granted part of it: its slice shrinks as
 * more connections wait, so one round over all of them stays a few turns long. What it may not
 * process now it holds, pauses its socket and waits in a FIFO; each new turn (a setImmediate, so
 * the poll phase with accepts and other sockets runs in between) resumes the waiting connections
 * in order until that turn's total is used up.
 */

/** Bytes all connections of the process together may process per event-loop turn. */
export const READ_BYTES_PER_TURN = 32 * 1024;
/** Bytes one connection may process per turn when nobody else waits. */
export const READ_BYTES_PER_CONNECTION_PER_TURN = 64 * 1024;
/** The smallest slice a waiting connection is granted, however many wait. */
const MIN_SLICE = 1024;

let turn = 0;
let turnBytes = 0;
let turnScheduled = false;
const parked: Array<() => void> = [];

function scheduleTurn(): void {
  if (turnScheduled) return;
  turnScheduled = true;
  setImmediate(nextTurn);
}

function nextTurn(): void {
  turnScheduled = false;
  turn++;
  turnBytes = 0;
  // Oldest first; whoever does not get a share this turn stays at the front for the next one.
  while (parked.length > 0 && turnBytes < READ_BYTES_PER_TURN) parked.shift()!();
  if (parked.length > 0) scheduleTurn();
}

/** One connection's share of each turn. */
export class ReadShare {
  private turn = -1;
  private bytes = 0;

  /**
   * Asks to process `n` bytes now; returns how many of them may be processed (counted as used).
   * Fewer than `n`: hold the rest and call {@link park}.
   */
  admit(n: number): number {
    scheduleTurn();
    if (this.turn !== turn) {
      this.turn = turn;
      this.bytes = 0;
    }
    const slice = Math.max(MIN_SLICE, Math.floor(READ_BYTES_PER_TURN / (parked.length + 1)));
    const allowed = Math.min(n, slice, READ_BYTES_PER_CONNECTION_PER_TURN - this.bytes, READ_BYTES_PER_TURN - turnBytes);
    if (allowed <= 0) return 0;
    this.bytes += allowed;
    turnBytes += allowed;
    return allowed;
  }

  /** Calls `resume` in a later turn, in arrival order with the other waiting connections. */
  park(resume: () => void): void {
    parked.push(resume);
    scheduleTurn();
  }

  /** Forgets a parked resume (the connection closed while waiting). */
  unpark(resume: () => void): void {
    const i = parked.indexOf(resume);
    if (i >= 0) parked.splice(i, 1);
  }
}
