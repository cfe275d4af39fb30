import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { DiagnosticList } from '../../../src/ingest/diagnostics.js';
import {
  discoverSources,
  nodeFs,
  readKubernetesVersion,
  splitRotation,
  type DiscoveryFs,
  type SourceFile,
} from '../../../src/ingest/discover.js';

const NODE = 'kind-control-plane';

function byDisplay(sources: SourceFile[]): Map<string, SourceFile> {
  return new Map(sources.map((s) => [s.display, s]));
}

/** Builds a tree under a fresh temp dir: `files` maps relative paths to contents. */
async function tree(files: Record<string, string | Buffer>): Promise<string> {
  const root = await mkdtemp(join(tmpdir(), 'ktrail-discover-'));
  for (const [rel, content] of Object.entries(files)) {
    await mkdir(dirname(join(root, rel)), { recursive: true });
    await writeFile(join(root, rel), content);
  }
  return root;
}

/** Runs `fn` on a fresh tree of `files`, then removes the tree whatever `fn` did. */
async function inTree(files: Record<string, string | Buffer>, fn: (root: string) => Promise<void>): Promise<void> {
  const root = await tree(files);
  try {
    await fn(root);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

const KLOG = 'I0321 14:51:23.344949       1 server.go:1] "x"\n';

test('kind bundle: pods/ read with uid, containers/ set aside as duplicates, non-logs set aside', { skip: corpusSkip() }, async () => {
  const diag = new DiagnosticList();
  const sources = await discoverSources([corpus('kind-1.32-bundle')], diag);
  assert.deepEqual(diag.entries, []);
  // Stable order: the walk is sorted by name.
  assert.deepEqual(
    sources.map((s) => s.display),
    [...sources.map((s) => s.display)].sort((a, b) => (a < b ? -1 : 1)),
  );

  const pods = sources.filter((s) => s.display.startsWith(`${NODE}/pods/`));
  assert.equal(pods.length, 9);
  const expectedComponents: Record<string, string | undefined> = {
    'kube-apiserver': 'kube-apiserver',
    'kube-controller-manager': 'kube-controller-manager',
    'kube-scheduler': 'kube-scheduler',
    'kube-proxy': 'kube-proxy',
    etcd: 'etcd',
    coredns: 'coredns',
    'kindnet-cni': 'other',
    'local-path-provisioner': 'other',
  };
  for (const s of pods) {
    const [, , podDir, container, file] = s.display.split('/');
    const [namespace, name, uid] = podDir!.split('_');
    assert.equal(file, '0.log');
    assert.equal(s.setAside, undefined, s.display);
    assert.deepEqual(s.hints, {
      host: NODE,
      pod: { namespace, name, uid, container },
      ...(expectedComponents[container!] ? { component: expectedComponents[container!] } : {}),
    });
    assert.equal(s.rotation, 0);
    assert.equal(s.group, dirname(s.path));
  }
  const apiserver = pods.find((s) => s.hints.component === 'kube-apiserver')!;
  assert.equal(apiserver.hints.pod?.uid, '9566ae975d467746cc50ef4e5d5d0862');
  assert.equal(pods.find((s) => s.hints.pod?.name === 'kube-proxy-5sj54')?.hints.pod?.uid, '3e843632-6ff0-4a3c-b453-fb0485688c7c');

  const containers = sources.filter((s) => s.display.startsWith(`${NODE}/containers/`));
  assert.equal(containers.length, 9);
  const podDisplays = new Set(pods.map((p) => p.display));
  for (const s of containers) {
    const twin = pods.find(
      (p) => p.hints.pod!.name === s.hints.pod?.name && p.hints.pod!.namespace === s.hints.pod?.namespace && p.hints.pod!.container === s.hints.pod?.container,
    );
    assert.ok(twin, s.display);
    assert.equal(s.setAside, `duplicate of ${twin.display}`);
    assert.ok(podDisplays.has(twin.display));
    assert.match(s.containerId ?? '', /^[0-9a-f]{64}$/);
    assert.ok(s.display.endsWith(`-${s.containerId}.log`));
    assert.equal(s.group, undefined);
  }
  const etcd = containers.find((s) => s.hints.component === 'etcd')!;
  assert.equal(etcd.containerId, '472ee8d46558681bd8a13fa8f46551e7177080b3117c574ceecbd9c5a76649e9');

  const rest = byDisplay(sources.filter((s) => !pods.includes(s) && !containers.includes(s)));
  const journal = corpus('kind-1.32-bundle', NODE, 'journal.log');
  const summary = [...rest.values()].map((s) => [s.display, s.setAside ?? null, s.hints.component ?? null, s.hints.host ?? null, s.alsoIn ?? null]);
  assert.deepEqual(summary, [
    ['docker-info.txt', 'not a log (docker-info.txt)', null, null, null],
    [`${NODE}/alternatives.log`, 'not a component log (alternatives.log)', null, NODE, null],
    [`${NODE}/containerd.log`, null, 'other', NODE, journal],
    [`${NODE}/images.log`, 'not a log (images.log)', null, NODE, null],
    [`${NODE}/inspect.json`, 'not a log (inspect.json)', null, NODE, null],
    [`${NODE}/journal.log`, null, null, NODE, null],
    [`${NODE}/kubelet.log`, null, 'kubelet', NODE, journal],
    [`${NODE}/kubernetes-version.txt`, 'not a log (kubernetes-version.txt)', null, NODE, null],
    [`${NODE}/serial.log`, 'not a component log (serial.log)', null, NODE, null],
    ['kind-version.txt', 'not a log (kind-version.txt)', null, null, null],
  ]);
  assert.equal(rest.get(`${NODE}/kubelet.log`)!.nodeDir, corpus('kind-1.32-bundle', NODE));
  assert.equal(await readKubernetesVersion(corpus('kind-1.32-bundle')), 'v1.32.2');
  assert.equal(await readKubernetesVersion(corpus('kind-1.32-bundle', NODE)), 'v1.32.2');
  assert.equal(await readKubernetesVersion(corpus('raw-klog-1.19')), undefined);
});

test('kind node folder or pods file given directly keeps host and pod hints', { skip: corpusSkip() }, async () => {
  const diag = new DiagnosticList();
  const node = await discoverSources([corpus('kind-1.32-bundle', NODE)], diag);
  assert.equal(node.length, 9 + 9 + 5 + 3);
  assert.ok(node.every((s) => s.hints.host === NODE));
  assert.equal(node.find((s) => s.display === 'serial.log')?.setAside, 'not a component log (serial.log)');

  const file = corpus('kind-1.32-bundle', NODE, 'pods', 'kube-system_etcd-kind-control-plane_dd131b44f2cb818f764811cd71cc66de', 'etcd', '0.log');
  const [one] = await discoverSources([file], diag);
  assert.deepEqual(one, {
    path: file,
    display: file,
    hints: {
      host: NODE,
      pod: { namespace: 'kube-system', name: 'etcd-kind-control-plane', uid: 'dd131b44f2cb818f764811cd71cc66de', container: 'etcd' },
      component: 'etcd',
    },
    nodeDir: corpus('kind-1.32-bundle', NODE),
    group: dirname(file),
    rotation: 0,
  });
  assert.deepEqual(diag.entries, []);
});

test('must-gather: pod logs with their pod, events.yaml as events', { skip: corpusSkip() }, async () => {
  const diag = new DiagnosticList();
  const sources = await discoverSources([corpus('must-gather-etcd-events')], diag);
  assert.deepEqual(diag.entries, []);
  const pod = 'etcd-ip-10-0-187-218.ec2.internal';
  assert.deepEqual(
    sources.map((s) => [s.display, s.hints, s.setAside ?? null, s.rotation ?? null]),
    [
      ['release-4.8/namespaces/kube-system/core/events.yaml', { component: 'event' }, null, null],
      [
        `release-4.8/namespaces/openshift-etcd/pods/${pod}/etcd/etcd/logs/current.log`,
        { pod: { namespace: 'openshift-etcd', name: pod, container: 'etcd' }, component: 'etcd' },
        null,
        0,
      ],
    ],
  );
});

test('plain files: hints from the name, display as given, several paths', { skip: corpusSkip() }, async () => {
  const diag = new DiagnosticList();
  const given = [corpus('raw-klog-1.19', 'kube-apiserver.log'), corpus('raw-klog-1.19'), join(corpus(), 'no-such-file.log')];
  const sources = await discoverSources(given, diag);
  assert.deepEqual(
    sources.map((s) => [s.display, s.hints.component, s.setAside ?? null]),
    [
      [given[0], 'kube-apiserver', null],
      [`${given[1]}/kube-apiserver.log`, 'kube-apiserver', `duplicate of ${given[0]}`],
      [`${given[1]}/kubelet.log`, 'kubelet', null],
    ],
  );
  assert.deepEqual(diag.entries, [{ file: given[2], message: 'no such file or directory (ENOENT)' }]);
});

test('rotated, dated and gzip files: one group, newest first', async () => {
  await inTree(
    {
      'kubelet.log': KLOG,
      'kubelet.log.1': KLOG,
      'kubelet.log.2.gz': gzipSync(Buffer.from(KLOG)),
      'kube-proxy.log.2.gz': gzipSync(Buffer.from(KLOG)),
      'kube-proxy.log.3.gz': gzipSync(Buffer.from(KLOG)),
      'coredns-668d6bf9bc-79t94.log': '[INFO] 10.244.0.1:1 - 1 "A IN x. udp 1 false 512" NOERROR qr 1 0.1s\n',
      'kube-apiserver.log': KLOG,
      'kube-apiserver.log-20250320': KLOG,
      'kube-apiserver.log-20250321.gz': gzipSync(Buffer.from(KLOG)),
      'etcd.log': '{"level":"info"}\n',
      'audit.log': '{"kind":"Event"}\n',
      'audit-2025-03-21T14-51-23.123.log': '{"kind":"Event"}\n',
      'notes.txt': 'hello\n',
    },
    async (root) => {
      const diag = new DiagnosticList();
      const sources = await discoverSources([root], diag);
      assert.deepEqual(diag.entries, []);
      assert.deepEqual(
        sources.map((s) => [s.display, s.hints.component ?? null, s.group?.slice(root.length + 1) ?? null, s.rotation ?? null]),
        [
          ['audit-2025-03-21T14-51-23.123.log', null, 'audit.log', 1],
          ['audit.log', null, 'audit.log', 0],
          ['coredns-668d6bf9bc-79t94.log', 'coredns', 'coredns-668d6bf9bc-79t94.log', 0],
          ['etcd.log', 'etcd', 'etcd.log', 0],
          ['kube-apiserver.log', 'kube-apiserver', 'kube-apiserver.log', 0],
          ['kube-apiserver.log-20250320', 'kube-apiserver', 'kube-apiserver.log', 2],
          ['kube-apiserver.log-20250321.gz', 'kube-apiserver', 'kube-apiserver.log', 1],
          ['kube-proxy.log.2.gz', 'kube-proxy', 'kube-proxy.log', 1],
          ['kube-proxy.log.3.gz', 'kube-proxy', 'kube-proxy.log', 2],
          ['kubelet.log', 'kubelet', 'kubelet.log', 0],
          ['kubelet.log.1', 'kubelet', 'kubelet.log', 1],
          ['kubelet.log.2.gz', 'kubelet', 'kubelet.log', 2],
          ['notes.txt', null, 'notes.txt', 0],
        ],
      );
    },
  );
});

test('pods/ restarts and kubelet rotations order; containers/ without twin are read', async () => {
  const pod = 'pods/default_web-5d8f_0f1e2d3c-0000-4000-8000-000000000001/app';
  const id = 'ab'.repeat(32);
  await inTree(
    {
      [`${pod}/0.log`]: KLOG,
      [`${pod}/1.log`]: KLOG,
      [`${pod}/1.log.20250321-101010.gz`]: gzipSync(Buffer.from(KLOG)),
      [`${pod}/1.log.20250321-111111`]: KLOG,
      [`containers/web-5d8f_default_app-${'cd'.repeat(32)}.log`]: KLOG,
      [`containers/lonely-1_kube-system_kube-proxy-${id}.log`]: KLOG,
      'containers/not-a-container-log.log': KLOG,
    },
    async (root) => {
      const diag = new DiagnosticList();
      const sources = byDisplay(await discoverSources([root], diag));
      assert.deepEqual(diag.entries, []);
      assert.deepEqual(
        [`${pod}/1.log`, `${pod}/1.log.20250321-111111`, `${pod}/1.log.20250321-101010.gz`, `${pod}/0.log`].map((d) => sources.get(d)?.rotation),
        [0, 1, 2, 3],
      );
      // No kubelet.log/journal.log beside pods/: no node folder, so no host.
      assert.deepEqual(sources.get(`${pod}/0.log`)!.hints, {
        pod: { namespace: 'default', name: 'web-5d8f', uid: '0f1e2d3c-0000-4000-8000-000000000001', container: 'app' },
      });
      assert.equal(sources.get(`containers/web-5d8f_default_app-${'cd'.repeat(32)}.log`)!.setAside, `duplicate of ${pod}/1.log`);
      const lonely = sources.get(`containers/lonely-1_kube-system_kube-proxy-${id}.log`)!;
      assert.deepEqual([lonely.setAside, lonely.containerId, lonely.hints, lonely.rotation], [
        undefined,
        id,
        { pod: { namespace: 'kube-system', name: 'lonely-1', container: 'kube-proxy' }, component: 'kube-proxy' },
        0,
      ]);
      assert.deepEqual(sources.get('containers/not-a-container-log.log')!.hints, {});
    },
  );
});

test('must-gather: resource dumps are set aside, events.yaml is read', async () => {
  await inTree(
    {
      'namespaces/ns1/core/events.yaml': 'apiVersion: v1\nitems: []\n',
      'namespaces/ns1/core/pods.yaml': 'apiVersion: v1\n',
      'namespaces/ns1/pods/p1/p1.yaml': 'apiVersion: v1\n',
      'namespaces/ns1/pods/p1/kube-apiserver/kube-apiserver/logs/current.log': KLOG,
      'namespaces/ns1/pods/p1/kube-apiserver/kube-apiserver/logs/previous.log': KLOG,
      'namespaces/ns1/pods/p1/kube-apiserver-cert-syncer/kube-apiserver-cert-syncer/logs/current.log': KLOG,
      'cluster-scoped-resources/core/nodes/n1.yaml': 'kind: Node\n',
    },
    async (root) => {
      const sources = await discoverSources([root], new DiagnosticList());
      assert.deepEqual(
        sources.map((s) => [s.display, s.setAside ?? s.hints.component ?? null, s.rotation ?? null]),
        [
          ['cluster-scoped-resources/core/nodes/n1.yaml', 'not a log (resource dump)', null],
          ['namespaces/ns1/core/events.yaml', 'event', null],
          ['namespaces/ns1/core/pods.yaml', 'not a log (resource dump)', null],
          ['namespaces/ns1/pods/p1/kube-apiserver/kube-apiserver/logs/current.log', 'kube-apiserver', 0],
          ['namespaces/ns1/pods/p1/kube-apiserver/kube-apiserver/logs/previous.log', 'kube-apiserver', 1],
          // A sidecar whose name starts with the component's is not the component.
          ['namespaces/ns1/pods/p1/kube-apiserver-cert-syncer/kube-apiserver-cert-syncer/logs/current.log', 'other', 0],
          ['namespaces/ns1/pods/p1/p1.yaml', 'not a log (resource dump)', null],
        ],
      );
    },
  );
});

test('binary files are set aside (also inside gzip); UTF-16 text is not binary', async () => {
  const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(64)]);
  await inTree(
    {
      'a.log': Buffer.concat([Buffer.from('text first\n'), Buffer.from([0x00, 0x01])]),
      'b.log.gz': gzipSync(Buffer.concat([Buffer.from('x'.repeat(100)), elf])),
      'c.log': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('I0101 utf16 text\r\n', 'utf16le')]),
      'd.log': Buffer.concat([Buffer.from('x'.repeat(5000)), Buffer.from([0])]), // NUL past the first 4 KiB
    },
    async (root) => {
      const sources = byDisplay(await discoverSources([root], new DiagnosticList()));
      assert.equal(sources.get('a.log')!.setAside, 'binary (NUL byte at offset 11)');
      assert.equal(sources.get('b.log.gz')!.setAside, 'binary (NUL byte at offset 107 after gunzip)');
      assert.equal(sources.get('c.log')!.setAside, undefined);
      assert.equal(sources.get('d.log')!.setAside, undefined);
    },
  );
});

