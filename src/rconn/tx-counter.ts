/**
 * Counts the messages of one kind waiting in an rconn's send queue (Open vSwitch's
 * rconn_packet_counter). `sendWithLimit()` refuses once `queued` reaches its limit, so one chatty
 * message class (PACKET_IN, say) cannot starve the others behind a slow peer.
 */
export class TxCounter {
  /** Messages of this counter currently in the send queue. */
  queued = 0;
  /** Bytes of those messages. */
  queuedBytes = 0;
  /** Messages refused by `sendWithLimit()` because `queued` was at the limit. */
  refused = 0;
  /** Messages of this counter dropped from the queue by a disconnect. */
  dropped = 0;
}
