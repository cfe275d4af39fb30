/**
 * What a program that fills a store needs, in one import: open a store, describe a source, write
 * events. The writer itself is sqlite-writer.ts; this module only gathers the names, so that the
 * store's own modules (sqlite-store.ts builds writers) never import back through it.
 */
export { openStore, type Store, type OpenStoreOptions } from './connection.js';
export { describeSource, fingerprintFile, type SourceMeta } from './fingerprint.js';
export type { EventWriter, SourceBegin, WriterOptions } from './store.js';
export { createWriter, discardSource, IngestWriter, DEFAULT_BATCH_SIZE } from './sqlite-writer.js';
