import { test } from 'node:test';
import assert from 'node:assert/strict';
import { kindFromResource } from '../../../parsers/payload/k8s-kinds.js';

test('kindFromResource: resources, group-qualified resources, singulars and unknown ones', () => {
  const table: [string, string][] = [
    ['pods', 'Pod'],
    ['Pods', 'Pod'],
    ['pod', 'Pod'],
    ['replicasets', 'ReplicaSet'],
    ['replicasets.apps', 'ReplicaSet'],
    ['leases.coordination.k8s.io', 'Lease'],
    ['endpoints', 'Endpoints'],
    ['endpointslices', 'EndpointSlice'],
    ['minions', 'Node'],
    ['controllers', 'ReplicationController'],
    ['csinodes', 'CSINode'],
    ['apiservices', 'APIService'],
    ['ingresses', 'Ingress'],
    ['networkpolicies', 'NetworkPolicy'],
    ['customresourcedefinitions', 'CustomResourceDefinition'],
    ['horizontalpodautoscalers.autoscaling', 'HorizontalPodAutoscaler'],
    // Custom resources: a best-effort singular.
    ['widgets', 'Widget'],
    ['certificatepolicies', 'Certificatepolicy'],
    ['gatewayclasses', 'Gatewayclass'],
    ['boxes', 'Box'],
    ['status', 'Status'],
    ['statuses', 'Status'],
    ['storageclass', 'StorageClass'],
    // Hostile names are plain names.
    ['constructor', 'Constructor'],
    ['__proto__', '__proto__'],
    ['', ''],
  ];
  for (const [resource, kind] of table) assert.equal(kindFromResource(resource), kind, resource);
});
