/**
 * The TUI through its keys: the App rendered by ink-testing-library over the fixture store
 * (fixture.ts), every view and every key, asserting on the screen text.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createWriter } from '../../../src/store/writer.js';
import type { KEvent } from '../../../src/model/event.js';
import { KEY, mount, type Mounted } from './harness.js';
import { histogramCells } from '../../../src/tui/components/Histogram.js';
import { FIXTURE_EVENTS, POD, sec } from './fixture.js';

async function withApp(opts: Parameters<typeof mount>[0], body: (m: Mounted) => Promise<void>): Promise<void> {
  const m = await mount(opts);
  try {
    await body(m);
  } finally {
    m.unmount();
  }
}

/** Selects the first of the pod's errors (14:02:00, after the background event of that second). */
async function toPodError(m: Mounted): Promise<void> {
  await m.press(':');
  await m.type('14:02:00');
  await m.press(KEY.enter, 'j');
  assert.match(m.selected(), /Error syncing pod, skipping/);
}

const timeOf = (row: string): string => /\d\d:\d\d:\d\d\.\d{3}/.exec(row)?.[0] ?? '';

test('first screen: header with the counts of events, incidents, errors and warnings; histogram with incident spans; rows from the start; the incidents named', async () => {
  await withApp({}, async (m) => {
    await m.waitFor((s) => s.includes(`${FIXTURE_EVENTS} events`), 'the count');
    const lines = m.lines();
    assert.equal(lines.length, 30);
    const errors = m.controller.frame().header.errors!;
    const warnings = m.controller.frame().header.warnings!;
    assert.ok(errors > 0 && warnings > 0);
    assert.equal(lines[0], `ktrail  312 events  2 incidents (i)  ${errors} errors  ${warnings} warnings`);
    assert.match(lines[1]!, /[▁▂▃▄▅▆▇█]/);
    // The incidents' columns are on a band (a background colour; the tmux test sees it drawn).
    const h = m.controller.frame().histogram!;
    const banded = histogramCells(h.buckets!, 100, h.spans).filter((c) => c.band).length;
    assert.ok(banded > 0 && banded < 100, `${banded} columns in incidents`);
    assert.match(lines[2]!, /^> {2}14:00:00\.000 control-plane +etcd +I background 0 from etcd n=0/);
    assert.match(lines[3]!, /^ {3}14:00:01\.000 worker-1 +apiserver +I background 1/);
    assert.match(lines[29]!, /^2 incidents found: i lists them +14:00:00\.000 0%$/);
    // The next key takes the message away: the keys of the view show.
    await m.press('k');
    assert.match(m.lines()[29]!, /^\?:help {2}q:quit {2}\/:filter {2}Enter:detail .* +14:00:00\.000 0%$/);
  });
});

