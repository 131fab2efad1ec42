/**
 * JSON lines out of the event loop's way. On Linux, writes to a pipe or file are synchronous in
 * Node, so one write per event during a burst of thousands stalls the loop (and with it every
 * connection). Lines are queued and written a bounded slice per turn, waiting for 'drain' where the
 * output has one; a reader that does not keep up costs dropped lines (counted and reported in a
 * line of their own), never unbounded memory or a blocked loop.
 */
import type { Output } from './reporter.js';

/** Bytes written per turn of the event loop. */
const SLICE_BYTES = 64 * 1024;
/** Bytes queued at most; past this, lines are dropped and counted. */
const MAX_QUEUED_BYTES = 8 * 1024 * 1024;

export class JsonWriter {
  private queue: string[] = [];
  private head = 0;
  private queuedBytes = 0;
  private scheduled = false;
  private waitingDrain = false;
  /** Lines dropped since the last report of them. */
  private dropped = 0;
  private readonly idle: Array<() => void> = [];

  constructor(private readonly out: Output) {}

  /** Queues one line (without its newline). */
  write(line: string): void {
    if (this.queuedBytes + line.length > MAX_QUEUED_BYTES) {
      this.dropped++;
      return;
    }
    this.queue.push(line);
    this.queuedBytes += line.length + 1;
    this.schedule();
  }

  /** Resolves once everything queued so far has been handed to the output. */
  flushed(): Promise<void> {
    if (this.head === this.queue.length && this.dropped === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  /** Writes everything now, synchronously (at exit, when nothing else needs the loop). */
  flushNow(): void {
    this.reportDropped();
    if (this.head < this.queue.length) this.out.write(`${this.queue.slice(this.head).join('\n')}\n`);
    this.reset();
  }

  private schedule(): void {
    if (this.scheduled || this.waitingDrain) return;
    this.scheduled = true;
    setImmediate(this.pump);
  }

  private readonly pump = (): void => {
    this.scheduled = false;
    this.reportDropped();
    let bytes = 0;
    const start = this.head;
    while (this.head < this.queue.length && bytes < SLICE_BYTES) bytes += this.queue[this.head++]!.length + 1;
    if (this.head > start) {
      const ok = this.out.write(`${this.queue.slice(start, this.head).join('\n')}\n`);
      this.queuedBytes -= bytes;
      if (ok === false && typeof this.out.once === 'function') {
        this.waitingDrain = true;
        this.out.once('drain', () => {
          this.waitingDrain = false;
          this.continue();
        });
        return;
      }
    }
    this.continue();
  };

  private continue(): void {
    if (this.head > 4096) {
      this.queue = this.queue.slice(this.head);
      this.head = 0;
    }
    if (this.head < this.queue.length || this.dropped > 0) return this.schedule();
    this.reset();
    for (const resolve of this.idle.splice(0)) resolve();
  }

  private reportDropped(): void {
    if (this.dropped === 0) return;
    const line = JSON.stringify({ time: new Date().toISOString(), event: 'linesDropped', lines: this.dropped, text: `${this.dropped} JSON lines dropped: the reader of this output did not keep up` });
    this.dropped = 0;
    this.queue.push(line);
    this.queuedBytes += line.length + 1;
  }

  private reset(): void {
    this.queue = [];
    this.head = 0;
    this.queuedBytes = 0;
  }
}
