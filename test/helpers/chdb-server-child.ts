/**
 * The process chdb-server.ts starts: a chDB Session (embedded ClickHouse, a current release)
 * behind the small part of ClickHouse's HTTP interface that @clickhouse/client uses, so that
 * ktrail's ClickHouse store can be tested on a current release where only 18.16 installs as a
 * server. A separate process because the Session is synchronous and ktrail's store reads block
 * their own thread while the answer comes (bridge.ts).
 *
 * argv[2]: the Session's data folder. Prints the port it listens on (127.0.0.1), then serves:
 * - GET /ping: "Ok.\n".
 * - GET/POST /: the SQL is the `query` parameter and/or the body. With both (an INSERT ...
 *   FORMAT X whose rows are the body), the rows follow the query text after a newline: ClickHouse
 *   reads inline data.
 * - `database`: made current with USE before the statement (an unknown one fails as on a server).
 * - Settings (every other parameter): appended as SETTINGS to a statement without inline data
 *   (readonly, output_format_json_quote_64bit_integers, distributed_product_mode...). Ignored: the
 *   HTTP-only ones (enable_http_compression: answers are never compressed, which the client
 *   accepts; wait_end_of_query, send_progress_in_http_headers), and any setting sent with inline
 *   data (an INSERT's rows cannot be followed by SETTINGS). Not SET: a session keeps it, and
 *   readonly=1 once set cannot be unset. (SETTINGS after a CREATE TABLE would be the table's:
 *   ktrail sends no settings with DDL to one node.)
 * - Errors: HTTP 500 with the server's "Code: N. DB::Exception: ..." text and the
 *   X-ClickHouse-Exception-Code header, which the client turns into its error.
 */
import { createServer, type IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';

interface ChdbSession {
  query(sql: string, format: string): string;
  cleanup(): void;
}
const { Session } = createRequire(import.meta.url)('chdb') as { Session: new (path: string) => ChdbSession };

const NOT_SETTINGS = new Set(['query', 'query_id', 'database', 'session_id', 'default_format', 'role', 'user', 'password']);
const IGNORED = new Set(['enable_http_compression', 'wait_end_of_query', 'send_progress_in_http_headers']);

const session = new Session(process.argv[2]!);

function body(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** A setting's value as a literal: numbers as they are, anything else quoted. */
function settingLiteral(v: string): string {
  return /^-?\d+(\.\d+)?$/.test(v) ? v : `'${v.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

function statement(params: URLSearchParams, text: string): string {
  const query = params.get('query') ?? '';
  if (query && text) return `${query}\n${text}`;
  const sql = (query || text).replace(/[\s;]+$/, '');
  const settings = [...params.entries()]
    .filter(([k]) => !NOT_SETTINGS.has(k) && !IGNORED.has(k) && !k.startsWith('param_') && !k.startsWith('http_'))
    .map(([k, v]) => `${k} = ${settingLiteral(v)}`);
  return settings.length > 0 ? `${sql}\nSETTINGS ${settings.join(', ')}` : sql;
}

const server = createServer((req, res) => {
  void (async () => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname === '/ping') {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8' }).end('Ok.\n');
      return;
    }
    const text = req.method === 'POST' ? await body(req) : '';
    try {
      session.query(`USE ${url.searchParams.get('database') ?? 'default'}`, 'TabSeparated');
      const out = session.query(statement(url.searchParams, text), url.searchParams.get('default_format') ?? 'TabSeparated');
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=UTF-8' }).end(out);
    } catch (err) {
      const message = (err instanceof Error ? err.message : String(err)).replace(/^Query failed: /, '');
      const code = /^Code: (\d+)\./.exec(message)?.[1] ?? '1000';
      res.writeHead(500, { 'Content-Type': 'text/plain; charset=UTF-8', 'X-ClickHouse-Exception-Code': code }).end(`${message}\n`);
    }
  })();
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${typeof address === 'object' && address ? address.port : 0}\n`);
});
process.on('SIGTERM', () => {
  server.close();
  session.cleanup();
  process.exit(0);
});
