/**
 * Generates the pipe-mode benchmark input: a CRI-enveloped stream (what `kubectl logs` and kind
 * bundles carry) mixing the payload formats of every component, in time order.
 */
import { createWriteStream } from 'node:fs';
import { once } from 'node:events';

function pad(n: number, w: number): string {
  return String(n).padStart(w, '0');
}

function klogTime(d: Date): string {
  return `${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)} ${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds() * 1000 + 123, 6)}`;
}

/** One payload line of kind i (cycling through the formats). */
function payload(i: number, d: Date): string {
  const n = i % 97;
  const uid = `${pad(n, 8)}-1f2e-4d3c-8b7a-${pad(i % 1000003, 12)}`;
  switch (i % 8) {
    case 0:
      return `I${klogTime(d)}       1 kubelet.go:2468] "SyncLoop UPDATE" source="api" pods=["default/web-${n}"]`;
    case 1:
      return `I${klogTime(d)}       1 kuberuntime_manager.go:1030] "Creating container in pod" containerType="" container="&Container{Name:web,Image:nginx:1.27,}" pod="default/web-${n}" podUID="${uid}"`;
    case 2:
      return `{"level":"warn","ts":"${d.toISOString()}","caller":"etcdserver/util.go:170","msg":"apply request took too long","took":"${100 + n}.5ms","expected-duration":"100ms","prefix":"read-only range ","request":"key:\\"/registry/pods/default/web-${n}\\" ","response":"range_response_count:1 size:${3000 + n}"}`;
    case 3:
      return `[INFO] 10.244.0.${n}:${40000 + n} - ${i % 65536} "A IN web-${n}.default.svc.cluster.local. udp 60 false 512" NOERROR qr,aa,rd 106 0.000${100 + n}s`;
    case 4:
      return `I${klogTime(d)}       1 schedule_one.go:314] "Successfully bound pod to node" pod="default/web-${n}" node="worker-${n % 3}" evaluatedNodes=3 feasibleNodes=3`;
    case 5:
      return `E${klogTime(d)}       1 pod_workers.go:1301] "Error syncing pod, skipping" err="failed to \\"StartContainer\\" for \\"web\\" with CrashLoopBackOff: \\"back-off 5m0s restarting failed container=web pod=web-${n}_default(${uid})\\"" pod="default/web-${n}" podUID="${uid}"`;
    case 6:
      return `I${klogTime(d)}       1 proxier.go:805] "Syncing iptables rules"`;
    default:
      return `I${klogTime(d)}       1 event.go:389] "Event occurred" object="default/web-${n}-7d9f8b" fieldPath="" kind="ReplicaSet" apiVersion="apps/v1" type="Normal" reason="SuccessfulCreate" message="Created pod: web-${n}-7d9f8b-x${n}"`;
  }
}

/** Writes `lines` CRI lines to `path`; returns the bytes written. */
export async function writePipeData(path: string, lines: number): Promise<number> {
  const out = createWriteStream(path);
  const start = Date.UTC(2025, 2, 21, 14, 0, 0);
  let bytes = 0;
  let chunk = '';
  for (let i = 0; i < lines; i++) {
    const d = new Date(start + i); // one millisecond apart
    const line = `${d.toISOString().replace('Z', '')}123456Z stderr F ${payload(i, d)}\n`;
    chunk += line;
    if (chunk.length > 1 << 20) {
      bytes += Buffer.byteLength(chunk);
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  bytes += Buffer.byteLength(chunk);
  out.end(chunk);
  await once(out, 'finish');
  return bytes;
}
