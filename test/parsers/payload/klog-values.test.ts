import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  blockOpenAfter,
  cursor,
  parseGoList,
  parseGoPlusV,
  readGoQuoted,
  readPairs,
  readStructured,
  stripBlockIndent,
} from '../../../parsers/payload/klog-values.js';
import { assertEachGives } from '../../helpers/table.js';

test('readGoQuoted decodes the escapes strconv.Quote writes', () => {
  const table: [string, string][] = [
    ['"plain"', 'plain'],
    ['""', ''],
    ['"say \\"hi\\""', 'say "hi"'],
    ['"back\\\\slash"', 'back\\slash'],
    ['"two\\nlines\\tand tab"', 'two\nlines\tand tab'],
    ['"caf\\u00e9"', 'café'],
    ['"\\U0001F600"', '😀'],
    ['"\\x41\\x42"', 'AB'],
    ['"\\101\\102C"', 'ABC'],
    ['"\\xc3\\xa9t\\xc3\\xa9"', 'été'], // byte escapes form UTF-8 together
    ['"bell\\a"', 'bell\x07'],
    ['"odd \\q escape"', 'odd \\q escape'], // not Go's: kept as written
    ['"\\xZZ"', '\\xZZ'],
  ];
  for (const [input, want] of table) {
    assert.equal(readGoQuoted(input, 0), want, input);
    assert.equal(cursor.end, input.length, input);
  }
  // The end is where the closing quote is, not the text's end.
  assert.equal(readGoQuoted('x "a\\"b" y', 2), 'a"b');
  assert.equal(cursor.end, 8);
});

test('readGoQuoted reports an unterminated string', () => {
  assert.equal(readGoQuoted('"cut here', 0), undefined);
  assert.equal(readGoQuoted('"cut \\"here', 0), undefined);
  assert.equal(readGoQuoted('"ends in backslash\\', 0), undefined);
});

test('readPairs reads every kind of klog value', () => {
  const table: [string, Record<string, unknown>][] = [
    [' pod="kube-system/etcd-m1" podUID="3358bb4775586f16aa5b3234bff5f1b6"', { pod: 'kube-system/etcd-m1', podUID: '3358bb4775586f16aa5b3234bff5f1b6' }],
    [' err="exit \\"1\\"\\n" attempt=3', { err: 'exit "1"\n', attempt: 3 }],
    // JSON values are parsed, brackets inside strings included.
    [
      ' event={"ID":"f86dcb44b17454a379b992b4ce659225","Type":"ContainerDied","Data":"a]}b"} exitCode=0',
      { event: { ID: 'f86dcb44b17454a379b992b4ce659225', Type: 'ContainerDied', Data: 'a]}b' }, exitCode: 0 },
    ],
    [' IPs=["172.19.0.7"] pods=[]', { IPs: ['172.19.0.7'], pods: [] }],
    [' nodeConfig={"a":{"b":[1,{"c":"}"}]},"d":null}', { nodeConfig: { a: { b: [1, { c: '}' }] }, d: null } }],
    [' clusterIPs={"IPv4":"10.96.0.10"}', { clusterIPs: { IPv4: '10.96.0.10' } }],
    // Go %+v stays text.
    [' event=&{ID:abc Type:ContainerDied Data:xyz} n=1', { event: '&{ID:abc Type:ContainerDied Data:xyz}', n: 1 }],
    [' clusterIPs=map[IPv4:10.96.0.10] x=y', { clusterIPs: 'map[IPv4:10.96.0.10]', x: 'y' }],
    [' ref={Name:x Namespace:y}', { ref: '{Name:x Namespace:y}' }],
    [' list=[a b c] gates=&{map[]}', { list: '[a b c]', gates: '&{map[]}' }],
    [' slice=[]string{a b}', { slice: '[]string{a b}' }],
    // Bare tokens.
    [' v=0 ratio=0.25 neg=-3 big=123456789012345678901 dur=10s ok=true no=false ns=default/web', {
      v: 0, ratio: 0.25, neg: -3, big: '123456789012345678901', dur: '10s', ok: true, no: false, ns: 'default/web',
    }],
    // A key without value, bare or quoted.
    [' a=(MISSING)', { a: null }],
    [' a="(MISSING)" b=1', { a: null, b: 1 }],
    // The last of a repeated key wins; err first as ErrorS writes it.
    [' err="boom" pod="a/b" pod="a/c"', { err: 'boom', pod: 'a/c' }],
    // Keys may hold spaces (kube-proxy writes `primary ipFamily`).
    [' primary ipFamily="IPv4"', { 'primary ipFamily': 'IPv4' }],
    [' empty="" last=', { empty: '', last: '' }],
  ];
  for (const [input, want] of table) {
    const fields: Record<string, unknown> = {};
    const r = readPairs(input, 0, fields);
    assert.deepEqual(fields, want, input);
    assert.equal(r.rest, undefined, input);
    assert.equal(r.openBlock, undefined, input);
  }
});

test('readPairs stops where the text stops being pairs, and reports an opening block', () => {
  let fields: Record<string, unknown> = {};
  assert.deepEqual(readPairs(' is not a pair', 0, fields), { rest: ' is not a pair', count: 0 });
  fields = {};
  assert.deepEqual(readPairs(' a=1 "quoted junk"', 0, fields), { rest: ' "quoted junk"', count: 1 });
  assert.deepEqual(fields, { a: 1 });
  fields = {};
  assert.deepEqual(readPairs(' a=1 contents=<', 0, fields), { openBlock: 'contents', count: 1 });
  fields = {};
  assert.deepEqual(readPairs(' a="cut', 0, fields), { count: 1 });
  assert.deepEqual(fields, { a: 'cut' });
  fields = {};
  readPairs(' __proto__="x" constructor=1', 0, fields);
  assert.deepEqual(Object.keys(fields), ['__proto__', 'constructor']);
  assert.equal(Object.getPrototypeOf(fields), Object.prototype);
});

