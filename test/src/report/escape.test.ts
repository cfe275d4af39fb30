import { test } from 'node:test';
import assert from 'node:assert/strict';
import { htmlEscape, jsonForScript, workflowData, workflowProperty, xmlEscape } from '../../../src/report/escape.js';
import { mdCode, mdCodeBlock, mdInline } from '../../../src/report/markdown-text.js';
import { assertEachGives } from '../../helpers/table.js';

test('XML: markup escaped, characters XML forbids made visible', () => {
  assertEachGives<string, string>(xmlEscape, [
    ['a < b && c > "d" \'e\'', 'a &lt; b &amp;&amp; c &gt; &quot;d&quot; &apos;e&apos;'],
    ['</failure><x>', '&lt;/failure&gt;&lt;x&gt;'],
    ['tab\tnew\nline\r', 'tab\tnew\nline\r'],
    ['\x1b[31mred\x00', '\u241b[31mred\u2400'],
    ['del\x7f', 'del\u2421'],
    ['lone \ud800 surrogate, \uffff', 'lone \ufffd surrogate, \ufffd'],
    ['emoji 😀 stays', 'emoji 😀 stays'],
  ], JSON.stringify);
});

test('HTML and script JSON: nothing can close the element it is in', () => {
  assert.equal(htmlEscape(`<img src=x onerror="a('b')">&`), '&#60;img src=x onerror=&#34;a(&#39;b&#39;)&#34;&#62;&#38;');
  const json = jsonForScript({ raw: '</script><!-- \u2028 & >' });
  assert.ok(!json.includes('<') && !json.includes('>') && !json.includes('&') && !json.includes('\u2028'));
  assert.deepEqual(JSON.parse(json), { raw: '</script><!-- \u2028 & >' });
});

test('workflow commands: % CR LF in data, also : and , in properties', () => {
  assert.equal(workflowData('50% done\r\nnext: a,b'), '50%25 done%0D%0Anext: a,b');
  assert.equal(workflowProperty('pod/ns/x: a,b%\n'), 'pod/ns/x%3A a%2Cb%25%0A');
  // A message cannot start a new command on its own line.
  assert.ok(!workflowData('x\n::error::injected').includes('\n'));
});

test('Markdown: log text shows as the text it is', () => {
  assertEachGives<string, string>(mdInline, [
    ['plain text 1.2.3', 'plain text 1.2.3'],
    ['*bold* _it_ `code` [link](http://x) | cell', '\\*bold\\* \\_it\\_ \\`code\\` \\[link\\]\\(http://x\\) \\| cell'],
    ['<script>alert(1)</script> &amp;', '&lt;script\\>alert\\(1\\)&lt;/script\\> &amp;amp;'],
    ['@team ping #123 ~~x~~ !', '\\@team ping \\#123 \\~\\~x\\~\\~ \\!'],
    ['back\\slash', 'back\\\\slash'],
    ['line\nbreak\x1b[0m', 'line␤break␛\\[0m'],
  ], JSON.stringify);
  assert.equal(mdCodeBlock(['a ``` b', 'c']), '````\na ``` b\nc\n````');
  assert.equal(mdCodeBlock(['x']), '```\nx\n```');
  assert.equal(mdCode('a`b'), '``a`b``');
  assert.equal(mdCode('`x'), '`` `x ``');
});