test('zero fill (a crash, a preallocating writer) does not make a text log binary', async () => {
  const klog = 'I0321 14:51:23.000001       1 controller.go:42] "Synced"\n';
  await inTree(
    {
      'leading.log': Buffer.concat([Buffer.alloc(12), Buffer.from(klog.repeat(3))]),
      'middle.log': Buffer.concat([Buffer.from(klog), Buffer.alloc(300), Buffer.from(klog)]),
      'utf16.log': Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.alloc(8), Buffer.from(klog, 'utf16le')]),
      // NULs between single bytes: UTF-16 without its BOM is not read as text.
      'no-bom.log': Buffer.from(klog, 'utf16le'),
      'sqlite.log': Buffer.concat([Buffer.from('SQLite format 3\0'), Buffer.from([0x10, 0, 1, 1, 0, 0x40, 0x20, 0x20])]),
    },
    async (root) => {
      const sources = byDisplay(await discoverSources([root], new DiagnosticList()));
      assert.equal(sources.get('leading.log')!.setAside, undefined);
      assert.equal(sources.get('middle.log')!.setAside, undefined);
      assert.equal(sources.get('utf16.log')!.setAside, undefined);
      assert.equal(sources.get('no-bom.log')!.setAside, 'binary (NUL byte at offset 1)');
      assert.equal(sources.get('sqlite.log')!.setAside, 'binary (NUL byte at offset 15)');
    },
  );
});

