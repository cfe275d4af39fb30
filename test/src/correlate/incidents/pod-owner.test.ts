/** A workload named in a summary is marked when its pods' owner is only inferred from their names. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { workloadLabel, type PodOwner } from '../../../../src/correlate/incidents/pod-owner.js';

const owner = (guessed: boolean): PodOwner => ({ object: undefined, ref: { kind: 'Deployment', namespace: 'default', name: 'web' }, key: 'deployment/default/web', guessed });

test('stated owners are named plainly; guessed ones are marked, with how many', () => {
  assert.equal(workloadLabel([owner(false), owner(false)]), 'deployment/default/web');
  assert.equal(workloadLabel([owner(true), owner(true)]), 'deployment/default/web (owner inferred from the pod names)');
  assert.equal(workloadLabel([owner(false), owner(true), owner(false)]), 'deployment/default/web (owner of 1 of 3 inferred from the pod names)');
});
