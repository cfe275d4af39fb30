import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isClickhouseUrl, parseClickhouseUrl, redactUrl } from '../../../../src/store/clickhouse/url.js';

test('a ClickHouse URL gives the HTTP address, user, database and options', () => {
  const t = parseClickhouseUrl('clickhouse://alice:s3cr%40t@ch.example:8123/logs?cluster=fleet&ttl=30');
  assert.equal(t.httpUrl, 'http://ch.example:8123');
  assert.equal(t.username, 'alice');
  assert.equal(t.password, 's3cr@t');
  assert.equal(t.database, 'logs');
  assert.equal(t.cluster, 'fleet');
  assert.equal(t.ttlDays, 30);
  assert.equal(t.redacted, 'clickhouse://alice:***@ch.example:8123/logs?cluster=fleet&ttl=30');
  const d = parseClickhouseUrl('clickhouse://127.0.0.1:19100/ktrail');
  assert.equal(d.username, 'default');
  assert.equal(d.password, '');
  assert.equal(d.cluster, undefined);
});

test('only clickhouse:// values are URLs; file names stay SQLite files', () => {
  assert.equal(isClickhouseUrl('CLICKHOUSE://h:1/d'), true);
  assert.equal(isClickhouseUrl('/tmp/clickhouse://x.db'), false);
  assert.equal(isClickhouseUrl('store.db'), false);
});

test('a bad URL is refused with a message naming it, password redacted', () => {
  for (const [url, why] of [
    ['clickhouse://u:pw@h/db', /no port/],
    ['clickhouse://u:pw@h:8123/', /database/],
    ['clickhouse://u:pw@h:8123/db;DROP', /database/],
    ['clickhouse://u:pw@h:8123/db?cluster=a%27b', /cluster/],
    ['clickhouse://u:pw@h:8123/db?ttl=-1', /ttl/],
    ['clickhouse://u:pw@h:8123/db?bogus=1', /unknown option bogus/],
  ] as const) {
    assert.throws(
      () => parseClickhouseUrl(url),
      (err: Error) => why.test(err.message) && err.message.includes('u:***@') && !err.message.includes('pw'),
      url,
    );
  }
  assert.equal(redactUrl('clickhouse://u:p:w@h:1/d'), 'clickhouse://u:***@h:1/d');
  assert.equal(redactUrl('clickhouse://u@h:1/d'), 'clickhouse://u@h:1/d');
});
