/** The socket file of a `punix:` listener: clear a stale one before binding, remove ours on close. */
import { lstatSync, unlinkSync } from 'node:fs';
import { lstat, unlink } from 'node:fs/promises';
import * as net from 'node:net';
import { StreamError } from './errors.js';

/** The file we bound, identified by inode so that close never removes someone else's socket. */
export interface UnixBinding {
  path: string;
  ino?: number;
}

/**
 * Makes `path` free for binding: a socket file nobody listens on (left by a crashed process) is
 * removed; a live socket or a file that is not a socket is an EADDRINUSE error, never deleted.
 */
export async function prepareUnixPath(name: string, path: string): Promise<void> {
  const st = await lstat(path).catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return undefined;
    throw new StreamError(err.code ?? 'EIO', name, `cannot inspect ${path}: ${err.message}`, { cause: err });
  });
  if (!st) return;
  if (!st.isSocket()) throw new StreamError('EADDRINUSE', name, `${path} exists and is not a socket`);
  if (await someoneListens(path)) throw new StreamError('EADDRINUSE', name, `another process is listening on ${path}`);
  await unlink(path).catch(() => undefined);
}

/** Records the inode of the socket file just bound. */
export function ownUnixPath(path: string): UnixBinding {
  try {
    return { path, ino: lstatSync(path).ino };
  } catch {
    return { path };
  }
}

/** Removes the socket file if it is still the one we bound (libuv usually did already). */
export function removeOwnUnixPath(b: UnixBinding): void {
  try {
    const st = lstatSync(b.path);
    if (st.isSocket() && st.ino === b.ino) unlinkSync(b.path);
  } catch {
    // Already gone.
  }
}

function someoneListens(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.connect({ path });
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}
