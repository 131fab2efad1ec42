/**
 * A decoded message as a plain object: the lazily decoded `match`, `actions`, `instructions` and `data`
 * (getters on decoded PACKET_IN/PACKET_OUT/FLOW_MOD/FLOW_REMOVED) read and copied in, so that deep
 * equality with a message built by hand works (toStrictEqual also compares prototypes).
 */
import type { OfpMessage } from '../../src/ofp/index.js';

const LAZY = ['match', 'actions', 'instructions', 'data'] as const;

export function plainMessage<M extends OfpMessage>(m: M): M {
  const out: Record<string, unknown> = { ...m };
  for (const key of LAZY) if (key in m) out[key] = (m as unknown as Record<string, unknown>)[key];
  return out as M;
}
