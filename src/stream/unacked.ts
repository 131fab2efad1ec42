/**
 * Loss accounting at disconnect: what the peer's TCP never acknowledged. TCP cannot say which of
 * our messages arrived, but it counts the bytes the peer acknowledged (tcp_info's tcpi_bytes_acked,
 * Linux 4.1+), and Node counts the bytes we wrote: the difference was possibly lost.
 */
import type * as net from 'node:net';
import { socketFd } from './keepalive.js';
import { getSockopt, IPPROTO_TCP, TCP_INFO } from './linux-sockopt.js';

// struct tcp_info in linux/tcp.h: __u64 tcpi_bytes_acked at offset 120.
const BYTES_ACKED_OFFSET = 120;
const TCP_INFO_LEN = BYTES_ACKED_OFFSET + 8;

/**
 * Bytes written to `socket` (handed to Node, to the kernel or already sent) that its peer's TCP has
 * not acknowledged; undefined when unknown (not Linux, koffi missing, an old kernel, fd closed).
 */
export function socketUnackedBytes(socket: net.Socket, active: boolean): number | undefined {
  const sockopt = getSockopt();
  const fd = socketFd(socket);
  if (!sockopt || fd < 0) return undefined;
  const info = sockopt.getBytes(fd, IPPROTO_TCP, TCP_INFO, TCP_INFO_LEN);
  if (typeof info === 'string' || info.length < TCP_INFO_LEN) return undefined;
  // On the connecting side the counter includes our SYN (one sequence number, acknowledged by the
  // handshake; the accepting side's SYN-ACK is not counted), and a FIN we sent counts one more once
  // acknowledged: the result must never go negative because of it.
  const acked = Math.max(0, Number(info.readBigUInt64LE(BYTES_ACKED_OFFSET)) - (active ? 1 : 0));
  return Math.max(0, socket.bytesWritten - acked);
}

/**
 * Takes the count once more just before the socket's descriptor is closed, whoever closes it: when
 * the kernel gives up on a peer (TCP_USER_TIMEOUT, a reset) it purges its send queue, but its
 * acknowledged-bytes counter lives until the descriptor is closed, so this is the last moment the
 * loss can be known. Returns a getter: the live count while open, the last one afterwards.
 */
export function trackUnackedBytes(socket: net.Socket, active: boolean): () => number | undefined {
  let last: number | undefined;
  const destroy = socket._destroy;
  socket._destroy = function (this: net.Socket, err: Error | null, cb: (error?: Error | null) => void): void {
    try {
      last = socketUnackedBytes(socket, active);
    } finally {
      destroy.call(this, err, cb);
    }
  };
  return () => (socketFd(socket) >= 0 ? socketUnackedBytes(socket, active) : last);
}
