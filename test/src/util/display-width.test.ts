import assert from 'node:assert/strict';
import test from 'node:test';
import { displayWidth, fitToWidth, headToWidth, padToWidth, stringWidthLoaded, tailToWidth, wrapToWidth } from '../../../src/util/display-width.js';

// First in this file: the module is fresh here, so this sees what start-up loads.
test('display width: ASCII text is measured without loading string-width; wider text loads it', () => {
  assert.equal(fitToWidth('kube-apiserver', 20), 'kube-apiserver      ');
  assert.equal(displayWidth('plain ascii'), 11);
  assert.equal(stringWidthLoaded(), false);
  assert.equal(displayWidth('日本'), 4);
  assert.equal(stringWidthLoaded(), true);
});

test('display width: wide characters take two columns, combining marks none', () => {
  assert.equal(displayWidth('kubelet'), 7);
  assert.equal(displayWidth('节点'), 4);
  assert.equal(displayWidth('e\u0301'), 1);
  assert.equal(displayWidth('🚀x'), 3);
});

test('display width: cuts fall between characters, never inside one', () => {
  assert.equal(headToWidth('节点名称', 5), '节点');
  assert.equal(tailToWidth('节点名称', 5), '名称');
  assert.equal(fitToWidth('节点名称', 6), '节点… ');
  assert.equal(displayWidth(fitToWidth('节点名称', 6)), 6);
  assert.equal(fitToWidth('ab', 4), 'ab  ');
  assert.equal(padToWidth('节点', 6), '节点  ');
  assert.equal(padToWidth('kube-apiserver', 4), 'kube-apiserver');
  assert.deepEqual(wrapToWidth('节点名称x', 4), ['节点', '名称', 'x']);
  assert.deepEqual(wrapToWidth('abcdef', 4), ['abcd', 'ef']);
  assert.deepEqual(wrapToWidth('', 4), ['']);
});
