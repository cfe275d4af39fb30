/**
 * kube-proxy messages: startup from the kind-1.32 bundle; the sync cycle from pkg/proxy/iptables/
 * proxier.go (v1.32, at -v=2); the 1.20 unstructured forms from the docker-json kube-proxy capture.
 */
import { klog, klogf } from './define.js';

export const KUBE_PROXY = {
  nodeIps: klog('proxy.nodeIps', 'I', 0, 'app/server.go:698', 'Successfully retrieved node IP(s)', ['IPs']),
  setSysctl: klog('proxy.setSysctl', 'I', 0, 'app/conntrack.go:121', 'Set sysctl', ['entry', 'value']),
  incomplete: klog('proxy.incomplete', 'E', 0, 'app/server.go:234', 'Kube-proxy configuration may be incomplete or incorrect', ['err']),
  dualStack: klog('proxy.dualStack', 'I', 0, 'app/server.go:243', 'kube-proxy running in dual-stack mode', ['primary ipFamily']),
  usingIptables: klog('proxy.usingIptables', 'I', 0, 'app/server_linux.go:170', 'Using iptables Proxier'),
  nfacct: klog('proxy.nfacct', 'E', 0, 'iptables/proxier.go:283', "Failed to create nfacct runner, nfacct based metrics won't be available", ['err', 'ipFamily']),
  version: klog('proxy.version', 'I', 0, 'app/server.go:497', 'Version info', ['version']),
  golang: klog('proxy.golang', 'I', 0, 'app/server.go:499', 'Golang settings', ['GOGC', 'GOMAXPROCS', 'GOTRACEBACK']),
  sliceController: klog('proxy.sliceController', 'I', 0, 'config/config.go:105', 'Starting endpoint slice config controller'),
  nodeController: klog('proxy.nodeController', 'I', 0, 'config/config.go:329', 'Starting node config controller'),
  serviceController: klog('proxy.serviceController', 'I', 0, 'config/config.go:199', 'Starting service config controller'),
  waitingCaches: klogf('proxy.waitingCaches', 'I', 0, 'cache/shared_informer.go:313', 'Waiting for caches to sync for {name}'),
  cachesSynced: klogf('proxy.cachesSynced', 'I', 0, 'cache/shared_informer.go:320', 'Caches are synced for {name}'),

  syncing: klog('proxy.syncing', 'I', 2, 'iptables/proxier.go:828', 'Syncing iptables rules', ['ipFamily'], 'Syncing iptables rules'),
  reloading: klog('proxy.reloading', 'I', 2, 'iptables/proxier.go:1530', 'Reloading service iptables data', [
    'ipFamily',
    'numServices',
    'numEndpoints',
    'numFilterChains',
    'numFilterRules',
    'numNATChains',
    'numNATRules',
  ]),
  syncComplete: klog('proxy.syncComplete', 'I', 2, 'iptables/proxier.go:822', 'SyncProxyRules complete', ['ipFamily', 'elapsed'], 'syncProxyRules took {elapsed}'),
  serviceUpdated: klogf('proxy.serviceUpdated', 'I', 2, 'proxy/service.go:275', 'Service {service} updated: {ports} ports'),
  addingPort: klogf('proxy.addingPort', 'I', 2, 'proxy/service.go:390', 'Adding new service port "{portName}" at {servicePort}'),
  removingPort: klogf('proxy.removingPort', 'I', 2, 'proxy/service.go:415', 'Removing service port "{portName}"'),
};
