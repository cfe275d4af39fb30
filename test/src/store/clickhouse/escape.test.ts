/**
 * The one escaping function against a real clickhouse-server (18.16) and a current release (chDB,
 * 26.7): every string, however hostile, comes back from `SELECT <literal>` exactly as it went in,
 * and nothing in it runs as SQL.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import { IN_LIST_MAX, ident, inSlices, lit, litList } from '../../../../src/store/clickhouse/escape.js';
import { chdbSkip, startChdb } from '../../../helpers/chdb-server.js';
import { clickhouseSkip, startClickhouse } from '../../../helpers/clickhouse-server.js';

interface Server {
  sql(statement: string): Promise<string>;
  stop(): Promise<void>;
}

/** The releases the escaping is checked on: each runs every test below. */
const RELEASES: { name: string; skip: string | false; start: () => Promise<Server> }[] = [
  { name: 'clickhouse-server 18.16', skip: clickhouseSkip(), start: () => startClickhouse() },
  { name: 'chDB (ClickHouse 26.7)', skip: chdbSkip(), start: () => startChdb() },
];

let ch: Server | undefined;

async function roundTrip(values: readonly string[]): Promise<string[]> {
  const select = values.map((v, i) => `${lit(v)} AS ${ident(`v${i}`)}`).join(', ');
  const row = JSON.parse(await ch!.sql(`SELECT ${select} FORMAT JSONEachRow`)) as Record<string, string>;
  return values.map((_, i) => row[`v${i}`]!);
}

const HOSTILE = [
  "'",
  "''",
  "\\'",
  '\\',
  'a\\',
  "'); DROP TABLE victim; --",
  "' OR 1=1 --",
  '\u0000nul\u0000',
  'line\nbreak\r\n',
  '\t\b\f\u001b[31mred\u001b[0m\u007f',
  '`backtick`',
  '"double"',
  '?',
  '{placeholder:String}',
  '\\x41\\n',
  'ünïcödé 日本語 🙂',
  '\u2028\u2029',
  '/* comment */ --',
];

for (const release of RELEASES) {
  describe(release.name, { skip: release.skip }, () => {
    before(async () => {
      ch = await release.start();
    });
    after(async () => {
      await ch?.stop();
      ch = undefined;
    });
    registerTests();
  });
}

/** The tests, registered inside one release's describe (which carries the skip). */
function registerTests(): void {
  test('hostile strings come back exactly', async () => {
    await ch!.sql('CREATE TABLE default.victim (x UInt8) ENGINE = Memory');
    assert.deepEqual(await roundTrip(HOSTILE), HOSTILE);
    // The injection attempts ran as data: the table is still there.
    assert.equal((await ch!.sql(`SELECT count() FROM system.tables WHERE name = 'victim'`)).trim(), '1');
  });

  test('invalid UTF-16 (a lone surrogate) becomes U+FFFD, as Node writes it to UTF-8', async () => {
    assert.deepEqual(await roundTrip(['a\ud800b', '\udfff']), ['a\ufffdb', '\ufffd']);
  });

  test('any string comes back exactly (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'grapheme', maxLength: 40 }), { minLength: 1, maxLength: 20 }), async (values) => {
        assert.deepEqual(await roundTrip(values), values);
      }),
      { numRuns: 40 },
    );
    await fc.assert(
      fc.asyncProperty(fc.array(fc.string({ unit: 'binary', maxLength: 40 }), { minLength: 1, maxLength: 20 }), async (values) => {
        const sent = values.map((v) => Buffer.from(v, 'utf8').toString('utf8')); // lone surrogates as U+FFFD
        assert.deepEqual(await roundTrip(values), sent);
      }),
      { numRuns: 40 },
    );
  });

  test('numbers are literals of the same value; non-finite numbers are refused', async () => {
    const numbers = [0, -1, 42, 2 ** 53 - 1, -(2 ** 53 - 1), 1.5, -0.25, 1e-7, 123456.789];
    const select = numbers.map((n, i) => `toFloat64(${lit(n)}) AS ${ident(`n${i}`)}`).join(', ');
    const row = JSON.parse(await ch!.sql(`SELECT ${select} FORMAT JSONEachRow`)) as Record<string, number>;
    assert.deepEqual(numbers.map((_, i) => row[`n${i}`]), numbers);
    assert.throws(() => lit(Number.NaN));
    assert.throws(() => lit(Infinity));
    assert.equal(lit(null), 'NULL');
    assert.equal(litList([]), '(NULL)');
  });

  test('an IN list of IN_LIST_MAX of the longest ids fits in a query; a longer one is refused before it is sent', async () => {
    // The reason for slices: the server refuses a query text past max_query_size (256 KiB).
    const longest = Array.from({ length: IN_LIST_MAX }, (_, i) => Number.MAX_SAFE_INTEGER - i);
    assert.equal(await ch!.sql(`SELECT count() FROM system.one WHERE toInt64(${lit(Number.MAX_SAFE_INTEGER)}) IN ${litList(longest)}`), '1\n');
    const tooMany = [...longest, 1];
    assert.throws(() => litList(tooMany), /IN list of 5001 values: read it in slices/);
    await assert.rejects(ch!.sql(`SELECT 1 WHERE 1 IN (${tooMany.concat(longest, longest).join(', ')})`), /Max query size exceeded|Syntax error/);
    assert.deepEqual(inSlices(tooMany).map((s) => s.length), [IN_LIST_MAX, 1]);
    assert.deepEqual(inSlices([]), []);
  });

  test('identifiers with quotes and backslashes name exactly that table', async () => {
    const name = "we`ird\\ta'ble";
    await ch!.sql(`CREATE TABLE default.${ident(name)} (x UInt8) ENGINE = Memory`);
    const names = (await ch!.sql(`SELECT name FROM system.tables WHERE database = 'default' FORMAT JSONEachRow`))
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { name: string }).name);
    assert.ok(names.includes(name), names.join(', '));
  });
}
