/** A test file's clickhouse-server and temporary folder, started before its tests and removed after. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before } from 'node:test';
import { clickhouseSkip, startClickhouse, type ClickhouseServers } from './clickhouse-server.js';

/**
 * A test file's server and temporary folder: started in a `before` hook (the server only when
 * clickhouse-server can run here), stopped and removed in an `after` hook.
 */
export function clickhouseForFile(prefix: string): { server(): ClickhouseServers; dir(): string } {
  let servers: ClickhouseServers | undefined;
  let folder = '';
  before(async () => {
    folder = mkdtempSync(join(tmpdir(), prefix));
    if (!clickhouseSkip()) servers = await startClickhouse();
  });
  after(async () => {
    await servers?.stop();
    rmSync(folder, { recursive: true, force: true });
  });
  return { server: () => servers!, dir: () => folder };
}
