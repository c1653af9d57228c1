/**
 * A lock file that lets exactly one process open the embedded PGlite data directory. PGlite is a
 * single-process database: two processes writing the same directory corrupt it. A lock whose
 * owner process has died is stale and taken over.
 */
import { open, readFile, rm } from 'node:fs/promises';

export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Tries once to take the lock; returns a release function, or undefined if a live process holds it. */
export async function tryLock(file: string): Promise<(() => Promise<void>) | undefined> {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o600);
      await handle.writeFile(String(process.pid));
      await handle.close();
      return async () => {
        await rm(file, { force: true });
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      if (holder && isAlive(holder)) return undefined;
      await rm(file, { force: true });
    }
  }
  return undefined;
}
