import type { OfpMessage } from '../ofp/index.js';
import type { Rconn } from '../rconn/index.js';
import type { SwitchEmulator } from './switch.js';

/** What happened to one request; for logs. */
export interface Answered {
  request: OfpMessage;
  reply: OfpMessage | null;
  /** The reply could not be sent (queue full, disconnected meanwhile). */
  error?: Error;
}

/**
 * Serves `emulator` on one connection: every message the rconn delivers is answered (echo is the
 * rconn's own business), and the emulator's asynchronous messages (PACKET_IN, FLOW_REMOVED,
 * PORT_STATUS) go to it while it is connected. Several rconns may serve one emulator. Returns the
 * function that stops serving.
 */
export function serveSwitch(rconn: Rconn, emulator: SwitchEmulator, onAnswer?: (a: Answered) => void): () => void {
  const session = emulator.attach((m) => rconn.send(m), () => (rconn.isConnected() ? rconn.version : 0));
  const onMessage = (msg: OfpMessage): void => {
    const replies = emulator.answer(msg);
    const reply = replies[0] ?? null;
    try {
      for (const r of replies) rconn.send(r);
      onAnswer?.({ request: msg, reply });
    } catch (err) {
      onAnswer?.({ request: msg, reply, error: err as Error });
    }
  };
  const stop = (): void => {
    rconn.off('message', onMessage);
    rconn.off('close', stop);
    session.detach();
  };
  rconn.on('message', onMessage);
  // A closed rconn never sends again: a long-running switch accepting many short sessions
  // (ovs-ofctl) must not keep one attachment per session forever.
  rconn.once('close', stop);
  return stop;
}