test('the demo start: the incident list first, Esc goes to the events', async () => {
  await withApp({ start: 'incidents' }, async (m) => {
    assert.match(m.screen(), /^incidents \(2\)/m);
    await m.press(KEY.escape);
    // (A lone Escape is only known as such a tick later, and the counts may redraw meanwhile.)
    await m.waitFor((s) => !/^incidents \(/m.test(s), 'the event list');
    assert.match(m.selected(), /background 0 /);
  });
});

test('j k ↑ ↓ move by one; PgDn space PgUp b by a page; g G Home End to the ends', async () => {
  await withApp({}, async (m) => {
    await m.press('j', 'j', KEY.down);
    assert.match(m.selected(), /background 3 /);
    await m.press('k', KEY.up);
    assert.match(m.selected(), /background 1 /);
    const rows = m.controller.frame().bodyHeight;
    await m.press(KEY.pageDown);
    assert.match(m.selected(), new RegExp(`background ${1 + rows} `));
    await m.press(' ');
    assert.match(m.selected(), new RegExp(`background ${1 + 2 * rows} `));
    await m.press(KEY.pageUp, 'b');
    assert.match(m.selected(), /background 1 /);
    await m.press('G');
    assert.match(m.selected(), /background 299 /);
    assert.equal(m.lines().filter((l) => /^[> ][ *] \d\d:/.test(l)).at(-1), m.selected(), 'the last event is the last row');
    await m.press('g');
    assert.match(m.selected(), /background 0 /);
    await m.press(KEY.end);
    assert.match(m.selected(), /background 299 /);
    await m.press(KEY.home);
    assert.match(m.selected(), /background 0 /);
  });
});

test(': jumps to a time of day, an offset, or says what it cannot read', async () => {
  await withApp({}, async (m) => {
    await m.press(':');
    assert.match(m.screen(), /^jump to :$/m);
    await m.type('14:03:20');
    await m.press(KEY.enter);
    assert.equal(timeOf(m.selected()), '14:03:20.000');
    assert.match(m.screen(), /jumped to 14:03:20\.000/);
    await m.press(':');
    await m.type('-1m');
    await m.press(KEY.enter);
    assert.equal(timeOf(m.selected()), '14:02:20.000');
    await m.press(':');
    await m.type('soon');
    await m.press(KEY.enter);
    assert.match(m.screen(), /not a time or duration: "soon"/);
    await m.press(KEY.escape);
    assert.doesNotMatch(m.screen(), /jump to :/);
    assert.equal(timeOf(m.selected()), '14:02:20.000');
  });
});

test('Enter opens the detail pane (fields, objects, refs, raw, source); Tab scrolls it; Esc closes it', async () => {
  await withApp({}, async (m) => {
    await toPodError(m);
    await m.press(KEY.enter);
    let s = m.screen();
    assert.match(s, /── detail lines 1-\d+ of \d+/);
    assert.match(s, /event \d+ 2025-03-21T14:02:00\.000000Z/);
    assert.match(s, /component kubelet {2}host worker-1 {2}severity error/);
    assert.match(s, /source worker-1\/kubelet\.log:\d+ {2}format none\/klog/);
    assert.match(s, /err: failed to "StartContainer"/);
    assert.match(s, new RegExp(`1 pod/default/${POD} {2}uid 11111111-1111-4111-8111-111111111111 {2}via uid 100%`));
    // The rest is below: Tab gives the pane the keys, G goes to its end.
    await m.press(KEY.tab, 'G');
    s = m.screen();
    assert.match(s, /━━ detail/);
    assert.match(s, /refs \(2 as parsed\)/);
    assert.match(s, /Pod default\/web-7d9f8b6c5-x2x9q {2}uid 11111111-1111-4111-8111-111111111111 {2}via field:pod/);
    assert.match(s, /^raw$/m);
    assert.match(s, /I0321 Error syncing pod, skipping/);
    await m.press('g');
    assert.match(m.screen(), /detail lines 1-/);
    // Tab gives the keys back to the list: j moves the selection, and the pane follows it.
    await m.press(KEY.tab, 'j');
    assert.match(m.screen(), /── detail/);
    assert.equal(timeOf(m.selected()), '14:02:01.000');
    assert.match(m.screen(), /event \d+ 2025-03-21T14:02:01\.000000Z/);
    await m.press(KEY.escape);
    assert.doesNotMatch(m.screen(), /detail lines/);
  });
});

test('t opens the object timeline; Enter on a step shows it; t on a step goes to its other object; u to the owner; Esc back', async () => {
  await withApp({}, async (m) => {
    await toPodError(m);
    await m.press('t');
    let s = m.screen();
    assert.match(s, new RegExp(`timeline pod/default/${POD} {2}uid 11111111-1111-4111-8111-111111111111 {2}\\d+ steps`));
    assert.match(s, /owned by replicaset\/default\/web-7d9f8b6c5 ‹ deployment\/default\/web \(u\)/);
    assert.match(m.selected(), /\+\d[\d.]*s 14:02:00\.000 worker-1 +kubelet +E Error syncing pod/, 'the step of the event we came from');
    assert.match(s, /\+0 14:01:40\.200 control-plane +audit +I create pods default\/web-7d9f8b6c5-x2x9q 201/);
    // Enter shows the step's event.
    await m.press(KEY.enter);
    assert.match(m.screen(), /── detail/);
    assert.match(m.screen(), /source worker-1\/kubelet\.log/);
    await m.press(KEY.escape);
    // The scheduler's step also names the node: t goes there.
    await m.press('g', 'j');
    assert.match(m.selected(), /Successfully bound pod to node/);
    await m.press('t');
    assert.match(m.screen(), /timeline node\/worker-1/);
    await m.press(KEY.escape);
    assert.match(m.screen(), new RegExp(`timeline pod/default/${POD}`));
    // Up to the deployment: its timeline holds the replica set and the pod, tagged.
    await m.press('u', 'u');
    s = m.screen();
    assert.match(s, /timeline deployment\/default\/web/);
    assert.match(s, new RegExp(`owns › replicaset/default/web-7d9f8b6c5 {2}›› pod/default/${POD}`));
    assert.match(s, new RegExp(`14:02:00\\.000 worker-1 +kubelet +E \\[pod/default/${POD}\\] Error`));
    await m.press(KEY.escape, KEY.escape, KEY.escape);
    assert.match(m.screen(), /^ktrail {2}312 events/);
    assert.match(m.screen(), /\?:help {2}q:quit|incidents found/);
  });
});

test('o shows a timeline step in the event list', async () => {
  await withApp({}, async (m) => {
    await toPodError(m);
    await m.press('t', 'G', 'k', 'o');
    assert.doesNotMatch(m.screen(), /timeline pod/);
    assert.match(m.selected(), /Error syncing pod/);
    assert.equal(timeOf(m.selected()), '14:02:42.000');
  });
});

test('i lists incidents; Enter shows one (cause chain, evidence); t its root timeline; Esc back', async () => {
  await withApp({}, async (m) => {
    await m.press('i');
    let s = m.screen();
    assert.match(s, /incidents \(2\)/);
    assert.match(m.selected(), new RegExp(`^> {2}E crashloop +14:02:00 42\\.0s +pod/default/${POD} +is crash-looping, exit code 1$`));
    assert.match(s, /^ {3}W node-not-ready 14:03:20 1\.30s +node\/worker-1 +node worker-1 is NotReady$/m);
    await m.press(KEY.enter);
    s = m.screen();
    assert.match(s, /incident 1 crashloop error {2}14:02:00\.000 → 14:02:42\.000 \(42\.0s\)/);
    assert.match(s, /root pod\/default\/web-7d9f8b6c5-x2x9q {2}components audit, kubelet, kube-scheduler/);
    assert.match(s, /cause chain \(2\)/);
    assert.match(s, /14:01:40\.100 rollout +deployment\/default\/web ScalingReplicaSet/);
    assert.match(s, /evidence \(7 events: trigger 5, cause 1, evidence 1\)/);
    // Evidence in the store's one role order: the triggers first, then the cause.
    assert.match(m.selected(), /^> {2}trigger +14:02:00\.000 worker-1 +kubelet +E Error syncing pod/);
    await m.press('j', 'j', 'j', 'j', 'j');
    assert.match(m.selected(), /cause +14:01:40\.200 control-plane +audit +I create pods/);
    await m.press('k', 'k', 'k', 'k');
    assert.match(m.selected(), /trigger +14:02:\d\d\.\d{3} worker-1 +kubelet +E Error syncing pod/);
    await m.press(KEY.enter);
    assert.match(m.screen(), /── detail/);
    await m.press(KEY.escape, 't');
    assert.match(m.screen(), new RegExp(`timeline pod/default/${POD}`));
    await m.press(KEY.escape, KEY.escape);
    assert.match(m.screen(), /incidents \(2\)/);
    await m.press('j', 't');
    assert.match(m.screen(), /timeline node\/worker-1/);
    await m.press(KEY.escape, KEY.escape);
    assert.match(m.screen(), /\?:help {2}q:quit/);
  });
});

test('/ filters: live error under the column, applied on Enter, the histogram follows; an empty filter clears it', async () => {
  await withApp({}, async (m) => {
    await m.waitFor((s) => s.includes('312 events'), 'the count');
    const histogramBefore = m.lines()[1];
    await m.press('/');
    await m.type('{component="kubelet"');
    let lines = m.lines();
    const input = lines.findIndex((l) => l.startsWith('filter / '));
    assert.ok(input > 0, m.screen());
    assert.equal(lines[input], 'filter / {component="kubelet"');
    // The ^ sits under column 21 of the query: after the prompt's 9 characters.
    const problem = lines[input + 1]!;
    assert.equal(problem.indexOf('^'), 'filter / '.length + 20);
    assert.match(problem, /\^ column 21: .*"}"/);
    await m.press(KEY.enter); // refused while there is a problem
    assert.match(m.screen(), /filter \/ /);
    await m.type('} |= "Error"');
    lines = m.lines();
    assert.equal(lines[lines.findIndex((l) => l.startsWith('filter / ')) + 1]!.trim(), '');
    await m.press(KEY.enter);
    await m.waitFor((s) => s.includes('5 events'), 'the filtered count');
    const s = m.screen();
    assert.match(s, /^ktrail {2}5 events {2}2 incidents \(i\) {2}5 errors {2}0 warnings {2}filter \{component="kubelet"\} \|= "Error"/);
    assert.equal(m.lines().filter((l) => /Error syncing pod/.test(l)).length, 5);
    assert.doesNotMatch(s, /background/);
    assert.notEqual(m.lines()[1], histogramBefore, 'the histogram shows the filtered events');
    // Back in the bar, ↑ recalls, Ctrl-U clears, Enter on nothing lifts the filter.
    await m.press('/', '\x15', KEY.enter);
    await m.waitFor((s2) => s2.includes('312 events'), 'the whole count');
    assert.match(m.screen(), /filter cleared/);
    await m.press('/', '\x15', KEY.up);
    assert.match(m.screen(), /filter \/ \{component="kubelet"\} \|= "Error"/);
    await m.press(KEY.escape);
  });
});

test('the filter bar edits: ← → Home End Backspace Ctrl-A Ctrl-E, Tab switches to search', async () => {
  await withApp({}, async (m) => {
    await m.press('/');
    await m.type('|= "ac"');
    await m.press(KEY.left, KEY.left);
    await m.type('b');
    assert.match(m.screen(), /filter \/ \|= "abc"/);
    await m.press('\x01'); // Ctrl-A
    await m.type('x');
    assert.match(m.screen(), /filter \/ x\|= "abc"/);
    assert.match(m.screen(), /\^ column 1:/);
    await m.press(KEY.left, KEY.backspace); // nothing before the caret: no change
    await m.press(KEY.right, KEY.backspace);
    assert.match(m.screen(), /filter \/ \|= "abc"/);
    await m.press('\x05', KEY.backspace, KEY.home, KEY.end); // Ctrl-E, then delete the quote
    assert.match(m.screen(), /^filter \/ \|= "abc$/m);
    assert.match(m.screen(), /unterminated string/);
    await m.press(KEY.tab);
    assert.match(m.screen(), /^search s \|= "abc$/m);
    await m.press(KEY.escape);
    assert.doesNotMatch(m.screen(), /search s/);
  });
});

test('e E next / previous error, w W warnings', async () => {
  await withApp({}, async (m) => {
    await m.press('e');
    assert.match(m.selected(), /14:00:52\.000 .* E background 52 from kube-controller-manager/);
    await m.press('e');
    assert.match(m.selected(), /14:01:45\.000 .* E background 105/);
    await m.press('E');
    assert.match(m.selected(), /background 52 /);
    await m.press('E');
    assert.match(m.screen(), /no earlier error/);
    await m.press('w');
    assert.match(m.selected(), /W background 67 /);
    await m.press('W');
    assert.match(m.selected(), /W background 50 /);
    await m.press('G', 'e');
    assert.match(m.screen(), /no later error/);
  });
});

test('s searches, n N go to the next and previous match (wrapping)', async () => {
  await withApp({}, async (m) => {
    await m.press('n');
    assert.match(m.screen(), /no search yet/);
    await m.press('s');
    await m.type('|~ "(?i)not ?ready"');
    await m.press(KEY.enter);
    assert.match(m.selected(), /Node is NotReady/);
    assert.match(m.screen(), /search \|~ "\(\?i\)not \?ready"/);
    await m.press('n');
    assert.match(m.selected(), /Node became not ready/);
    await m.press('n');
    assert.match(m.selected(), /Node is NotReady/);
    assert.match(m.screen(), /search wrapped to the start/);
    await m.press('N');
    assert.match(m.selected(), /Node became not ready/);
  });
});

test("m marks the selected event, ' goes to the next mark", async () => {
  await withApp({}, async (m) => {
    await m.press('j', 'j', 'm');
    assert.match(m.selected(), /^>\* /);
    assert.match(m.screen(), /1 marked/);
    await m.press(KEY.pageDown, 'm', 'G');
    assert.match(m.screen(), /2 marked/);
    await m.press("'");
    assert.match(m.selected(), /^>\* .*background 2 /);
    await m.press("'");
    assert.match(m.selected(), /^>\* /);
    assert.doesNotMatch(m.selected(), /background 2 /);
    await m.press('m');
    assert.match(m.screen(), /1 marked/);
  });
});

test('f follows: new events in the store appear at the end and stay selected', async () => {
  await withApp({}, async (m) => {
    await m.press('f');
    assert.match(m.screen(), /FOLLOW/);
    assert.match(m.selected(), /background 299 /);
    const writer = createWriter(m.store, { bulk: false });
    const source = writer.beginSource({ cluster: '', path: '/live/kubelet.log', display: 'live/kubelet.log', size: 1, mtime: 0, fingerprint: 'live' });
    const ev = (n: number): KEvent => ({
      seq: n,
      time: sec(300 + n),
      component: 'kubelet',
      host: 'worker-2',
      severity: 'info',
      message: `live event ${n}`,
      fields: {},
      objects: [],
      source: { file: 'live/kubelet.log', line: n, endLine: n, format: 'none/klog' },
      raw: `live event ${n}`,
      format: 'klog',
    });
    writer.addMergedEvents([ev(1), ev(2)], new Map([['live/kubelet.log', source.id]]));
    writer.close();
    await m.waitFor((s) => /^> .*live event 2/m.test(s), 'the new events');
    assert.match(m.screen(), /live event 1/);
    await m.waitFor((s) => s.includes('314 events'), 'the recount');
    await m.press('f');
    assert.doesNotMatch(m.screen().split('\n')[0]!, /FOLLOW/);
    assert.match(m.screen(), /follow off/);
  });
});

test('? shows the keys; any key closes it; q quits', async () => {
  await withApp({}, async (m) => {
    await m.press('?');
    const s = m.screen();
    assert.match(s, /^keys in the views/m);
    assert.match(s, /PgDn space \/ PgUp b +move one page/);
    assert.match(s, /q Ctrl-C +quit/);
    await m.press('j');
    assert.doesNotMatch(m.screen(), /^keys in the views/m);
    assert.match(m.selected(), /background 0 /, 'the key that closed help did nothing else');
    assert.equal(m.exited(), undefined);
    await m.press('q');
    assert.equal(m.exited(), 'quit');
  });
});

test('Ctrl-C quits, even while typing a filter', async () => {
  await withApp({}, async (m) => {
    await m.press('/', 'a', KEY.ctrlC);
    assert.equal(m.exited(), 'quit');
  });
});

test("a log line's control sequences never reach the terminal: list, detail pane and raw line", async () => {
  await withApp({ color: true }, async (m) => {
    await m.press(':');
    await m.type('14:04:10.5');
    await m.press(KEY.enter);
    assert.match(m.selected(), /^> {2}14:04:10\.500 worker-␛\[31mred +kubelet +W evil ␛\]0;pwned␇␛\[2J␛\[10;10H\\u202eend/);
    await m.press(KEY.enter);
    assert.match(m.screen(), /host worker-␛\[31mred/);
    await m.press(KEY.tab, 'G');
    const raw = m.raw();
    // The only escape sequences on screen are colours (SGR): no OSC title, no clear, no cursor move.
     
    assert.doesNotMatch(raw, /\x1b(?!\[[0-9;]*m)/);
    assert.doesNotMatch(raw, /[\x07\u202e]/);
    const s = m.screen();
    assert.match(s, /evil ␛\]0;pwned␇␛\[2J␛\[10;10H\\u202eend/);
    assert.match(s, /key␛\[2J: value␛\]0;title␇/);
    assert.match(s, /continued ␛\[2Jline/);
  });
});

test('NO_COLOR: no colour codes; with colour, each component has its own', async () => {
  await withApp({ color: false }, async (m) => {
     
    assert.doesNotMatch(m.raw(), /\x1b\[(3\d|9\d|38;5;\d+)m/);
  });
  await withApp({ color: true }, async (m) => {
    const raw = m.raw().split('\n');
    const etcd = raw.find((l) => /background 0 /.test(l))!;
    const kubelet = raw.find((l) => /background 6 /.test(l))!;
    // etcd is magenta (35), the kubelet bright blue (94): as the CLI's text output colours them.
    assert.match(etcd, /\x1b\[35metcd/);
    assert.match(kubelet, /\x1b\[94mkubelet/);
  });
});

test('80x24: every view fits, line for line', async () => {
  await withApp({ width: 80, height: 24 }, async (m) => {
    const fits = (what: string): void => {
      const lines = m.lines();
      assert.equal(lines.length, 24, `${what}: ${lines.length} lines\n${m.screen()}`);
      for (const l of lines) assert.ok(Array.from(l).length <= 80, `${what}: too wide: ${l}`);
    };
    fits('list');
    await m.press(':');
    await m.type('14:02:00');
    await m.press(KEY.enter);
    await m.press(KEY.enter);
    fits('detail');
    await m.press('t');
    fits('timeline with detail');
    await m.press(KEY.escape, KEY.escape, 'i');
    fits('incidents');
    await m.press(KEY.enter);
    fits('incident');
    await m.press(KEY.escape, KEY.escape, '/');
    await m.type('{');
    fits('filter bar');
    await m.press(KEY.escape, '?');
    fits('help');
  });
});

test('a resized terminal is redrawn at its new size', async () => {
  await withApp({ fixed: false, width: 100, height: 29 }, async (m) => {
    assert.equal(m.lines().length, 29);
    await m.resize(80, 20);
    let lines = m.lines();
    assert.equal(lines.length, 19);
    assert.ok(lines.every((l) => Array.from(l).length <= 80));
    assert.match(lines[18]!, /incidents found/);
    await m.resize(120, 40);
    lines = m.lines();
    assert.equal(lines.length, 39);
    assert.match(lines[2]!, /^> +14:00:00\.000 control-plane +etcd/);
  });
});
