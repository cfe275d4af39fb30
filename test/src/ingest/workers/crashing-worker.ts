/**
 * A parse worker that fails as a real one could (pool.test.ts): on its first source it throws,
 * or exits when CRASHING_WORKER=exit (the worker's copy of the environment at its start).
 */
import { parentPort } from 'node:worker_threads';

parentPort?.on('message', () => {
  if (process.env['CRASHING_WORKER'] === 'exit') process.exit(3);
  throw new Error('boom in the worker');
});
