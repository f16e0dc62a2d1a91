export * from './resources.js';
export * from './errors.js';
export * from './endpoints.js';
