/**
 * How the command fails: every problem is one line on stderr and an exit code, never a stack
 * (only what is a bug is thrown as it is).
 */

/** The server cannot start or the command cannot finish (a missing peer, a database it cannot open or write, Stripe refusing). */
export const EXIT_START = 1;
/** Wrong arguments (unknown options included: parseArgs reports them). */
export const EXIT_USAGE = 2;

/** Wrong arguments: exit code 2. */
export class UsageError extends Error {}
/** The server cannot start (a missing peer, a database it cannot open or write): exit code 1. */
export class StartError extends Error {}

/** The first line of a message that may have more (a stack, an SDK's details). */
export function firstLine(text: string): string {
  return text.split('\n', 1)[0] ?? text;
}

/** Says what went wrong in one line and exits with its code; rethrows what is a bug. */
export function exitOnError(error: unknown): never {
  if (error instanceof StartError) {
    console.error(`billing-elements: ${error.message}`);
    process.exit(EXIT_START);
  }
  // parseArgs reports unknown or malformed options with a TypeError carrying a code.
  const usageProblem = error instanceof UsageError || (error instanceof TypeError && 'code' in error);
  if (!usageProblem) throw error;
  console.error(`billing-elements: ${error.message}\nRun "billing-elements --help" for usage.`);
  process.exit(EXIT_USAGE);
}