test('links and special files: inside links read once, outside links and FIFOs skipped, loops end', async () => {
  const outside = await tree({ 'secret.log': KLOG });
  const root = await tree({ 'logs/kube-proxy.log': KLOG });
  try {
    await symlink(join(root, 'logs', 'kube-proxy.log'), join(root, 'alias.log'));
    await symlink(join(outside, 'secret.log'), join(root, 'outside.log'));
    await symlink(outside, join(root, 'outside-dir'));
    await symlink(root, join(root, 'logs', 'loop'));
    await symlink(join(root, 'logs'), join(root, 'a-link-to-logs'));
    await symlink(join(root, 'nowhere'), join(root, 'broken.log'));
    execFileSync('mkfifo', [join(root, 'pipe.log')]);
    const diag = new DiagnosticList();
    const sources = await discoverSources([root], diag);
    assert.deepEqual(
      sources.map((s) => [s.display, s.setAside ?? null]),
      [
        // The file is read where it really is, not through the link met first.
        ['alias.log', 'duplicate of logs/kube-proxy.log'],
        ['logs/kube-proxy.log', null],
      ],
    );
    assert.deepEqual(diag.entries, [
      { file: 'broken.log', message: 'no such file or directory (ENOENT)' },
      { file: 'outside-dir', message: 'symbolic link out of the input tree, not followed' },
      { file: 'outside.log', message: 'symbolic link out of the input tree, not followed' },
      { file: 'pipe.log', message: 'not a regular file, skipped' },
    ]);
    // A FIFO named on the command line (`<(kubectl logs ...)`) is a source, read without sniffing.
    const [fifo] = await discoverSources([join(root, 'pipe.log')], diag);
    assert.equal(fifo?.display, join(root, 'pipe.log'));
    assert.equal(fifo?.setAside, undefined);
  } finally {
    await rm(root, { recursive: true, force: true });
    await rm(outside, { recursive: true, force: true });
  }
});

