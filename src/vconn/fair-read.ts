/**
 * Fairness between connections: how many bytes one connection may read and process per turn of
 * the event loop, and how many all of a process's connections together may. A peer streaming
 * well-formed but useless messages would otherwise keep the loop in its 'data' handlers (libuv
 * reads up to 32 chunks per socket per turn), and accepts, timers and other peers would starve.
 *
 * A connection frames what it reads, then handles whole messages as far as its allowance goes: its
 * slice shrinks as more connections wait, so one round over all of them stays a few turns long.
 * The messages it may not handle now stay queued; it pauses its socket and waits in a FIFO; each
 * new turn (a setImmediate, so the poll phase with accepts and other sockets runs in between)
 * resumes the waiting connections in order until that turn's total is used up.
 */

/**
 * Work is counted in bytes plus MESSAGE_COST per message: handling a message costs the same whatever
 * its size, so a flood of 8-byte messages must not get 4,000 of them into one turn.
 */
export const MESSAGE_COST = 56;
/** Work (bytes + MESSAGE_COST per message) all connections together may do per event-loop turn. */
export const READ_BYTES_PER_TURN = 1024 * 1024;
/** Work one connection may do per turn when nobody else waits. */
export const READ_BYTES_PER_CONNECTION_PER_TURN = 128 * 1024;
/** The smallest slice of work a waiting connection is granted, however many wait. */
const MIN_SLICE = 1024;
/**
 * Work after which the turn's end is marked (a setImmediate). Below it a turn is not worth ending:
 * a request/reply connection would pay an extra loop iteration per message, and the counts simply
 * carry on into the next turn until the mark is set, which only makes the budget stricter.
 */
const MARK_TURN_AT = 4 * 1024;

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
  // Oldest first, each waiting connection at most once per turn (one that parks again goes to the
  // back); whoever gets no share this turn stays at the front for the next one.
  for (let waiting = parked.length; waiting > 0 && parked.length > 0 && turnBytes < READ_BYTES_PER_TURN; waiting--) parked.shift()!();
  if (parked.length > 0) scheduleTurn();
}

/** One connection's share of each turn. */
export class ReadShare {
  private turn = -1;
  private bytes = 0;

  /**
   * The work (bytes + MESSAGE_COST per message) this connection may do now; 0: park. A connection
   * may finish the message that crosses its allowance, so a turn overshoots by one message at most.
   */
  allowance(): number {
    if (this.turn !== turn) {
      this.turn = turn;
      this.bytes = 0;
    }
    const slice = Math.max(MIN_SLICE, Math.floor(READ_BYTES_PER_TURN / (parked.length + 1)));
    return Math.max(0, Math.min(slice, READ_BYTES_PER_CONNECTION_PER_TURN - this.bytes, READ_BYTES_PER_TURN - turnBytes));
  }

  /** Records work done (after allowance() in the same turn). */
  spend(work: number): void {
    this.bytes += work;
    turnBytes += work;
    if (turnBytes >= MARK_TURN_AT) scheduleTurn();
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
