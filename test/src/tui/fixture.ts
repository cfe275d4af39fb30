/**
 * The TUI tests' store: a few hundred events built here (background chatter from every
 * component, one pod's story owned by a ReplicaSet and a Deployment, a node going NotReady, a
 * line full of terminal escapes), correlated by the real linker, and two incidents written as
 * detection writes them (tables incidents, incident_evidence, incident_objects).
 */
import { linkObjects } from '../../../src/correlate/link.js';
import type { Component, KEvent, ObjectRef, Severity } from '../../../src/model/event.js';
import { createWriter, openStore, type Store } from '../../../src/store/writer.js';
import { ViewController, type ControllerOptions } from '../../../src/tui/controller.js';
import { TuiModel } from '../../../src/tui/model/index.js';

export const T0 = Date.UTC(2025, 2, 21, 14, 0, 0) * 1000;
export const sec = (s: number): number => T0 + Math.round(s * 1_000_000);

export const POD_UID = '11111111-1111-4111-8111-111111111111';
export const RS_UID = '22222222-2222-4222-8222-222222222222';
export const DEP_UID = '33333333-3333-4333-8333-333333333333';
export const NODE_UID = '44444444-4444-4444-8444-444444444444';
export const POD = 'web-7d9f8b6c5-x2x9q';
export const RS = 'web-7d9f8b6c5';

/** A line that tries to retitle the window, clear the screen and move the cursor. */
export const EVIL = 'evil \x1b]0;pwned\x07\x1b[2J\x1b[10;10H\u202eend';

const BACKGROUND: Component[] = ['etcd', 'kube-apiserver', 'kube-scheduler', 'kube-controller-manager', 'kube-proxy', 'coredns', 'kubelet'];
const HOSTS = ['control-plane', 'worker-1', 'worker-2'];

interface Spec {
  t: number;
  component: Component;
  severity?: Severity;
  host?: string;
  message: string;
  fields?: Record<string, unknown>;
  objects?: ObjectRef[];
  raw?: string;
}

const podRef = (via: ObjectRef['via'] = 'field', key = 'pod'): ObjectRef => ({ kind: 'Pod', namespace: 'default', name: POD, uid: POD_UID, via, key });
const nodeRef: ObjectRef = { kind: 'Node', name: 'worker-1', uid: NODE_UID, via: 'field', key: 'node' };

function specs(): Spec[] {
  const out: Spec[] = [];
  // Background: one event a second for 300 s, every component, a warning every 17th, an error every 53rd.
  for (let i = 0; i < 300; i++) {
    const component = BACKGROUND[i % BACKGROUND.length]!;
    const severity: Severity = i % 53 === 52 ? 'error' : i % 17 === 16 ? 'warn' : i % 29 === 28 ? 'debug' : 'info';
    out.push({ t: i, component, severity, host: HOSTS[i % HOSTS.length], message: `background ${i} from ${component}`, fields: { n: i } });
  }
  // The pod's story, owners first (audit carries the ownerReferences).
  out.push({
    t: 100.1,
    component: 'audit',
    host: 'control-plane',
    message: 'create replicasets default/web-7d9f8b6c5 201',
    objects: [
      { kind: 'ReplicaSet', namespace: 'default', name: RS, uid: RS_UID, via: 'audit', key: 'objectRef' },
      { kind: 'Deployment', namespace: 'default', name: 'web', uid: DEP_UID, via: 'audit', key: 'ownerReferences' },
    ],
  });
  out.push({
    t: 100.2,
    component: 'audit',
    host: 'control-plane',
    message: `create pods default/${POD} 201`,
    objects: [
      { kind: 'Pod', namespace: 'default', name: POD, uid: POD_UID, via: 'audit', key: 'objectRef' },
      { kind: 'ReplicaSet', namespace: 'default', name: RS, uid: RS_UID, via: 'audit', key: 'ownerReferences' },
    ],
  });
  out.push({ t: 100.3, component: 'kube-scheduler', host: 'control-plane', message: 'Successfully bound pod to node', fields: { pod: `default/${POD}`, node: 'worker-1' }, objects: [podRef(), nodeRef] });
  out.push({ t: 101.5, component: 'kubelet', host: 'worker-1', message: 'SyncLoop ADD', fields: { pods: [`default/${POD}`] }, objects: [podRef('field', 'pods')] });
  for (let k = 0; k < 5; k++) {
    out.push({
      t: 120 + k * 10.5,
      component: 'kubelet',
      severity: 'error',
      host: 'worker-1',
      message: 'Error syncing pod, skipping',
      fields: { err: 'failed to "StartContainer" for "app" with CrashLoopBackOff: "Back-off restarting failed container"', pod: `default/${POD}`, podUID: POD_UID },
      objects: [podRef(), { kind: 'Pod', uid: POD_UID, via: 'field', key: 'podUID' }],
    });
  }
  // The node goes NotReady.
  out.push({ t: 200.4, component: 'kube-controller-manager', severity: 'warn', host: 'control-plane', message: 'Node is NotReady', fields: { node: 'worker-1' }, objects: [nodeRef] });
  out.push({ t: 201.7, component: 'kubelet', severity: 'warn', host: 'worker-1', message: 'Node became not ready', fields: { node: 'worker-1' }, objects: [nodeRef] });
  // Hostile text everywhere a log can put it.
  out.push({
    t: 250.5,
    component: 'kubelet',
    severity: 'warn',
    host: 'worker-\x1b[31mred',
    message: EVIL,
    fields: { [`key\x1b[2J`]: `value\x1b]0;title\x07`, pod: `default/${POD}` },
    objects: [podRef()],
    raw: `W0321 14:04:10.500000 1 x.go:1] ${EVIL}\n  continued \x1b[2Jline`,
  });
  return out;
}

