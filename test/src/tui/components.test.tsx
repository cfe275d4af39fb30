/**
 * The components alone: props in, text out (ink-testing-library), and the pure line builders
 * they draw with.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { render } from 'ink-testing-library';
import type { HistogramBucket, StoredEvent } from '../../../src/store/reader.js';
import { DetailPane } from '../../../src/tui/components/DetailPane.js';
import { EventList } from '../../../src/tui/components/EventList.js';
import { HelpView } from '../../../src/tui/components/HelpView.js';
import { Histogram, histogramCells } from '../../../src/tui/components/Histogram.js';
import { IncidentList } from '../../../src/tui/components/IncidentList.js';
import { InputBar, problemLine } from '../../../src/tui/components/InputBar.js';
import { Lines } from '../../../src/tui/components/Lines.js';
import { StatusBar, fitHints } from '../../../src/tui/components/StatusBar.js';
import { TimelineView } from '../../../src/tui/components/TimelineView.js';
import { detailLines, incidentColumns, rowLayout } from '../../../src/tui/format.js';
import { KEYMAP } from '../../../src/tui/keymap.js';
import { fitLine, lineText, padMiddle, seg, wrapText } from '../../../src/tui/line.js';
import { plain } from './harness.js';
import { EVIL, sec } from './fixture.js';

function frameOf(el: React.ReactElement): string[] {
  const inst = render(el);
  const out = plain(inst.lastFrame() ?? '');
  inst.unmount();
  return out.split('\n');
}

function event(p: Partial<StoredEvent> = {}): StoredEvent {
  return {
    id: 7,
    seq: 7,
    sourceId: 1,
    cluster: '',
    time: sec(61.25),
    component: 'kube-scheduler',
    host: 'control-plane',
    severity: 'warn',
    message: 'Unable to schedule pod',
    fields: { pod: 'default/web-1', reason: 'Insufficient cpu' },
    objects: [{ kind: 'Pod', namespace: 'default', name: 'web-1', via: 'field', key: 'pod' }],
    source: { file: 'cp/kube-scheduler.log', line: 41, endLine: 42, format: 'cri/klog' },
    raw: 'W0321 14:01:01.250000 1 schedule_one.go:1] "Unable to schedule pod"\n  continued',
    format: 'klog',
    ...p,
  };
}

const bucket = (counts: [number, number, number, number, number], i: number): HistogramBucket => ({ start: i * 10, end: i * 10 + 10, counts });

test('lines: neutralized, cut with an ellipsis at the width, padded to the height', () => {
  assert.equal(lineText(fitLine([seg('abc'), seg('def')], 5)), 'abcd…');
  assert.equal(lineText(fitLine([seg('a\x1b[2Jb')], 20)), 'a␛[2Jb');
  assert.equal(lineText(fitLine([seg('😀😀😀')], 3)), '😀…', 'never splits a surrogate pair; an emoji takes two columns');
  assert.equal(lineText(fitLine([seg('节点'), seg('x')], 4)), '节点', 'wide characters are measured by display width');
  assert.deepEqual(wrapText('abcdefg', 3), ['abc', 'def', 'g']);
  assert.deepEqual(wrapText('a\nb', 10), ['a␤b']);
  const lines = frameOf(<Lines lines={[[seg('x'.repeat(50))], [seg('second')]]} width={10} height={4} color={false} />);
  assert.deepEqual(lines, ['xxxxxxxxx…', 'second', '', '']);
});

test('event list: one row per event with time, host, component, severity, message, key fields; empty message', () => {
  const layout = rowLayout(100, false);
  const rows = [event(), event({ id: 8, severity: 'error', component: 'etcd', host: undefined, message: 'slow\nsecond line', fields: {} })];
  const lines = frameOf(<EventList body={{ view: 'list', rows, cursor: 1, marks: new Set([7]), layout, empty: '' }} width={100} height={3} color={false} />);
  assert.deepEqual(lines, [
    ' * 14:01:01.250 control-plane      scheduler  W Unable to schedule pod pod=default/web-1 reason=Ins…',
    '>  14:01:01.250 -                  etcd       E slow',
    '',
  ]);
  const empty = frameOf(<EventList body={{ view: 'list', rows: [], cursor: 0, marks: new Set(), layout, empty: 'no events match x' }} width={60} height={2} color={false} />);
  assert.deepEqual(empty, ['  no events match x', '']);
  const dated = frameOf(<EventList body={{ view: 'list', rows: [event()], cursor: 0, marks: new Set(), layout: rowLayout(80, true), empty: '' }} width={80} height={1} color={false} />);
  assert.match(dated[0]!, /^> {2}03-21 14:01:01\.250 contr…-plane scheduler {2}W Unable/, 'several days: the date too; 80 columns: a narrower host');
});

test('histogram: block heights on a square-root scale, colour by the worst severity, a placeholder until counted', () => {
  const cells = histogramCells([bucket([0, 0, 0, 0, 0], 0), bucket([0, 100, 0, 0, 0], 1), bucket([0, 25, 0, 0, 0], 2), bucket([0, 1, 1, 0, 0], 3), bucket([0, 0, 0, 1, 0], 4)], 10);
  assert.deepEqual(
    cells.map((c) => c.text),
    [' ', '█', '▄', '▂', '▁'],
  );
  assert.deepEqual(
    cells.map((c) => c.severity ?? c.tone ?? null),
    [null, 'dim', 'dim', 'warn', 'error'],
  );
  assert.equal(histogramCells([bucket([0, 1, 0, 0, 0], 0), bucket([0, 1, 0, 0, 0], 1)], 1).length, 1, 'never wider than the screen');
  assert.deepEqual(frameOf(<Histogram histogram={{}} width={40} color={false} />), ['histogram: counting…']);
  const drawn = frameOf(<Histogram histogram={{ buckets: [bucket([0, 4, 0, 0, 0], 0), bucket([0, 0, 0, 0, 0], 1), bucket([0, 1, 0, 0, 0], 2)], cursorBucket: 1 }} width={3} color={false} />);
  assert.deepEqual(drawn, ['█·▄'], 'the selected column shows even when empty');
});

test('detail pane: every part of the event, scrolled, with its position; log text neutralized', () => {
  const e = event({ message: EVIL, fields: { 'k\x1b[1m': 'v\x07' }, raw: `raw ${EVIL}\nsecond\x1b[Hline` });
  const detail = { event: e, linked: [{ id: 3, cluster: '', uid: 'u-1', kind: 'Pod', namespace: 'default', name: 'web-1', via: 'uid', confidence: 1 }], refs: e.objects };
  const all = detailLines(detail, 80).map(lineText);
  assert.deepEqual(all, [
    'event 7 2025-03-21T14:01:01.250000Z',
    'component kube-scheduler  host control-plane  severity warn',
    'source cp/kube-scheduler.log:41-42  format cri/klog',
    'message',
    '  evil ␛]0;pwned␇␛[2J␛[10;10H\\u202eend',
    'fields (1)',
    '  k␛[1m: v␇',
    'objects (1 linked)  press 1-9 for a timeline',
    '  1 pod/default/web-1  uid u-1  via uid 100%',
    'refs (1 as parsed)',
    '  Pod default/web-1  via field:pod',
    'raw',
    '  raw evil ␛]0;pwned␇␛[2J␛[10;10H\\u202eend',
    '  second␛[Hline',
  ]);
  const lines = frameOf(<DetailPane detail={{ detail, scroll: 3, height: 4, focused: true }} width={80} color={false} />);
  assert.match(lines[0]!, /^━━ detail lines 4-6 of 14 {2}\(j k PgDn PgUp scroll, Tab: back\)/);
  assert.deepEqual(lines.slice(1), ['message', '  evil ␛]0;pwned␇␛[2J␛[10;10H\\u202eend', 'fields (1)']);
});

test('input bar: the caret, and the problem under the column it names (left of the ^ near the right edge)', () => {
  const lines = frameOf(<InputBar input={{ kind: 'filter', text: '{component=', caret: 11, problem: { message: 'column 12: expected a string', column: 12 } }} width={60} color={false} />);
  assert.equal(lines[0], 'filter / {component=');
  assert.equal(lines[1], ' '.repeat(9 + 11) + '^ column 12: expected a string');
  assert.deepEqual(problemLine('bad', 2, 20).map((s) => s.text).join(''), '  ^ bad');
  assert.equal(lineText(problemLine('a long message here', 15, 20)), 'a long messag… ^');
  assert.equal(lineText(problemLine('no column', undefined, 20)), 'no column');
  const jump = frameOf(<InputBar input={{ kind: 'jump', text: 'soon', caret: 4, problem: { message: 'not a time' } }} width={40} color={false} />);
  assert.deepEqual(jump, ['jump to : soon', 'not a time']);
  // A long query scrolls sideways to keep the caret on screen.
  const long = frameOf(<InputBar input={{ kind: 'search', text: 'x'.repeat(100) + 'END', caret: 103 }} width={40} color={false} />);
  assert.match(long[0]!, /^search s x+END$/);
  assert.ok(Array.from(long[0]!).length <= 40);
});

test('status bar: as many hints as fit, the position on the right; a message instead of the hints', () => {
  assert.equal(fitHints(['?:help', 'q:quit', '/:filter'], 15), '?:help  q:quit');
  const lines = frameOf(<StatusBar status={{ hints: ['?:help', 'q:quit', '/:filter'], position: '14:00:01.000 3%' }} width={42} color={false} />);
  assert.equal(lines[0], '?:help  q:quit  /:filter   14:00:01.000 3%');
  const narrow = frameOf(<StatusBar status={{ hints: ['?:help', 'q:quit', '/:filter'], position: '14:00:01.000 3%' }} width={36} color={false} />);
  assert.equal(narrow[0], '?:help  q:quit'.padEnd(20) + ' 14:00:01.000 3%');
  const msg = frameOf(<StatusBar status={{ hints: ['?:help'], position: '', message: { text: 'no later error', tone: 'info' } }} width={40} color={false} />);
  assert.equal(msg[0], 'no later error');
});

test('empty timeline and incident list say so', () => {
  const root = { id: 1, cluster: '', uid: null, kind: 'Node', namespace: null, name: 'w', first_seen: null, last_seen: null, deleted: null };
  const data = { root, owners: [], objects: [{ ...root, depth: 0 }], steps: [], byId: new Map() };
  const t = frameOf(<TimelineView body={{ view: 'timeline', data, visible: [], cursor: 0, marks: new Set(), layout: rowLayout(60, false) }} width={60} height={2} color={false} />);
  assert.deepEqual(t, ['timeline node/w  0 steps', 'owns nothing that was seen', '  no events are linked to this object', '']);
  const i = frameOf(<IncidentList body={{ view: 'incidents', visible: [], cursor: 0, total: 0, columns: incidentColumns([], 60, false) }} width={60} height={1} color={false} />);
  assert.deepEqual(i, ['incidents (0)  Enter: evidence and cause chain   t: root ob…', '  no incidents in this store']);
});

test('help lists every binding of the keymap, in columns when the screen is short', () => {
  const lines = frameOf(<HelpView width={160} height={KEYMAP.length + 10} color={false} />);
  assert.equal(lines[0], 'keys in the views');
  const short = frameOf(<HelpView width={160} height={20} color={false} />);
  assert.equal(short.length, 20);
  assert.match(short[0]!, /^keys in the views +\S/, 'a second column beside the first');
  for (const b of KEYMAP) assert.ok(lines.some((l) => l.includes(b.label) && l.includes(b.help)), b.help);
});

test('host names too long for their column keep both ends', () => {
  assert.equal(padMiddle('kind-control-plane2', 18), 'kind-con…ol-plane2');
  assert.equal(padMiddle('kind-control-plane3', 12), 'kind-…plane3');
  assert.equal(padMiddle('worker-1', 12), 'worker-1    ');
  assert.equal(padMiddle('x\x1b[2Jy', 12), 'x␛[2Jy      ');
  assert.equal(padMiddle('节点-worker-节点', 12), '节点-…r-节点', 'wide characters keep the column 12 columns wide');
});
