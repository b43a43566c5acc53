/**
 * Real file-system faults for tests: a small tmpfs that fills up, and a read-only bind mount.
 * They need Linux and the right to mount (root, as in CI); elsewhere each says why it cannot.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

export interface Mounted {
  unmount(): void;
}

export type MountResult = Mounted | { skip: string };

function mount(args: string[], target: string): MountResult {
  if (process.platform !== 'linux') return { skip: `mounting needs Linux (this is ${process.platform})` };
  const run = spawnSync('mount', args, { encoding: 'utf8' });
  if (run.error || run.status !== 0) return { skip: `mount ${args.join(' ')} failed: ${run.error?.message ?? run.stderr.trim()}` };
  return {
    unmount: () => {
      spawnSync('umount', ['-l', target]);
    },
  };
}

/** A tmpfs of `sizeKiB` on `dir` (which must exist). */
export function mountTmpfs(dir: string, sizeKiB: number): MountResult {
  return mount(['-t', 'tmpfs', '-o', `size=${sizeKiB}k,mode=0700`, 'tmpfs', dir], dir);
}

/** `dir` seen read-only at the same path (EROFS for every write), as on read-only media. */
export function bindReadOnly(dir: string): MountResult {
  const bound = mount(['--bind', dir, dir], dir);
  if ('skip' in bound) return bound;
  const remount = spawnSync('mount', ['-o', 'remount,ro,bind', dir], { encoding: 'utf8' });
  if (remount.error || remount.status !== 0) {
    bound.unmount();
    return { skip: `remounting read-only failed: ${remount.error?.message ?? remount.stderr.trim()}` };
  }
  return bound;
}

/** Fills the file system holding `dir` until writes fail with ENOSPC. */
export function fillDisk(dir: string): void {
  const chunk = Buffer.alloc(64 * 1024, 1);
  const fd = fs.openSync(`${dir}/filler`, 'a');
  try {
    for (;;) fs.writeSync(fd, chunk);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    fs.closeSync(fd);
  }
  // The last partial block: keep writing single bytes until nothing fits.
  const small = fs.openSync(`${dir}/filler-tail`, 'a');
  try {
    for (;;) fs.writeSync(small, Buffer.alloc(512, 1));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
  } finally {
    fs.closeSync(small);
  }
}
