import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { callerFile, componentFromCaller } from '../../../parsers/payload/klog-callers.js';
import type { Component } from '../../../src/model/event.js';
import { corpus, corpusSkip } from '../../helpers/paths.js';
import { assertEachGives } from '../../helpers/table.js';

test('callers map to a component only when the file is unique to one', () => {
  assertEachGives<string, Component | undefined>(componentFromCaller, [
    ['kubelet.go:2453', 'kubelet'],
    ['pod_workers.go:1301', 'kubelet'],
    ['kuberuntime_manager.go:1081', 'kubelet'],
    ['pkg/kubelet/kuberuntime/kuberuntime_container.go:12', 'kubelet'],
    ['prober.go:107', 'kubelet'],
    ['schedule_one.go:314', 'kube-scheduler'],
    ['scheduler.go:604', 'kube-scheduler'],
    ['proxier.go:800', 'kube-proxy'],
    ['server_others.go:206', 'kube-proxy'],
    ['replica_set.go:679', 'kube-controller-manager'],
    ['deployment_controller.go:173', 'kube-controller-manager'],
    ['node_lifecycle_controller.go:886', 'kube-controller-manager'],
    ['httplog.go:89', 'kube-apiserver'],
    ['alloc.go:330', 'kube-apiserver'],
    ['cacher.go:402', 'kube-apiserver'],
    // Shared by several components (in the corpus or in the source tree).
    ['event.go:389', undefined],
    ['trace.go:205', undefined],
    ['reflector.go:569', undefined],
    ['leaderelection.go:248', undefined],
    ['shared_informer.go:313', undefined],
    ['server.go:166', undefined],
    ['healthz.go:243', undefined],
    ['csi_plugin.go:1', undefined],
    ['server_linux.go:170', undefined],
    ['', undefined],
    ['constructor', undefined],
    ['__proto__:1', undefined],
  ]);
  assert.equal(callerFile('k8s.io/kubernetes/pkg/kubelet/kubelet.go:2453'), 'kubelet.go');
  assert.equal(callerFile('kubelet.go'), 'kubelet.go');
});

const HEADER = /^[IWEF]\d{4} [\d:.]+ +\d+ ([^\s\]]+)\]/;

function callersOf(lines: Iterable<string>): string[] {
  const out: string[] = [];
  for (const line of lines) {
    const m = HEADER.exec(line);
    if (m) out.push(m[1]!);
  }
  return out;
}

function read(path: string): string[] {
  return readFileSync(path, 'utf8').split('\n');
}

/** Every corpus source whose writer is known, with the callers of its klog lines. */
function sources(): { component: Component; name: string; callers: string[] }[] {
  const out: { component: Component; name: string; callers: string[] }[] = [];
  out.push({ component: 'kube-apiserver', name: 'raw apiserver', callers: callersOf(read(corpus('raw-klog-1.19', 'kube-apiserver.log'))) });
  out.push({ component: 'kubelet', name: 'raw kubelet', callers: callersOf(read(corpus('raw-klog-1.19', 'kubelet.log'))) });
  const containers = corpus('kind-1.32-bundle', 'kind-control-plane', 'containers');
  const byPrefix: [string, Component][] = [
    ['kube-apiserver-', 'kube-apiserver'],
    ['kube-controller-manager-', 'kube-controller-manager'],
    ['kube-scheduler-', 'kube-scheduler'],
    ['kube-proxy-', 'kube-proxy'],
  ];
  for (const f of readdirSync(containers)) {
    const hit = byPrefix.find(([p]) => f.startsWith(p));
    if (!hit) continue;
    const lines = read(`${containers}/${f}`).map((l) => l.replace(/^\S+ (?:stdout|stderr) [FP] /, ''));
    out.push({ component: hit[1], name: f.slice(0, 30), callers: callersOf(lines) });
  }
  const journal = (path: string, ident: RegExp): string[] => read(path).map((l) => l.replace(ident, ''));
  out.push({ component: 'kubelet', name: 'kind kubelet', callers: callersOf(journal(corpus('kind-1.32-bundle', 'kind-control-plane', 'kubelet.log'), /^.*? kubelet\[\d+\]: /)) });
  out.push({ component: 'kubelet', name: 'openshift', callers: callersOf(journal(corpus('openshift-kubelet-journal', 'kubelet_230525.log'), /^.*? kubenswrapper\[\d+\]: /)) });
  for (const f of readdirSync(corpus('compose-logs'))) {
    const component = f.replace(/\.log$/, '') as Component;
    out.push({ component, name: `compose ${f}`, callers: callersOf(read(corpus('compose-logs', f)).map((l) => l.replace(/^\S+-\d+ +\| /, ''))) });
  }
  const kubeProxyJson = read(corpus('docker-json-kube-proxy', 'kube-proxy.log'))
    .filter((l) => l.startsWith('{'))
    .map((l) => String((JSON.parse(l) as { log?: unknown }).log ?? ''));
  out.push({ component: 'kube-proxy', name: 'docker-json kube-proxy', callers: callersOf(kubeProxyJson) });
  // minikube logs: one section per component.
  let section: Component | undefined;
  const bySection = new Map<Component, string[]>();
  for (const line of read(corpus('minikube-logs', 'minikube_logs.txt'))) {
    const m = /^==> (\S+)/.exec(line);
    if (m) {
      const name = m[1]!;
      section = (['kube-apiserver', 'kube-controller-manager', 'kube-scheduler', 'kube-proxy', 'kubelet'] as const).find((c) => c === name);
      continue;
    }
    if (!section) continue;
    const list = bySection.get(section) ?? [];
    list.push(section === 'kubelet' ? line.replace(/^.*? kubelet\[\d+\]: /, '') : line);
    bySection.set(section, list);
  }
  for (const [component, lines] of bySection) out.push({ component, name: `minikube ${component}`, callers: callersOf(lines) });
  return out;
}

test('corpus: no caller maps to a component other than the one that wrote it', { skip: corpusSkip() }, () => {
  const all = sources();
  assert.ok(all.length >= 15, `corpus sources found: ${all.length}`);
  const confirmed = new Set<string>();
  for (const source of all) {
    assert.ok(source.callers.length > 0, `no klog line in ${source.name}`);
    for (const caller of source.callers) {
      const got = componentFromCaller(caller);
      if (got === undefined) continue;
      assert.equal(got, source.component, `${caller} in ${source.name}`);
      confirmed.add(callerFile(caller));
    }
  }
  // The corpus exercises a good share of the table. Its scheduler lines all come from shared
  // files (reflector.go, server.go, leaderelection.go...), so the scheduler's entries are from the
  // source tree only.
  assert.ok(confirmed.size >= 80, `only ${confirmed.size} mapped files seen in the corpus`);
  const components = new Set([...confirmed].map((f) => componentFromCaller(f)));
  assert.deepEqual([...components].sort(), ['kube-apiserver', 'kube-controller-manager', 'kube-proxy', 'kubelet']);
});
