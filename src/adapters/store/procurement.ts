/**
 * The procurement workflow on the store: every step checks the core rule, changes rows in one
 * transaction and writes the audit log. The HTTP API and the demo seeding both go through here;
 * the repositories live in procurement/.
 */

export type { Who } from './procurement/shared.js';
export * from './procurement/procedures.js';
export * from './procurement/applications.js';
export * from './procurement/awards.js';
export * from './procurement/contracts.js';
export * from './procurement/transitional.js';
export * from './procurement/published.js';
