/**
 * Server CPU per request, side by side (issue budgets): `GET /v1/subscription` from our
 * handler (reference engine on SQLite, response validation on, served as
 * `billing-elements serve` serves it: node-server.ts) against a bare `node:http` server
 * answering the very same bytes from memory — at most 2× its CPU — and a change preview
 * (`POST …/changes/preview`, an upgrade now) against that GET — at most 3×.
 *
 *   npx tsx scripts/bench-server.ts [--requests 20000] [--concurrency 32] [--rounds 5] [--more]
 *
 * Each server runs in a child process of its own, on 127.0.0.1, one at a time; this process
 * is the client: `--concurrency` loops sending requests over keep-alive connections until
 * `--requests` have been answered (after a warm-up of a tenth as many). Rounds alternate
 * bare / ours / preview; the median round of each is reported. Besides requests per second
 * (which other load on the machine skews a lot, the client included), each server reports
 * the CPU time it spent per request (user + system, `process.cpuUsage`): the steadier figure
 * on a shared machine, and the one the budgets are about. `--more` adds a bare Hono app, ours
 * without response validation, and ours over an engine that answers a kept subscription. Part of `npm run bench`, not of the test suite.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { serve } from '@hono/node-server';
import { build } from 'esbuild';
import { Hono } from 'hono';
import type * as ServerIndex from '../src/server/index.js';
import type * as NodeServer from '../src/server/node-server.js';

/** What the servers run: the server's source bundled as the package ships it (see `bundleServer`). */
type ServerModule = typeof ServerIndex & typeof NodeServer;

const { values: args } = parseArgs({
  options: {
    serve: { type: 'string' },
    bundle: { type: 'string' },
    // Also measure our handler with validateResponses: false, and a bare Hono app on
    // @hono/node-server answering the same JSON from memory (the floor of the framework).
    more: { type: 'boolean', default: false },
    requests: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '32' },
    rounds: { type: 'string', default: '5' },
  },
});

const PATH = '/api/billing/v1/subscription';

type Kind = 'ours' | 'ours-unvalidated' | 'ours-static' | 'hono' | 'bare' | 'preview';

/** What the client sends: a GET of the subscription, or (`preview`) a change preview to our server. */
const PREVIEW_PATH = '/api/billing/v1/subscription/changes/preview';
const PREVIEW_BODY = JSON.stringify({ timing: 'now', change: { type: 'plan', planId: 'entreprise' } });

/**
 * The server code as it ships: bundled by esbuild, dependencies left as imports, no minifying
 * (like `vite build`). Not through tsx: its transform wraps every function a request creates in
 * a `__name(…)` call that the published files do not have (about 1 % of a GET's CPU).
 */
async function bundleServer(): Promise<{ directory: string; entry: string }> {
  const root = fileURLToPath(new URL('..', import.meta.url));
  // Inside the project, so that Node resolves the bundle's bare imports from its node_modules.
  mkdirSync(join(root, 'node_modules/.cache'), { recursive: true });
  const directory = mkdtempSync(join(root, 'node_modules/.cache/bench-server-'));
  await build({
    stdin: { contents: `export * from './src/server/index.ts'; export * from './src/server/node-server.ts';`, resolveDir: root, loader: 'ts' },
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    tsconfig: join(root, 'tsconfig.json'),
    outfile: join(directory, 'server.js'),
  });
  return { directory, entry: join(directory, 'server.js') };
}

async function ourHandler(kind: Kind, server: ServerModule) {
  const { createBillingHandler, createReferenceEngine, DEMO_CUSTOMER_ID, seedDemo } = server;
  const engine = createReferenceEngine({ db: ':memory:' });
  seedDemo(engine);
  // `ours-static`: the engine's subscription read once and kept, to tell the handler's cost from SQLite's.
  const kept = Object.freeze(await engine.getSubscription(DEMO_CUSTOMER_ID, []));
  const served = kind === 'ours-static' ? { ...engine, getSubscription: async () => kept } : engine;
  return createBillingHandler({
    engine: served,
    basePath: '/api/billing',
    resolveCustomer: () => DEMO_CUSTOMER_ID,
    validateResponses: kind !== 'ours-unvalidated',
  });
}

