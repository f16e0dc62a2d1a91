// Browser code imports the files it needs (resources, endpoints, errors) rather than this
// index, so the request schemas (requests.ts) never reach a page.
export * from './resources.js';
export * from './errors.js';
export * from './endpoints.js';
export * from './requests.js';
export * from './money.js';
