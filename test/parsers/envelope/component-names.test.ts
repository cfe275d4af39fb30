import { test } from 'node:test';
import assert from 'node:assert/strict';
import { componentFromName, isAllInOneName } from '../../../parsers/envelope/component-names.js';
import { assertEachGives } from '../../helpers/table.js';

test('componentFromName: container, service, section, pod and file names', () => {
  assertEachGives<string, string | undefined>(componentFromName, [
    // container names and minikube sections
    ['etcd', 'etcd'],
    ['kube-apiserver', 'kube-apiserver'],
    ['kube-scheduler', 'kube-scheduler'],
    ['kube-controller-manager', 'kube-controller-manager'],
    ['kube-proxy', 'kube-proxy'],
    ['coredns', 'coredns'],
    ['CoreDNS', 'coredns'],
    ['kubelet', 'kubelet'],
    ['kubenswrapper', 'kubelet'],
    ['hyperkube-kubelet', 'kubelet'],
    // pod names, compose replicas, file names
    ['etcd-kind-control-plane', 'etcd'],
    ['kube-apiserver-minikube', 'kube-apiserver'],
    ['coredns-668d6bf9bc-79t94', 'coredns'],
    ['kube-proxy-5sj54', 'kube-proxy'],
    ['kube-proxy-1', 'kube-proxy'],
    ['kube-scheduler_1', 'kube-scheduler'],
    ['kube-apiserver.log', 'kube-apiserver'],
    ['kubelet.log.1.gz', 'kubelet'],
    ['etcd-ip-10-0-187-218.ec2.internal', 'etcd'],
    ['kube-controller-manager-kind-control-plane_kube-system_kube-controller-manager-0e57.log', 'kube-controller-manager'],
    // not the component although the name starts like it
    ['etcdctl', undefined],
    ['etcd-operator', 'other'],
    ['kube-apiserver-cert-syncer', 'other'],
    ['kube-apiserver-check-endpoints', 'other'],
    ['kubelet-csr-approver', 'kubelet'],
    ['kube-proxyfoo', undefined],
    // known non-cluster writers
    ['storage-provisioner', 'other'],
    ['kindnet-cni', 'other'],
    ['kindnet-2bmbv', 'other'],
    ['local-path-provisioner-7dc846544d-tv2vd', 'other'],
    ['Docker', 'other'],
    ['dmesg', 'other'],
    ['kernel', 'other'],
    ['Last Start', 'other'],
    ['containerd', 'other'],
    ['containerd.log', 'other'],
    ['systemd', 'other'],
    // nothing to say: applications, all-in-one binaries, empty
    ['nginx', undefined],
    ['journal.log', undefined],
    ['k3s', undefined],
    ['k3s-server', undefined],
    ['audit.log', undefined],
    ['', undefined],
  ]);
});

test('isAllInOneName: k3s and hyperkube run every component in one process', () => {
  assert.equal(isAllInOneName('k3s'), true);
  assert.equal(isAllInOneName('K3S-agent'), true);
  assert.equal(isAllInOneName('hyperkube'), true);
  assert.equal(isAllInOneName('kubelet'), false);
});
