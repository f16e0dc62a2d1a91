/**
 * `npm run bench`: every benchmark, one after the other (they would skew each other side by
 * side), each in a process of its own, then `docs/performance.md` written from what they
 * printed, with the machine, the date and the commands. Not part of `npm test`: figures on a
 * shared machine are reported, not asserted.
 *
 *   npm run bench                 the full run (about six minutes)
 *   npm run bench -- --quick      fewer rounds and runs (a minute or two; same tables)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';

const quick = process.argv.includes('--quick');

interface Bench {
  title: string;
  /** What it measures and against which budget. */
  about: string;
  command: string[];
}

const benches: Bench[] = [
  {
    title: 'Server CPU per request',
    about:
      'Budgets: `GET /v1/subscription` at most 2× the CPU of a bare `node:http` server sending the same bytes; a change preview at most 3× that GET. Rounds alternate bare / ours / preview; medians.',
    command: ['scripts/bench-server.ts', '--requests', quick ? '2000' : '8000', '--rounds', quick ? '3' : '7'],
  },
  {
    title: 'Server CPU per request, one request at a time',
    about:
      'The same servers and budgets with one connection: each request arrives alone, as a billing page sends them, rather than 32 at once as in a load test. The HTTP layer costs more per request this way, and every server pays it.',
    command: ['scripts/bench-server.ts', '--concurrency', '1', '--requests', quick ? '1000' : '3000', '--rounds', quick ? '3' : '7'],
  },
  {
    title: 'Rendering the invoice table',
    about:
      'From the invoices response handed over to rows in the DOM, laid out, and painted (the next frame), then every row laid out. Budgets: 25 rows painted ≤ 50 ms, 1,000 rows ≤ 150 ms (the table shows its first 100 rows at once, the rest after that frame).',
    command: ['scripts/bench-render.ts', quick ? '10' : '40'],
  },
  {
    title: 'The demo page, production build',
    about:
      'Navigation → every element painted, the API requests against the strings chunk (which must start while they are in flight), and layout shift (budget < 0.01).',
    command: ['scripts/bench-page.ts', quick ? '3' : '7'],
  },
  {
    title: 'Importing the elements',
    about: 'A dynamic import of `define.js` against Lit alone, at 4× CPU throttle (budget 2.5×).',
    command: ['scripts/bench-import.ts', quick ? '8' : '20'],
  },
];

const chromium = (() => {
  try {
    return execFileSync(process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', ['--version'], { encoding: 'utf8' }).trim();
  } catch {
    return 'Chromium (version unknown)';
  }
})();
const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
})();

const sections: string[] = [];
for (const bench of benches) {
  console.log(`::: ${bench.title}: npx tsx ${bench.command.join(' ')}`);
  const started = performance.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', ...bench.command], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  process.stdout.write(result.stdout);
  if (result.status !== 0) {
    process.stderr.write(result.stderr);
    console.error(`${bench.title} failed (exit ${result.status}).`);
    process.exit(1);
  }
  sections.push(
    `## ${bench.title}\n\n${bench.about}\n\n\`npx tsx ${bench.command.join(' ')}\` (${seconds} s):\n\n${result.stdout.trim()}\n`,
  );
}

const cpu = cpus();
const machine =
  `${cpu.length} × ${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
  `Node ${process.version}, ${chromium}, load average ${loadavg()[0]!.toFixed(1)} when it ended`;
const document = `# Performance

Written by \`npm run bench${quick ? ' -- --quick' : ''}\` (scripts/bench.ts) on ${new Date().toISOString().slice(0, 10)} at commit ${commit}.
Machine: ${machine}. The machine is shared: compare figures of one run with each other (every
ratio below was measured side by side, in alternating rounds), not with another run's.
The budgets come from DESIGN.md and the hardening issue; \`npm run size\` checks the size
budgets in \`npm test\` (docs/size.md).

${sections.join('\n')}
## Lighthouse

Lighthouse is not a dependency (it installs a hundred packages). Lighthouse 13.5 reported a
cumulative layout shift of 0 with its mobile and its desktop preset on 2026-11-30. To check
it again, serve the built demo as \`scripts/bench-page.ts\` does
(\`serveBuiltDemo()\` in test/e2e/support/built-demo.ts) and run, with Debian's Chromium:

\`\`\`sh
CHROME_PATH=/usr/bin/chromium npx lighthouse@13 http://127.0.0.1:PORT/ [--preset=desktop] \\
  --only-categories=performance --chrome-flags="--headless=new --no-sandbox --disable-gpu"
\`\`\`
`;
writeFileSync('docs/performance.md', document);
console.log('::: wrote docs/performance.md');
