/**
 * The worker thread of the synchronous bridge (bridge.ts): runs each request on an
 * @clickhouse/client (one per connection, kept for the worker's life) and answers with the
 * response text, or with the error's message and kind (an Error does not cross threads whole).
 */
import { runAsWorker } from 'synckit';
import { ClickhouseHttp, ClickhouseUnavailableError, type Connection, type Settings } from './http.js';

export interface BridgeRequest {
  conn: Connection;
  kind: 'text' | 'command';
  sql: string;
  format?: 'JSONEachRow' | 'JSON';
  settings?: Settings;
}

export type BridgeAnswer = { ok: true; text: string } | { ok: false; message: string; unavailable: boolean };

const clients = new Map<string, ClickhouseHttp>();

function clientFor(conn: Connection): ClickhouseHttp {
  const key = JSON.stringify(conn);
  let c = clients.get(key);
  if (!c) clients.set(key, (c = new ClickhouseHttp(conn)));
  return c;
}

runAsWorker(async (req: BridgeRequest): Promise<BridgeAnswer> => {
  try {
    const c = clientFor(req.conn);
    if (req.kind === 'command') {
      await c.command(req.sql, req.settings);
      return { ok: true, text: '' };
    }
    return { ok: true, text: await c.text(req.sql, req.format, req.settings) };
  } catch (err) {
    return { ok: false, message: (err as Error).message, unavailable: err instanceof ClickhouseUnavailableError };
  }
});