test('a node\'s /var/log/containers links into /var/log/pods are followed and give the pod UID', async () => {
  const id = 'ef'.repeat(32);
  const podLog = 'pods/kube-system_kube-proxy-5sj54_3e843632-6ff0-4a3c-b453-fb0485688c7c/kube-proxy/0.log';
  const root = await tree({ [podLog]: KLOG, 'containers/.keep': '' });
  try {
    const link = join(root, 'containers', `kube-proxy-5sj54_kube-system_kube-proxy-${id}.log`);
    await symlink(join(root, podLog), link);
    await symlink(join(root, podLog), join(root, 'containers', 'other-name.log'));
    const diag = new DiagnosticList();
    // Only containers/ given: the links lead out of it, into pods/.
    const sources = await discoverSources([join(root, 'containers')], diag);
    assert.deepEqual(
      sources.map((s) => [s.display, s.setAside ?? null, s.containerId ?? null, s.hints]),
      [
        ['.keep', null, null, {}],
        [
          `kube-proxy-5sj54_kube-system_kube-proxy-${id}.log`,
          null,
          id,
          {
            pod: { namespace: 'kube-system', name: 'kube-proxy-5sj54', uid: '3e843632-6ff0-4a3c-b453-fb0485688c7c', container: 'kube-proxy' },
            component: 'kube-proxy',
          },
        ],
      ],
    );
    assert.deepEqual(diag.entries, [{ file: 'other-name.log', message: 'symbolic link out of the input tree, not followed' }]);
    // The whole /var/log: the pods/ file is read, its containers/ link set aside.
    const all = await discoverSources([root], new DiagnosticList());
    assert.deepEqual(
      all.map((s) => [s.display, s.setAside ?? null]),
      [
        ['containers/.keep', null],
        [`containers/kube-proxy-5sj54_kube-system_kube-proxy-${id}.log`, `duplicate of ${podLog}`],
        ['containers/other-name.log', `duplicate of ${podLog}`],
        [podLog, null],
      ],
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

/**
 * Tests run as root, and root ignores permission bits: chmod 000 cannot produce EACCES there.
 * A filesystem double throws the error node would throw for an unprivileged user, at the two
 * places discovery can meet it (listing a folder, opening a file); the real chmod case runs too
 * and checks whichever outcome the current user must get.
 */
test('unreadable folders and files are reported and skipped, the rest is processed', async () => {
  const root = await tree({ 'locked/kubelet.log': KLOG, 'open/etcd.log': KLOG, 'open/secret.log': KLOG });
  const eacces = (syscall: string, path: string): Error =>
    Object.assign(new Error(`EACCES: permission denied, ${syscall} '${path}'`), { code: 'EACCES', syscall, path });
  const denying: DiscoveryFs = {
    ...nodeFs,
    readdir: async (path) => {
      if (path === join(root, 'locked')) throw eacces('scandir', path);
      return nodeFs.readdir(path);
    },
    readHead: async (path, max) => {
      if (path.endsWith('secret.log')) throw eacces('open', path);
      return nodeFs.readHead(path, max);
    },
  };
  try {
    const diag = new DiagnosticList();
    const sources = await discoverSources([root, join(root, 'missing')], diag, denying);
    assert.deepEqual(
      sources.map((s) => s.display),
      [`${root}/open/etcd.log`],
    );
    // Walk problems come first (all paths), then files that could not be opened for a look.
    assert.deepEqual(diag.entries, [
      { file: `${root}/locked`, message: 'permission denied (EACCES)' },
      { file: join(root, 'missing'), message: 'no such file or directory (ENOENT)' },
      { file: `${root}/open/secret.log`, message: 'permission denied (EACCES)' },
    ]);

    // The real thing: chmod 000 stops everyone but root.
    await chmod(join(root, 'locked'), 0o000);
    const realDiag = new DiagnosticList();
    const real = await discoverSources([root], realDiag);
    const rootBypasses = await readdir(join(root, 'locked')).then(
      () => true,
      () => false,
    );
    if (rootBypasses) {
      assert.equal(process.getuid?.(), 0);
      assert.deepEqual(real.map((s) => s.display), ['locked/kubelet.log', 'open/etcd.log', 'open/secret.log']);
      assert.deepEqual(realDiag.entries, []);
    } else {
      assert.deepEqual(real.map((s) => s.display), ['open/etcd.log', 'open/secret.log']);
      assert.deepEqual(realDiag.entries, [{ file: 'locked', message: 'permission denied (EACCES)' }]);
    }
  } finally {
    await chmod(join(root, 'locked'), 0o755);
    await rm(root, { recursive: true, force: true });
  }
});

test('splitRotation: stems and ages of rotated names', () => {
  const table: Array<[string, string, boolean, number, string]> = [
    ['kubelet.log', 'kubelet.log', true, 0, ''],
    ['kubelet.log.1', 'kubelet.log', false, 1, ''],
    ['kube-proxy.log.2.gz', 'kube-proxy.log', false, 2, ''],
    ['0.log.20250321-145123', '0.log', false, 0, '20250321145123'],
    ['0.log.20250321-145123.gz', '0.log', false, 0, '20250321145123'],
    ['messages-20250321', 'messages', false, 0, '20250321'],
    ['audit-2025-03-21T14-51-23.123.log', 'audit.log', false, 0, '20250321145123123'],
    ['etcd.log.gz', 'etcd.log', true, 0, ''],
    ['coredns-668d6bf9bc-79t94.log', 'coredns-668d6bf9bc-79t94.log', true, 0, ''],
  ];
  for (const [name, stem, live, num, stamp] of table) {
    const r = splitRotation(name);
    assert.deepEqual([r.stem, r.age.live, r.age.num, r.age.stamp], [stem, live, num, stamp], name);
  }
});

test('docker-era names: dockershim k8s_<container>_<pod>_<ns>_<uid>_<attempt> and /var/log/containers names anywhere', async () => {
  const uid = '8437a17a-a9d3-44a3-9148-855f75bdf034';
  const id = 'a'.repeat(64);
  await inTree(
    {
      [`dump/k8s_kube-apiserver_kube-apiserver-master1_kube-system_${uid}_2.log`]: KLOG,
      [`dump/k8s_POD_web-1_default_${uid}_0.log`]: KLOG,
      [`copied/coredns-668d6bf9bc-79t94_kube-system_coredns-${id}.log`]: KLOG,
    },
    async (root) => {
      const sources = byDisplay(await discoverSources([root], new DiagnosticList()));
      const api = sources.get(`dump/k8s_kube-apiserver_kube-apiserver-master1_kube-system_${uid}_2.log`)!;
      assert.deepEqual(api.hints, { pod: { namespace: 'kube-system', name: 'kube-apiserver-master1', uid, container: 'kube-apiserver' }, component: 'kube-apiserver' });
      const pause = sources.get(`dump/k8s_POD_web-1_default_${uid}_0.log`)!;
      assert.equal(pause.hints.component, 'other');
      assert.equal(pause.hints.pod?.name, 'web-1');
      const dns = sources.get(`copied/coredns-668d6bf9bc-79t94_kube-system_coredns-${id}.log`)!;
      assert.deepEqual(dns.hints, { pod: { namespace: 'kube-system', name: 'coredns-668d6bf9bc-79t94', container: 'coredns' }, component: 'coredns' });
      assert.equal(dns.containerId, id);
      assert.equal(dns.setAside, undefined);
    },
  );
});

test('archives in a folder or given by name are walked as folders, entries named inside them', async () => {
  const root = await tree({ 'plain/kube-scheduler.log': KLOG });
  try {
    execFileSync('tar', ['-czf', join(root, 'bundle.tar.gz'), '-C', join(root, 'plain'), 'kube-scheduler.log']);
    const diag = new DiagnosticList();
    const sources = await discoverSources([join(root, 'bundle.tar.gz')], diag);
    assert.deepEqual(diag.entries, []);
    assert.deepEqual(
      sources.map((s) => [s.display, s.hints.component, s.setAside]),
      [[`${join(root, 'bundle.tar.gz')}/kube-scheduler.log`, 'kube-scheduler', undefined]],
    );
  } finally {
    await rm(root, { recursive: true, force: true });
  }
});

test('not logs, by name or first line: tables, HTML, a Go timestamp record (describe snapshot series are read)', async () => {
  await inTree(
    {
      'top.csv': 'NAME,CPU(cores)\nnode1,10m\n',
      'describe.log.txt': 'idx,0,LOG_TIME,2023-08-30T04:47:01,2023-08-29T23:47:01\nName: x\n',
      'start_end_time.txt': 'start_time,UTC,2023-08-30T04:47:01,CDT,2023-08-29T23:47:01\n',
      'page.html': '<html></html>\n',
      timestamp: '2021-08-03 12:11:56.91501602 +0200 CEST m=+1.651641915\n',
      'kubelet.log': KLOG,
    },
    async (root) => {
      const sources = byDisplay(await discoverSources([root], new DiagnosticList()));
      assert.equal(sources.get('top.csv')!.setAside, 'not a log (table)');
      assert.equal(sources.get('describe.log.txt')!.setAside, undefined); // kubectl describe snapshots: read
      assert.equal(sources.get('start_end_time.txt')!.setAside, 'not a log (comma-separated table)');
      assert.equal(sources.get('page.html')!.setAside, 'not a log (HTML page)');
      assert.equal(sources.get('timestamp')!.setAside, 'not a log (a timestamp record)');
      assert.equal(sources.get('kubelet.log')!.setAside, undefined);
    },
  );
});
