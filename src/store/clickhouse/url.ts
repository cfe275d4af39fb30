/**
 * Where a ClickHouse store lives: `clickhouse://[user[:password]@]host:port/database[?cluster=NAME&ttl=DAYS]`
 * (the port is the server's HTTP port). The same text comes from `--db` or `KTRAIL_DB`; this is
 * the one place that tells it from a SQLite file name, and the one place that redacts its password
 * for messages.
 */

export interface ClickhouseTarget {
  /** http://host:port, for the HTTP client. */
  httpUrl: string;
  host: string;
  port: number;
  username: string;
  password: string;
  database: string;
  /** A cluster of the server's remote_servers: local tables on each shard, Distributed over them. */
  cluster?: string;
  /** Retention: rows older than this many days (by event time) are dropped by ClickHouse. */
  ttlDays?: number;
  /** The URL as given, with the password replaced by `***` (for every message). */
  redacted: string;
}

const SCHEME = 'clickhouse://';

/** True when a --db value names a ClickHouse store rather than a SQLite file. */
export function isClickhouseUrl(db: string): boolean {
  return db.toLowerCase().startsWith(SCHEME);
}

/** `url` with any password shown as `***` (also for text that does not parse). */
export function redactUrl(url: string): string {
  return url.replace(/^(clickhouse:\/\/[^:@/]*:)[^@/]*@/i, '$1***@');
}

// Database and cluster names go into DDL as identifiers: keep them to what needs no quoting
// anywhere (ClickHouse's own rule for bare identifiers), so a URL cannot smuggle SQL in.
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/** Parses a ClickHouse URL; throws an Error naming the (redacted) URL and what is wrong. */
export function parseClickhouseUrl(text: string): ClickhouseTarget {
  const redacted = redactUrl(text);
  const bad = (why: string): Error => new Error(`${redacted}: not a ClickHouse URL (${why}); expected ${SCHEME}[user[:password]@]host:port/database[?cluster=NAME]`);
  if (!isClickhouseUrl(text)) throw bad(`it must start with ${SCHEME}`);
  let u: URL;
  try {
    u = new URL(`http://${text.slice(SCHEME.length)}`);
  } catch {
    throw bad('it does not parse');
  }
  if (!u.port) throw bad('no port: give the HTTP port, e.g. 8123');
  const database = decodeURIComponent(u.pathname.replace(/^\//, ''));
  if (!NAME.test(database)) throw bad('the database must be a plain name (letters, digits, _)');
  const target: ClickhouseTarget = {
    httpUrl: `http://${u.host}`,
    host: u.hostname,
    port: Number(u.port),
    username: decodeURIComponent(u.username) || 'default',
    password: decodeURIComponent(u.password),
    database,
    redacted,
  };
  for (const [key, value] of u.searchParams) {
    if (key === 'cluster') {
      if (!NAME.test(value)) throw bad('cluster must be a plain name (letters, digits, _)');
      target.cluster = value;
    } else if (key === 'ttl') {
      const days = Number(value);
      if (!Number.isInteger(days) || days <= 0) throw bad('ttl must be a whole number of days');
      target.ttlDays = days;
    } else {
      throw bad(`unknown option ${key}`);
    }
  }
  return target;
}
