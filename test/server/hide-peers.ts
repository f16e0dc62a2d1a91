/**
 * Node arguments that make packages look uninstalled in a child process: a module resolution
 * hook answers `import` of them (and `import.meta.resolve`) as Node does for a package that is
 * not there (`ERR_MODULE_NOT_FOUND`), and CommonJS `require` of them (better-sqlite3 is
 * required) as `require` does (`MODULE_NOT_FOUND`). Everything else resolves as usual.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export function hidePeers(peers: string[], dir: string): string[] {
  const list = JSON.stringify(peers);
  const hooks = `export async function resolve(specifier, context, next) {
  if (${list}.includes(specifier)) {
    throw Object.assign(new Error("Cannot find package '" + specifier + "' imported from " + context.parentURL), { code: 'ERR_MODULE_NOT_FOUND' });
  }
  return next(specifier, context);
}`;
  const preload = `import { createRequire, register } from 'node:module';
register(${JSON.stringify(`data:text/javascript,${encodeURIComponent(hooks)}`)});
const Module = createRequire(import.meta.url)('node:module');
const resolveFilename = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (${list}.includes(request)) {
    throw Object.assign(new Error("Cannot find module '" + request + "'"), { code: 'MODULE_NOT_FOUND' });
  }
  return resolveFilename.call(this, request, ...rest);
};
`;
  const file = join(dir, `hide-${peers.join('-').replace(/\W+/g, '_') || 'nothing'}.mjs`);
  writeFileSync(file, preload);
  return ['--import', pathToFileURL(file).href];
}
