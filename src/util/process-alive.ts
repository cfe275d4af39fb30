/**
 * Whether a process with this id runs on this machine: what the store lock (src/store/lock.ts)
 * and the scratch folders (scratch-folder.ts) ask of a pid they find in a file or a name, to tell
 * a holder that is still working from one that was killed.
 */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it exists, under another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
