/**
 * Follow mode and the deferred overview. Counts and the histogram read much more than a screen,
 * so they are computed after a screen is drawn (the App calls runPending once it has rendered);
 * while following, new events are picked up on each poll and the overview is recounted at a
 * bounded rate.
 */
import type { Overview, TuiState } from './state.js';

/** Follow mode recounts and redraws the histogram at most this often (milliseconds). */
const OVERVIEW_REFRESH_MS = 2000;

function overviewCurrent(s: TuiState): boolean {
  return s.overview !== undefined && s.overview.filter === s.filter?.text && s.overview.width === s.width;
}

/** Milliseconds until deferred work is due (0: now; undefined: nothing to do). */
export function pendingDelay(s: TuiState): number | undefined {
  if (!overviewCurrent(s)) return 0;
  if (s.overviewDueAt > 0) return Math.max(0, s.overviewDueAt - s.clock());
  return undefined;
}

/** Counts the (filtered) events and draws the histogram for the current filter and width. */
export function runPending(s: TuiState): void {
  s.overviewDueAt = 0;
  const started = s.clock();
  const sql = s.activeFilter();
  const overview: Overview = { filter: s.filter?.text, width: s.width };
  overview.count = s.model.count(sql);
  // The histogram spans all the data (filtered or not) so that its columns keep their times.
  const b = s.dataBounds;
  if (b) overview.histogram = s.model.histogram(b.first.time, b.last.time, s.width, sql);
  s.overview = overview;
  s.lastOverviewAt = s.clock();
  s.lastOverviewCost = s.lastOverviewAt - started;
}

/** Called periodically while following: picks up new events. True when the screen changed. */
export function poll(s: TuiState): boolean {
  if (!s.follow || !s.model.dataChanged()) return false;
  s.win.invalidate();
  s.dataBounds = s.model.bounds();
  if (s.pinned) s.win.end();
  else s.win.reload();
  // Recount while events pour in, but not more often than every OVERVIEW_REFRESH_MS, and
  // spending at most a tenth of the time on it (a line filter over a million events is slow).
  const every = Math.max(OVERVIEW_REFRESH_MS, 10 * s.lastOverviewCost);
  if (s.overviewDueAt === 0) s.overviewDueAt = Math.max(s.clock(), s.lastOverviewAt + every);
  s.loadDetail();
  return true;
}

/** Follow mode at start: the selection on the last event, pinned there. */
export function startFollowing(s: TuiState): void {
  s.win.end();
  s.pinned = true;
  s.onFollow?.(true);
}

/** `F`: follow on (the event list, at its end) or off. */
export function toggleFollow(s: TuiState): void {
  s.follow = !s.follow;
  s.onFollow?.(s.follow);
  if (s.follow) {
    s.model.dataChanged(); // take the store as it is now
    s.win.invalidate();
    s.dataBounds = s.model.bounds();
    s.stack.length = 0;
    s.relayout();
    s.win.end();
    s.pinned = true;
    s.overviewDueAt = s.clock();
    s.loadDetail();
    s.flash('following: new events appear at the end');
  } else {
    s.flash('follow off');
  }
}

/** After a key: new events scroll into view only if the key left the selection on the last one. */
export function updatePinned(s: TuiState): void {
  if (s.follow && !s.input && !s.top()) s.pinned = s.win.atEnd();
}
