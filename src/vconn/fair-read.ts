/**
 * Fairness between connections: how many bytes one connection may read and process per turn of
 * the event loop, and how many all of a process's connections together may. A peer streaming
 * well-formed but useless messages would otherwise keep the loop in its 'data' handlers (libuv
 * reads up to 32 chunks per socket per turn), and accepts, timers and other peers would starve.
 *
 * A connection over its share holds the chunk it was handed, pauses its socket and waits in a
 * FIFO; each new turn (a setImmediate, so the poll phase with accepts and other sockets runs
 * first) resumes the waiting connections in order until that turn's total is used up.
 */

/** Bytes one connection may process per event-loop turn. */
export const READ_BYTES_PER_CONNECTION_PER_TURN = 64 * 1024;
/** Bytes all connections of the process together may process per event-loop turn. */
export const READ_BYTES_PER_TURN = 256 * 1024;

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
   * Asks to process `n` bytes now. True: go ahead (they are counted). False: this turn's share is
   * used up; hold the bytes and call {@link park}.
   */
  admit(n: number): boolean {
    scheduleTurn();
    if (this.turn !== turn) {
      this.turn = turn;
      this.bytes = 0;
    }
    if (this.bytes >= READ_BYTES_PER_CONNECTION_PER_TURN || turnBytes >= READ_BYTES_PER_TURN) return false;
    this.bytes += n;
    turnBytes += n;
    return true;
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
