/**
 * Loss accounting at disconnect: what the peer's TCP never acknowledged. TCP cannot say which of
 * our messages arrived, but the kernel knows how many bytes of its send queue are still unacked.
 */
import type * as net from 'node:net';
import { socketFd } from './keepalive.js';
import { getSockopt } from './linux-sockopt.js';

/**
 * Bytes written to `socket` that its peer has not acknowledged: the kernel's send queue
 * (SIOCOUTQ, sent-but-unacked plus not-yet-sent) plus what Node still holds in its own write
 * buffer. Undefined when unknown: not Linux, koffi missing, a unix socket, or the socket already
 * closed (the kernel purges the queue when it gives up on a peer, so only a live socket can tell).
 */
export function socketUnackedBytes(socket: net.Socket): number | undefined {
  const outq = getSockopt()?.outq;
  const fd = socketFd(socket);
  if (!outq || fd < 0) return undefined;
  const kernel = outq(fd);
  return typeof kernel === 'string' ? undefined : kernel + socket.writableLength;
}
