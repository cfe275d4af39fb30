/**
 * Formats that carry their samples (issue 9, item 3), for envelopes: every registered envelope's
 * own samples are detected as that envelope, and no other envelope scores them as high, unless the
 * overlap is listed here with its reason. A new envelope whose score is too loose fails here.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ENVELOPES, NESTED_ENVELOPES } from '../../../parsers/envelope/index.js';
import { detectEnvelope } from '../../../parsers/envelope/detect.js';

/** `owner <- claimer`: envelopes allowed to score another's samples as high as the owner does. */
const ALLOWED: ReadonlyMap<string, string> = new Map([
  // `none` accepts any line by design; it only wins when nothing else scores.
  ['* <- none', 'the fallback'],
  // A CRI line starts with an RFC3339 timestamp, so the bare-timestamp envelope scores it too; the
  // registry lists cri first, so that a tie goes to cri.
  ['cri <- timestamp', 'CRI lines begin with a timestamp'],
]);

test('every envelope that carries samples is detected on them, and no other envelope claims them', () => {
  const withSamples = ENVELOPES.filter((e) => e.samples && e.samples.length > 0);
  assert.ok(withSamples.length >= 10, `${withSamples.length} envelopes carry samples`);
  const collisions: string[] = [];
  for (const owner of withSamples) {
    const samples = [...owner.samples!];
    assert.equal(detectEnvelope(samples).name, owner.name, `${owner.name}'s own samples`);
    const own = owner.score(samples);
    assert.ok(own > 0, `${owner.name} scores its own samples`);
    for (const other of ENVELOPES) {
      if (other === owner || ALLOWED.has(`* <- ${other.name}`) || ALLOWED.has(`${owner.name} <- ${other.name}`)) continue;
      if (other.score(samples) >= own) collisions.push(`${owner.name} <- ${other.name}`);
    }
  }
  assert.deepEqual(collisions, [], 'an envelope claims another\'s samples: tighten its score, or list the overlap in ALLOWED with why');
});

test('nested parts are read with the nestable envelopes, in registry order, never a container of containers', () => {
  const names = NESTED_ENVELOPES.map((e) => e.name);
  assert.deepEqual(names, ENVELOPES.filter((e) => e.nestable).map((e) => e.name));
  assert.ok(!names.includes('minikube') && !names.includes('cluster-info'), names.join(','));
  assert.equal(names.at(-1), 'none', 'the fallback stays last');
  assert.ok(names.includes('cri') && names.includes('journald-short'), names.join(','));
});
