/**
 * Runs every bench in turn: each `bench/*.ts` module (except this one) measures on import and
 * prints its numbers beside a baseline measured in the same run. `npm run bench -- ui crm` runs
 * only the benches whose file names contain one of the words given.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const only = process.argv.slice(2);
const benches = (await readdir(here))
  .filter((f) => f.endsWith('.ts') && f !== 'run.ts' && !f.endsWith('.test.ts'))
  .filter((f) => only.length === 0 || only.some((word) => f.includes(word)))
  .sort();

for (const file of benches) {
  console.log(`\n== bench/${file}`);
  await import(path.join(here, file));
}