/** Child process: serves `kind` on a free port and prints it. */
async function runServer(kind: Kind, bundle: string): Promise<void> {
  const server = (await import(pathToFileURL(bundle).href)) as ServerModule;
  const handler = await ourHandler(kind, server);
  const ready = (port: number) => process.stdout.write(`${JSON.stringify({ port })}\n`);
  // The parent asks for the CPU time used so far (user + system, µs) around each measure.
  process.on('message', () => {
    const { user, system } = process.cpuUsage();
    process.send?.({ cpu: user + system });
  });
  // The same document our handler sends, with the same headers, from memory.
  const response = await handler(new Request(`http://127.0.0.1${PATH}`));
  const body = await response.text();
  const etag = response.headers.get('ETag') ?? '';
  let requests = 0;
  if (kind === 'hono') {
    const app = new Hono();
    app.get(PATH, () =>
      new Response(body, {
        headers: {
          'Content-Type': 'application/json',
          ETag: etag,
          'Cache-Control': 'no-store',
          'X-Request-Id': `req_${(requests++).toString(16).padStart(32, '0')}`,
        },
      }),
    );
    const server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => ready(info.port));
    (server as unknown as { keepAliveTimeout: number }).keepAliveTimeout = 60_000;
    return;
  }
  if (kind === 'bare') {
    const server = createServer((_req, res) => {
      res.writeHead(200, {
        'Content-Type': 'application/json',
        ETag: etag,
        'Cache-Control': 'no-store',
        'X-Request-Id': `req_${(requests++).toString(16).padStart(32, '0')}`,
      });
      res.end(body);
    });
    server.keepAliveTimeout = 60_000;
    server.listen(0, '127.0.0.1', () => ready((server.address() as AddressInfo).port));
    return;
  }
  // Ours is served as `billing-elements serve` serves it (node-server.ts: limits, host check).
  const nodeServer = server.createNodeServer({ fetch: handler, limits: { keepAliveTimeout: 60_000 } });
  nodeServer.listen(0, '127.0.0.1', () => ready((nodeServer.address() as AddressInfo).port));
}

interface Server {
  port: number;
  /** CPU time the server process used so far, in µs. */
  cpu(): Promise<number>;
  stop(): void;
}

/** Starts a server child process; resolves once it listens. */
function startServer(kind: Kind, bundle: string): Promise<Server> {
  const script = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, [...process.execArgv, script, '--serve', kind, '--bundle', bundle], {
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  });
  const cpu = () =>
    new Promise<number>((resolve) => {
      child.once('message', (message: { cpu: number }) => resolve(message.cpu));
      child.send('cpu');
    });
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve({ port: (JSON.parse(line) as { port: number }).port, cpu, stop: () => child.kill() });
    });
    child.on('exit', (code) => reject(new Error(`the ${kind} server exited (${code}) before listening`)));
  });
}

/** Sends `total` GETs over `concurrency` keep-alive connections; returns requests per second. */
async function load(port: number, total: number, concurrency: number, preview = false): Promise<number> {
  const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
  let sent = 0;
  const once = () =>
    new Promise<void>((resolve, reject) => {
      const options = preview
        ? { method: 'POST', path: PREVIEW_PATH, headers: { 'Content-Type': 'application/json', 'Content-Length': PREVIEW_BODY.length } }
        : { path: PATH };
      const req = request({ host: '127.0.0.1', port, agent, ...options }, (res) => {
        let length = 0;
        res.on('data', (chunk: Buffer) => (length += chunk.length));
        res.on('end', () => (res.statusCode === 200 && length > 100 ? resolve() : reject(new Error(`status ${res.statusCode}`))));
      });
      req.on('error', reject);
      req.end(preview ? PREVIEW_BODY : undefined);
    });
  const worker = async () => {
    while (sent < total) {
      sent++;
      await once();
    }
  };
  const started = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  return total / seconds;
}

interface Measure {
  rate: number;
  /** Server CPU time per request, µs. */
  cpuPerRequest: number;
}