test('readStructured joins key=< blocks and goes on after the closing line', () => {
  const fields: Record<string, unknown> = {};
  const r = readStructured(
    ' err=<',
    0,
    ['\tmount failed: exit status 32', '\tMounting command: mount', '\t\tindented', ' > path="/var/lib/kubelet" n=2', 'Trace[1]: after'],
    fields,
  );
  assert.deepEqual(r, { used: 4, headerPairs: 1 });
  assert.deepEqual(fields, {
    err: 'mount failed: exit status 32\nMounting command: mount\n\tindented',
    path: '/var/lib/kubelet',
    n: 2,
  });
});

test('readStructured handles two blocks in a row and a block left open', () => {
  const fields: Record<string, unknown> = {};
  const r = readStructured(' a=<', 0, ['\tone', ' > b=<', '\ttwo', ' >'], fields);
  assert.deepEqual(r, { used: 4, headerPairs: 1 });
  assert.deepEqual(fields, { a: 'one', b: 'two' });

  const open: Record<string, unknown> = {};
  assert.deepEqual(readStructured(' a=<', 0, ['\tonly'], open), { used: 1, headerPairs: 1, openBlock: 'a' });
  assert.deepEqual(open, { a: 'only' });
});

test('block lines lose the tab, or the eight spaces journalctl shows for it', () => {
  assert.equal(stripBlockIndent('\tFilename  Type'), 'Filename  Type');
  assert.equal(stripBlockIndent('        Filename  Type'), 'Filename  Type');
  assert.equal(stripBlockIndent('               dmesg(1) may have'), '       dmesg(1) may have');
  assert.equal(stripBlockIndent('  two'), '  two');
});

test('blockOpenAfter follows the last opening and closing lines', () => {
  assert.equal(blockOpenAfter(['I0101 00:00:00.000000 1 a.go:1] "m" k=<']), true);
  assert.equal(blockOpenAfter(['I0101 00:00:00.000000 1 a.go:1] "m" k=<', '\tline']), true);
  assert.equal(blockOpenAfter(['I0101 00:00:00.000000 1 a.go:1] "m" k=<', '\tline', ' >']), false);
  assert.equal(blockOpenAfter(['I0101 00:00:00.000000 1 a.go:1] "m" k=<', '\tline', ' > j=<']), true);
  assert.equal(blockOpenAfter(['I0101 00:00:00.000000 1 a.go:1] "m" k="v"']), false);
  assert.equal(blockOpenAfter(['I0101 00:00:00.000000 1 a.go:1] "m" k=<', '\tx', 'goroutine 1 [running]:']), false);
});

test('parseGoPlusV reads simple %+v structs and maps flat', () => {
  assertEachGives<string, Record<string, string> | undefined>(parseGoPlusV, [
    ['&{ID:abc Type:ContainerDied Data:xyz}', { ID: 'abc', Type: 'ContainerDied', Data: 'xyz' }],
    ['{Name:x Namespace:y}', { Name: 'x', Namespace: 'y' }],
    ['map[IPv4:10.96.0.10]', { IPv4: '10.96.0.10' }],
    ['map[]', {}],
    ['{Message:hello world Code:1}', { Message: 'hello world', Code: '1' }], // a value with a space
    ['{Spec:{A:1 B:2} Name:n}', { Spec: '{A:1 B:2}', Name: 'n' }], // nested values stay text
    ['[a b c]', undefined],
    ['{unclosed', undefined],
    ['plain', undefined],
  ]);
});

test('parseGoList reads a %v slice', () => {
  assert.deepEqual(parseGoList('[ns/a ns/b]'), ['ns/a', 'ns/b']);
  assert.deepEqual(parseGoList('[]'), []);
  assert.deepEqual(parseGoList('[{A:1 B:2} x]'), ['{A:1 B:2}', 'x']);
  assert.equal(parseGoList('nope'), undefined);
  assert.equal(parseGoList('[open'), undefined);
});

// A timeout bounds a runaway (quadratic) reading; speed itself is no unit-test matter.
test('readPairs never throws and ends on hostile input', { timeout: 60_000 }, () => {
  const hostile = [
    ' a=' + '['.repeat(50_000),
    ' a=' + '{"'.repeat(20_000),
    ' a="' + '\\'.repeat(50_001),
    ' ' + 'k'.repeat(100_000) + '=1',
    ' a=' + '&{'.repeat(30_000) + '}'.repeat(10),
    ' a=<x b=<',
    ' =1',
    '\u0000\uffff =',
  ];
  for (const text of hostile) {
    const fields: Record<string, unknown> = {};
    readPairs(text, 0, fields);
    readStructured(text, 0, ['\t' + text, ' >' + text], fields);
    parseGoPlusV(text.slice(3));
  }
  let seed = 7;
  const rand = (n: number): number => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed % n;
  };
  const alphabet = ' ="\\{}[]<>&:ax0-\t\n';
  for (let i = 0; i < 2000; i++) {
    let s = ' ';
    const len = rand(60);
    for (let j = 0; j < len; j++) s += alphabet[rand(alphabet.length)];
    readPairs(s, 0, {});
    readStructured(s, 0, [s, ' >' + s], {});
    parseGoPlusV(s);
  }
});
