/** trace -o json written in pieces: the same bytes as JSON.stringify(doc or docs, null, 2) + '\n'. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { timelinesJson, type TimelineDoc } from '../../../src/cli/trace-json.js';

const event = (i: number, text = ''): Record<string, unknown> => ({
  level: 30,
  time: 1_742_568_687_000 + i,
  msg: `line ${i}\nwith a newline, "quotes", \u001b escape, ünïcode ${text}`,
  fields: { nested: { a: [1, { b: null }], empty: {} }, list: [], gone: undefined },
  objects: i % 2 ? [] : [{ kind: 'Pod', uid: `u${i}` }],
  sincePreviousUs: i,
});

const shell = (name: string): Record<string, unknown> => ({
  root: { cluster: '', uid: null, kind: 'Pod', namespace: 'default', name, firstSeen: 1, lastSeen: 2, depth: undefined },
  objects: [{ kind: 'Pod', name, depth: 0 }],
});

/** Docs whose events can be iterated once, as trace makes them. */
function docs(spec: [string, number, string?][]): { docs: TimelineDoc[]; whole: unknown[] } {
  const whole = spec.map(([name, n, text]) => ({ ...shell(name), events: Array.from({ length: n }, (_, i) => event(i, text)) }));
  return { whole, docs: whole.map(({ events, ...rest }) => ({ shell: rest, events: events.values() })) };
}

test('one timeline: the bytes of JSON.stringify(doc, null, 2), with events and without', () => {
  for (const n of [0, 1, 3]) {
    const { docs: d, whole } = docs([['web-1', n]]);
    assert.equal([...timelinesJson(d)].join(''), JSON.stringify(whole[0], null, 2) + '\n', `${n} events`);
  }
});

test('several timelines, or none: the bytes of the pretty-printed array', () => {
  const { docs: d, whole } = docs([
    ['web-1', 2],
    ['web-2', 0],
    ['web-3', 1],
  ]);
  assert.equal([...timelinesJson(d)].join(''), JSON.stringify(whole, null, 2) + '\n');
  assert.equal([...timelinesJson([])].join(''), JSON.stringify([], null, 2) + '\n');
});

test('a timeline larger than a piece comes in several pieces that join to the same bytes', () => {
  const { docs: d, whole } = docs([
    ['web-1', 1500, 'x'.repeat(1000)],
    ['web-2', 2],
  ]);
  const pieces = [...timelinesJson(d)];
  assert.ok(pieces.length >= 3, `${pieces.length} pieces`);
  assert.ok(pieces.every((p) => p.length < (1 << 20) + 4000), 'each piece about a MiB');
  assert.equal(pieces.join(''), JSON.stringify(whole, null, 2) + '\n');
});
