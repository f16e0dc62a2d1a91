/** Folders the CLI writes into (a database's, an output file's). */
import { existsSync, mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/**
 * Creates `dir` and its missing parents, one level at a time, so that a folder that cannot
 * be made fails at once with its error. Node 20's recursive `mkdirSync` never returns for
 * some paths (a folder under `/proc`), which would leave the CLI spinning.
 */
export function makeDirectory(dir: string): void {
  const missing: string[] = [];
  for (let current = resolve(dir); !existsSync(current); current = dirname(current)) {
    missing.unshift(current);
    if (dirname(current) === current) break;
  }
  for (const folder of missing) mkdirSync(folder);
}
