/**
 * Support for the adoption tests: the packed tarball put into the temporary projects, the
 * tools run on them, and a host serving a project's files with the reference handler.
 */
import { getRequestListener } from '@hono/node-server';
import { build as esbuild } from 'esbuild';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize } from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { chromiumLaunchOptions } from '../support/chromium.js';
import { demoHostHandler, pinnedDemoEngine } from '../support/node/reference-handler.js';

/** The moment the reference server lives in (the other browser tests' `TEST_NOW`). */
export const ADOPTION_NOW = '2026-11-26T10:00:00Z';

export interface Run {
  code: number;
  /** stdout and stderr. */
  output: string;
}

/** Runs `file args` in `cwd` to its end (never throws: the exit code says how it went). */
export function run(file: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    execFile(file, args, { cwd, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}${error && typeof error.code !== 'number' ? String(error) : ''}` });
    });
  });
}

/**
 * The packages (`@scope/name` or `name`) that the modules `files` import by a bare specifier,
 * statically or with `import("…")`, each with the first module that does; found by esbuild's
 * parser, which follows the relative imports and keeps every bare one as it is.
 */
export async function bareImports(files: string[]): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  await esbuild({
    entryPoints: files,
    bundle: true,
    write: false,
    outdir: 'out',
    format: 'esm',
    logLevel: 'silent',
    plugins: [
      {
        name: 'bare-imports',
        setup(builder) {
          builder.onResolve({ filter: /^[^./]/ }, ({ path, importer }) => {
            if (!/^[a-z]+:/.test(path)) {
              const parts = path.split('/');
              const name = path.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
              if (!found.has(name)) found.set(name, importer);
            }
            return { path, external: true };
          });
        },
      },
    ],
  });
  return found;
}

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
};

export interface Host {
  origin: string;
  /** Paths of the files served, in order (the API's requests left out). */
  served: string[];
  close(): Promise<void>;
}

/**
 * Serves the files under `dir` as they are (no transform, `index.html` for `/`), with the
 * reference handler mounted at `/api/billing` over a fresh in-memory engine seeded with the
 * demo, its clock pinned to `ADOPTION_NOW`: what a host of the project would run.
 */
export async function serveProject(dir: string): Promise<Host> {
  const engine = pinnedDemoEngine(':memory:', ADOPTION_NOW);
  const api = getRequestListener(demoHostHandler(engine));
  const served: string[] = [];
  const server: Server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://localhost').pathname);
    if (path.startsWith('/api/billing/')) return void api(req, res);
    served.push(path);
    const file = normalize(join(dir, path.endsWith('/') ? `${path}index.html` : path));
    let body: Buffer;
    try {
      if (!file.startsWith(dir)) throw new Error('outside the project');
      body = readFileSync(file);
    } catch {
      res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream', 'Cache-Control': 'no-store' }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    served,
    async close() {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
      engine.close();
    },
  };
}

/** Debian's Chromium, as the end-to-end tests launch it (TOOLCHAIN.md). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    ...chromiumLaunchOptions,
  });
}