function toEvents(list: Spec[]): KEvent[] {
  return list
    .map((s, i): KEvent => {
      const e: KEvent = {
        seq: i + 1,
        time: sec(s.t),
        component: s.component,
        severity: s.severity ?? 'info',
        message: s.message,
        fields: s.fields ?? {},
        objects: s.objects ?? [],
        source: { file: `${s.host ?? 'x'}/${s.component}.log`, line: i + 1, endLine: i + 1, format: 'none/klog' },
        raw: s.raw ?? `I0321 ${s.message}`,
        format: 'klog',
      };
      if (s.host !== undefined) e.host = s.host;
      return e;
    })
    .sort((a, b) => a.time - b.time || a.seq - b.seq);
}

function writeIncidents(store: Store): void {
  const db = store.db;
  const objectId = (uid: string): number => db.prepare('SELECT id FROM objects WHERE uid = ?').pluck().get(uid) as number;
  const evidence = (where: string, ...params: unknown[]): number[] =>
    db.prepare(`SELECT id FROM events WHERE ${where} ORDER BY time, id`).pluck().all(...params) as number[];
  const insert = db.prepare(
    'INSERT INTO incidents (kind, severity, start_time, end_time, root_object_id, summary, details) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const addEvidence = db.prepare('INSERT INTO incident_evidence (incident_id, event_id, role) VALUES (?, ?, ?)');
  const addObject = db.prepare('INSERT INTO incident_objects (incident_id, object_id, role) VALUES (?, ?, ?)');
  db.transaction(() => {
    const crash = insert.run(
      'crashloop',
      3,
      sec(120),
      sec(162),
      objectId(POD_UID),
      `pod/default/${POD} is crash-looping, exit code 1`,
      JSON.stringify({
        root: { kind: 'Pod', namespace: 'default', name: POD, uid: POD_UID, label: `pod/default/${POD}` },
        components: ['audit', 'kubelet', 'kube-scheduler'],
        causeChain: [
          { kind: 'rollout', objectUid: DEP_UID, object: 'deployment/default/web', time: sec(100.1), summary: 'ScalingReplicaSet: Scaled up replica set web-7d9f8b6c5' },
          { kind: 'created-by', objectUid: RS_UID, object: `replicaset/default/${RS}`, time: sec(100.2), summary: `SuccessfulCreate: Created pod: ${POD}` },
        ],
        counts: { trigger: 5, cause: 1, evidence: 1 },
      }),
    ).lastInsertRowid as number;
    const errors = evidence("message = 'Error syncing pod, skipping'");
    for (const id of errors) addEvidence.run(crash, id, 'trigger');
    for (const id of evidence("message LIKE 'create pods%'")) addEvidence.run(crash, id, 'cause');
    for (const id of evidence("message = 'Successfully bound pod to node'")) addEvidence.run(crash, id, 'evidence');
    addObject.run(crash, objectId(POD_UID), 'root');
    const node = insert.run(
      'node-not-ready',
      2,
      sec(200.4),
      sec(201.7),
      objectId(NODE_UID),
      'node worker-1 is NotReady',
      JSON.stringify({ components: ['kube-controller-manager', 'kubelet'], causeChain: [], counts: { trigger: 2 } }),
    ).lastInsertRowid as number;
    for (const id of evidence("message LIKE 'Node %'")) addEvidence.run(node, id, 'trigger');
    addObject.run(node, objectId(NODE_UID), 'root');
  })();
}

/** The fixture store, in memory: events, correlation, incidents. */
export function fixtureStore(): Store {
  const store = openStore(':memory:');
  const writer = createWriter(store);
  const events = toEvents(specs());
  const files = [...new Set(events.map((e) => e.source.file))];
  const ids = new Map<string, number>();
  for (const f of files) ids.set(f, writer.beginSource({ cluster: '', path: `/fixture/${f}`, display: f, size: 1, mtime: 0, fingerprint: f }).id);
  writer.addMergedEvents(events, ids);
  writer.completeSources(files.map((f) => ({ id: ids.get(f)!, stats: undefined })));
  writer.close();
  linkObjects(store.correlation);
  writeIncidents(store);
  return store;
}

export const FIXTURE_EVENTS = specs().length;

/** A controller over the fixture store, laid out at width x height. */
export function fixtureController(width = 100, height = 30, opts: ControllerOptions = {}): { store: Store; model: TuiModel; controller: ViewController } {
  const store = fixtureStore();
  const model = new TuiModel(store);
  const controller = new ViewController(model, opts);
  controller.setSize(width, height);
  return { store, model, controller };
}
