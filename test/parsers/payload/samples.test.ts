/**
 * Formats that carry their samples (issue 9, item 3), for payloads: every registered payload
 * parser's own samples are matched and parsed by it as the sample says, and no other payload
 * parser claims them (its `matches` is true), unless the overlap is listed here with its reason.
 * A new format whose `matches` is too loose, or an old one loosened, fails here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DOCUMENTS, PAYLOAD_FORMATS, PAYLOADS } from '../../../parsers/payload/index.js';
import { UNPARSED_FORMATS } from '../../../src/model/event.js';
import { existsSync, readFileSync } from 'node:fs';
import { corpus, corpusSkip } from '../../helpers/paths.js';

/**
 * `owner <- claimer`: payload parsers allowed to match another's samples. Empty today: every
 * format's `matches` is strict enough. A line both claim goes to the earlier parser in
 * parsers/payload/index.ts, so an entry here must say why that order is right.
 */
const ALLOWED: ReadonlyMap<string, string> = new Map<string, string>([]);

test('every payload parser carries samples', () => {
  for (const parser of PAYLOADS) assert.ok((parser.samples ?? []).length > 0, `${parser.format} has no samples`);
});

test('each payload sample is matched and parsed by its own parser as it says', () => {
  for (const parser of PAYLOADS) {
    for (const sample of parser.samples ?? []) {
      const label = `${parser.format} sample from ${sample.from}`;
      assert.ok(parser.matches(sample.text.split('\n')[0] ?? ''), `${label}: not matched`);
      const got = parser.parse(sample.text.split('\n'), {});
      assert.equal(got.format, parser.format, label);
      assert.equal(got.severity, sample.expect.severity, label);
      assert.equal(got.message, sample.expect.message, label);
      for (const [key, value] of Object.entries(sample.expect.fields ?? {})) {
        assert.deepEqual(got.fields[key], value, `${label}: field ${key}`);
      }
      if (sample.expect.component !== undefined) assert.equal(got.component, sample.expect.component, label);
      if (sample.expect.objects !== undefined) assert.deepEqual(got.objects, sample.expect.objects, label);
    }
  }
});

test('no payload parser claims another format\'s samples unless allowed', () => {
  const collisions: string[] = [];
  for (const owner of PAYLOADS) {
    for (const sample of owner.samples ?? []) {
      const first = sample.text.split('\n')[0] ?? '';
      for (const other of PAYLOADS) {
        if (other === owner || ALLOWED.has(`${owner.format} <- ${other.format}`)) continue;
        if (other.matches(first)) collisions.push(`${owner.format} <- ${other.format}: ${first.slice(0, 80)}`);
      }
    }
  }
  assert.deepEqual(collisions, [], 'a payload parser claims another\'s sample: tighten its matches, or list the overlap in ALLOWED with why');
});

test('the allow-list names only registered formats and overlaps that still happen', () => {
  for (const key of ALLOWED.keys()) {
    const [ownerName, otherName] = key.split(' <- ');
    const owner = PAYLOADS.find((p) => p.format === ownerName);
    const other = PAYLOADS.find((p) => p.format === otherName);
    assert.ok(owner && other, `${key}: unknown format`);
    assert.ok(owner.samples?.some((s) => other.matches(s.text.split('\n')[0] ?? '')), `${key}: no longer overlaps, drop it`);
  }
});

/**
 * PAYLOAD_FORMATS is derived from the registry (parsers/payload/index.ts); the PayloadFormat type
 * from the names the parser modules add to the model's ParsedFormats, so a parser whose format is
 * not declared does not compile. Each name once: two parsers of one format are one line parser
 * and one document parser (k8s-event), never two line parsers.
 */
test('PAYLOAD_FORMATS is exactly the registered formats, once each, plus plain and unknown', () => {
  const lineFormats = PAYLOADS.map((p) => p.format);
  assert.equal(new Set(lineFormats).size, lineFormats.length, `a format registered twice: ${lineFormats.join(', ')}`);
  const registered = new Set<string>([...lineFormats, ...DOCUMENTS.map((d) => d.format)]);
  assert.deepEqual([...UNPARSED_FORMATS].sort(), ['plain', 'unknown']); // assembled, not parsed
  assert.deepEqual([...PAYLOAD_FORMATS].sort(), [...registered, ...UNPARSED_FORMATS].sort());
  assert.equal(new Set(PAYLOAD_FORMATS).size, PAYLOAD_FORMATS.length);
  for (const f of UNPARSED_FORMATS) assert.ok(!registered.has(f), `${f} is assembled, yet a parser registers it`);
});

/** Samples that name a corpus file must be in it, so that they stay real lines. */
test('samples that name a corpus file are lines of that file', { skip: corpusSkip() }, () => {
  let checked = 0;
  for (const parser of PAYLOADS) {
    for (const sample of parser.samples ?? []) {
      const path = corpus(sample.from.split(' ')[0]!);
      if (!existsSync(path)) continue; // not from the corpus: `from` says why
      assert.ok(readFileSync(path, 'utf8').includes(sample.text), `${parser.format}: not in ${sample.from}`);
      checked++;
    }
  }
  assert.ok(checked >= 10, `${checked} samples checked against the corpus`);
});
