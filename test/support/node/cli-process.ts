/**
 * `billing-elements` (src/cli/index.ts) started as a process, as a host runs it: its output
 * kept, the URL it says it serves once it does, its exit code. `killCliProcesses()` (in the
 * suite's `after`) kills every one still running, whatever the assertions did, so that a
 * failed test cannot leave one serving. (node:test runs each file in a process of its own:
 * the list is per file.)
 */
import { spawn, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { join } from 'node:path';

const CLI = join(import.meta.dirname, '../../../src/cli/index.ts');
const started = new Set<ChildProcess>();

export interface CliProcess {
  child: ChildProcess;
  /** The URL it says it serves, once it does; rejects if it exits first. */
  url: Promise<string>;
  /** Its exit code, once it has exited and its output is all read. */
  exited: Promise<number | null>;
  output(): { stdout: string; stderr: string };
}

export function startCli(args: string[], { nodeArgs = [], spawnOptions = {} }: { nodeArgs?: string[]; spawnOptions?: SpawnOptions } = {}): CliProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', ...nodeArgs, CLI, ...args], { ...spawnOptions, stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(child);
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('close', (code) => resolve(code)));
  const url = new Promise<string>((resolve, reject) => {
    child.stdout!.on('data', () => {
      const match = /serving (http:\/\/\S+)/.exec(stdout);
      if (match?.[1]) resolve(match[1]);
    });
    void exited.then(() => reject(new Error(`the CLI exited before serving: ${stderr}`)));
  });
  url.catch(() => {}); // only the tests that wait for the URL care
  return { child, url, exited, output: () => ({ stdout, stderr }) };
}

export function killCliProcesses(): void {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
}
