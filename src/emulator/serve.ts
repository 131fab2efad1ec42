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
 * Serves `emulator` on one connection: every message the rconn delivers is answered with the
 * emulator's reply (echo is the rconn's own business). Several rconns may serve one emulator.
 * Returns the function that stops serving.
 */
export function serveSwitch(rconn: Rconn, emulator: SwitchEmulator, onAnswer?: (a: Answered) => void): () => void {
  const onMessage = (msg: OfpMessage): void => {
    const reply = emulator.reply(msg);
    if (!reply) {
      onAnswer?.({ request: msg, reply: null });
      return;
    }
    try {
      rconn.send(reply);
      onAnswer?.({ request: msg, reply });
    } catch (err) {
      onAnswer?.({ request: msg, reply, error: err as Error });
    }
  };
  rconn.on('message', onMessage);
  return () => { rconn.off('message', onMessage); };
}