async function measure(kind: Kind, total: number, concurrency: number, bundle: string): Promise<Measure> {
  const preview = kind === 'preview';
  const server = await startServer(preview ? 'ours' : kind, bundle);
  try {
    await load(server.port, Math.ceil(total / 10), concurrency, preview); // warm-up: JIT, connections
    const cpuBefore = await server.cpu();
    const rate = await load(server.port, total, concurrency, preview);
    return { rate, cpuPerRequest: ((await server.cpu()) - cpuBefore) / total };
  } finally {
    server.stop();
  }
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;

async function main(): Promise<void> {
  const total = Number(args.requests);
  const concurrency = Number(args.concurrency);
  const rounds = Number(args.rounds);
  const kinds: Kind[] = args.more ? ['bare', 'hono', 'ours', 'ours-unvalidated', 'ours-static', 'preview'] : ['bare', 'ours', 'preview'];
  const results = new Map<Kind, Measure[]>(kinds.map((kind) => [kind, []]));
  const bundle = await bundleServer();
  process.on('exit', () => rmSync(bundle.directory, { recursive: true, force: true }));
  console.log(
    `GET ${PATH}: ${total.toLocaleString('en')} requests per round after a warm-up, ${concurrency} concurrent ` +
      `keep-alive connections, ${rounds} rounds, Node ${process.version}.\n`,
  );
  for (let round = 1; round <= rounds; round++) {
    for (const kind of kinds) {
      const result = await measure(kind, total, concurrency, bundle.entry);
      results.get(kind)?.push(result);
      console.log(
        `round ${round}: ${kind.padEnd(16)} ${result.rate.toFixed(0).padStart(7)} req/s, ` +
          `server CPU ${result.cpuPerRequest.toFixed(1)} µs/request`,
      );
    }
  }
  const rateOf = (kind: Kind) => median((results.get(kind) ?? []).map((m) => m.rate));
  const cpuOf = (kind: Kind) => median((results.get(kind) ?? []).map((m) => m.cpuPerRequest));
  const bare = rateOf('bare');
  const bareCpu = cpuOf('bare');
  const names: Record<Kind, string> = {
    bare: 'bare node:http, same JSON from memory',
    hono: 'bare Hono on @hono/node-server, same JSON from memory',
    ours: 'our handler (@hono/node-server, SQLite, validated)',
    'ours-unvalidated': 'our handler, validateResponses: false',
    'ours-static': 'our handler over an engine answering a kept subscription (no SQLite)',
    preview: 'our handler: POST …/changes/preview (upgrade now)',
  };
  const percent = (ratio: number) => `${(ratio * 100).toFixed(0)} %`;
  console.log('\n| server | req/s (median) | vs bare | server CPU µs/request (median) | req/s per core from CPU | vs bare |');
  console.log('|---|---:|---:|---:|---:|---:|');
  for (const kind of kinds) {
    const rate = rateOf(kind);
    const cpu = cpuOf(kind);
    console.log(
      `| ${names[kind]} | ${rate.toFixed(0)} | ${percent(rate / bare)} | ${cpu.toFixed(1)} | ` +
        `${(1e6 / cpu).toFixed(0)} | ${percent(bareCpu / cpu)} |`,
    );
  }
  const getRatio = cpuOf('ours') / bareCpu;
  const previewRatio = cpuOf('preview') / cpuOf('ours');
  const verdict = (ratio: number, budget: number) => `${ratio.toFixed(2)}× (budget ≤ ${budget}×: ${ratio <= budget ? 'met' : 'NOT met'})`;
  console.log(`\nServer CPU per request, medians: GET /v1/subscription ours / bare ${verdict(getRatio, 2)}; preview / GET ${verdict(previewRatio, 3)}.`);
  // The same ratios within each round, whose servers ran one after the other: how far the
  // machine's load moved them.
  const cpuIn = (kind: Kind) => (results.get(kind) ?? []).map((m) => m.cpuPerRequest);
  const spread = (top: Kind, bottom: Kind) => {
    const ratios = cpuIn(top).map((cpu, round) => cpu / (cpuIn(bottom)[round] ?? Number.NaN));
    return `${Math.min(...ratios).toFixed(2)}× to ${Math.max(...ratios).toFixed(2)}×`;
  };
  console.log(`Round by round: GET / bare ${spread('ours', 'bare')}; preview / GET ${spread('preview', 'ours')}.`);
}

if (args.serve) await runServer(args.serve as Kind, args.bundle ?? '');
else await main();
