/** Writes docs/openapi.json from the contract schemas (`npm run openapi`). */
import { writeFileSync } from 'node:fs';
import { buildOpenApiDocument } from '../src/contract/openapi.js';

const file = new URL('../docs/openapi.json', import.meta.url);
writeFileSync(file, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
console.log(`wrote ${file.pathname}`);
