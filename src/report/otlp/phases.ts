/**
 * A pod's life in phases, derived from what the components said about it. Each event may be a
 * marker (table below); a marker moves the pod into a phase, and a phase lasts until the next
 * marker that moves it elsewhere. Markers that keep the pod where it is (a second "Pulling
 * image") extend the current phase; failure markers flag it as failed.
 *
 *   marker          from (examples)                                                   phase
 *   created         audit create pods, controller "Created pod"                        scheduling
 *   unschedulable   Event FailedScheduling, scheduler "Unable to schedule pod"         scheduling (failed)
 *   scheduled       Event Scheduled, scheduler "Successfully bound", audit pods/binding container setup
 *   pull-start      Event Pulling, "Pulling image"                                     image pull
 *   pull-done       Event Pulled, "Successfully pulled image", "already present"       container setup
 *   pull-failed     ErrImagePull, "Failed to pull image", "Back-off pulling image"     image pull (failed)
 *   started         Event Started, "Started container", "Observed pod startup"         container running
 *   exited          kubelet "container finished" / PLEG ContainerDied                  container exited (failed unless exit code 0)
 *   oom             OOMKilled                                                          container exited (failed)
 *   backoff         CrashLoopBackOff, "Back-off restarting failed container"           crash back-off (failed)
 *   terminating     Event Killing, "Killing container", SyncLoop DELETE, audit delete  terminating
 */
import type { KEvent } from '../../model/event.js';

export type Phase = 'scheduling' | 'container setup' | 'image pull' | 'container running' | 'container exited' | 'crash back-off' | 'terminating';

export interface Marker {
  phase: Phase;
  failed: boolean;
  /** Why the phase failed, for the span status. */
  reason?: string;
}

function reasonOf(e: KEvent): string | undefined {
  const r = e.fields.reason;
  return typeof r === 'string' ? r : undefined;
}

function exitCodeOf(e: KEvent): number | undefined {
  const v = e.fields.exitCode;
  if (typeof v === 'number') return v;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return undefined;
}

/** The marker an event is, or undefined. Cheap checks first: most events are no marker. */
export function markerOf(e: KEvent): Marker | undefined {
  const m = e.message;
  const reason = reasonOf(e);
  const first = (m.split('\n', 1)[0] ?? '').slice(0, 300);

  if (reason === 'FailedScheduling' || first.startsWith('Unable to schedule pod')) return { phase: 'scheduling', failed: true, reason: first };
  if (reason === 'Scheduled' || first.startsWith('Successfully bound pod') || first.startsWith('Successfully assigned')) {
    return { phase: 'container setup', failed: false };
  }
  if (e.component === 'audit' && /^create pods\/binding /.test(first)) return { phase: 'container setup', failed: false };
  if (e.component === 'audit' && /^create pods /.test(first)) return { phase: 'scheduling', failed: false };
  if (e.component === 'audit' && /^delete pods /.test(first)) return { phase: 'terminating', failed: false };

  if (/Back-off pulling image|ErrImagePull|ImagePullBackOff|Failed to pull image|PullImage .* failed/.test(first) || (reason === 'Failed' && /pull/i.test(first))) {
    return { phase: 'image pull', failed: true, reason: first };
  }
  if (reason === 'Pulling' || first.startsWith('Pulling image')) return { phase: 'image pull', failed: false };
  if (reason === 'Pulled' || first.includes('Successfully pulled image') || first.includes('already present on machine')) {
    return { phase: 'container setup', failed: false };
  }
  if (/CrashLoopBackOff|Back-off restarting failed container/.test(first)) return { phase: 'crash back-off', failed: true, reason: first };
  if (/OOMKilled|OOMKilling/.test(first) || reason === 'OOMKilling') return { phase: 'container exited', failed: true, reason: 'OOMKilled' };
  if (first.startsWith('Generic (PLEG): container finished') || first.includes('"Type":"ContainerDied"')) {
    const code = exitCodeOf(e);
    return { phase: 'container exited', failed: code !== 0, reason: code === undefined ? 'container died' : `exit code ${code}` };
  }
  if (reason === 'Started' || first.startsWith('Started container') || first.startsWith('Observed pod startup duration')) {
    return { phase: 'container running', failed: false };
  }
  if (reason === 'Killing' || first.startsWith('Killing container') || first.startsWith('SyncLoop DELETE')) return { phase: 'terminating', failed: false };
  return undefined;
}

/**
 * Kubernetes Events carry whole-second timestamps: one written at 12:00:01.000 happened somewhere
 * in [01.000, 02.000), most often after the precise log lines of that second that led to it
 * (the binding, then "Scheduled"). Placing them at the end of their second keeps phases in the
 * order things happened; a precise time is used as it is.
 */
export function effectiveTime(e: KEvent): number {
  return e.component === 'event' && e.time % 1_000_000 === 0 ? e.time + 999_999 : e.time;
}

/** Phases a container only reaches once it has been set up and started. */
const STARTED: ReadonlySet<string> = new Set(['container running', 'container exited', 'crash back-off']);

/**
 * A late word about an earlier step ("Pulled" or "Scheduled" Events logged after the kubelet saw
 * the container start, "Started" after it was stopped) must not move the pod back.
 */
function goesBack(current: string, marker: Marker): boolean {
  if (marker.failed) return false;
  if (current === 'terminating') return true;
  return marker.phase === 'container setup' && STARTED.has(current);
}

export interface PhaseSpan {
  phase: Phase;
  /** Epoch microseconds. */
  start: number;
  end: number;
  failed: boolean;
  reason?: string;
  /** Events (indexes into the input) that fall in it. */
  events: number[];
}

/**
 * A pod's events (time order) to its phases. Events before the first marker belong to the first
 * phase; a pod whose logs start when it already ran (no marker until later) starts in "observed",
 * which is a span of its own only if something happened before the first marker.
 */
export function podPhases(events: readonly KEvent[]): (PhaseSpan | (Omit<PhaseSpan, 'phase'> & { phase: 'observed' }))[] {
  const out: (PhaseSpan | (Omit<PhaseSpan, 'phase'> & { phase: 'observed' }))[] = [];
  if (events.length === 0) return out;
  const order = events.map((e, i) => ({ i, at: effectiveTime(e) })).sort((a, b) => a.at - b.at || a.i - b.i);
  const t0 = order[0]!.at;
  let current: (typeof out)[number] = { phase: 'observed', start: t0, end: t0, failed: false, events: [] };
  out.push(current);
  for (const { i, at } of order) {
    const marker = markerOf(events[i]!);
    if (marker && marker.phase !== current.phase && !goesBack(current.phase, marker)) {
      current.end = at;
      current = { phase: marker.phase, start: at, end: at, failed: false, events: [] };
      out.push(current);
    }
    if (marker?.failed) {
      current.failed = true;
      current.reason ??= marker.reason;
    }
    current.events.push(i);
    current.end = Math.max(current.end, at);
  }
  // "observed" with nothing in it (the first event was a marker) is no phase at all.
  return out.filter((p) => p.events.length > 0 || p.phase !== 'observed');
}
