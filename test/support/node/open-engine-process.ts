/**
 * Opens the reference engine on a SQLite file at a signal, as a server starting up would, then
 * exits: `node --import tsx test/support/node/open-engine-process.ts <db file>`.
 *
 * Writes `ready` once its modules are loaded, waits for a line on stdin, opens the engine
 * (migrating the file if it must), closes it and writes `opened`, or `failed <message>` (exit
 * code 1). The signal lets a test start many at the same moment.
 */
import { createInterface } from 'node:readline';
import { createReferenceEngine } from '../../../src/server/reference/reference-engine.js';

const [file] = process.argv.slice(2);
if (!file) {
  process.stderr.write('usage: open-engine-process.ts <db file>\n');
  process.exit(2);
}

const lines = createInterface({ input: process.stdin });
lines.once('line', () => {
  try {
    createReferenceEngine({ db: file, logger: { error: () => {} } }).close();
    process.stdout.write('opened\n');
    process.exit(0);
  } catch (error) {
    process.stdout.write(`failed ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
});
process.stdout.write('ready\n');
