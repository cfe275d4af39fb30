/**
 * The scenarios' names alone, without the simulator: the command line declares `--scenario`
 * choices from this list and must not load the simulator to show `ktrail --help`.
 */
export const SCENARIOS = [
  'healthy-rollout',
  'image-pull-backoff',
  'crashloop',
  'unschedulable',
  'node-not-ready',
  'etcd-leader-loss',
  'dns-failure',
  'service-no-endpoints',
  'cni-failure',
  'pleg-not-healthy',
  'node-pressure',
  'volume-mount-failure',
  'admission-webhook-failure',
  'tls-failure',
  'leader-election-lost',
  'apiserver-etcd-unreachable',
  'eviction-churn',
  'mixed',
] as const;
export type ScenarioName = (typeof SCENARIOS)[number];

export function isScenario(s: string): s is ScenarioName {
  return (SCENARIOS as readonly string[]).includes(s);
}
