import { test } from 'node:test';
import { kindFromResource } from '../../../parsers/payload/k8s-kinds.js';
import { assertEachGives } from '../../helpers/table.js';

test('kindFromResource: resources, group-qualified resources, singulars and unknown ones', () => {
  assertEachGives<string, string>(kindFromResource, [
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
  ]);
});
