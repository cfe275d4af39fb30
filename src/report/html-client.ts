/**
 * The HTML report's script, written as a self-contained function so that the compiler checks it
 * and html.ts embeds its source (`(fn)()`). It reads the report's data from the JSON block, builds
 * the timeline (a lane per component, incident bands, event marks), and handles zoom (wheel,
 * buttons), panning (drag) and clicks (an event's raw line in the detail pane).
 *
 * Log text only ever reaches the page through textContent or title: never innerHTML.
 * It must not refer to anything outside itself (imports, module constants): only its own body
 * is embedded.
 */
/* eslint-disable */
export function timelineClient(): void {
  interface Lane { name: string; events: number; histogram: number[]; warnings: number[] }
  interface Ev { id: number; t: number; lane: number; s: number; time: string; host: string | null; file: string; line: number; msg: string; raw: string; inc: number[] }
  interface Inc { id: number; kind: string; severity: string; status: string; root: string; summary: string; start: number; end: number; lanes: number[] }
  interface Data { title: string; result: string; origin: number; span: number; lanes: Lane[]; incidents: Inc[]; events: Ev[]; omitted: number }

  const source = document.getElementById('ktrail-data');
  const box = document.getElementById('timeline');
  if (!source || !box) return;
  const data = JSON.parse(source.textContent || '{}') as Data;
  const SEVERITIES = ['debug', 'info', 'warn', 'error', 'fatal'];
  const MIN_SPAN = 20; // ms: the closest zoom
  const span = Math.max(1, data.span);
  let from = 0;
  let to = span;

  function el(tag: string, cls?: string, text?: string): HTMLElement {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined) e.textContent = text;
    return e;
  }

  const axis = el('div', 'axis');
  const lanesBox = el('div', 'lanes');
  const bandLayer = el('div', 'bands');
  box.append(axis, lanesBox);

  const canvases: HTMLCanvasElement[] = [];
  const marks: { node: HTMLElement; ev: Ev }[] = [];
  const tracks: HTMLElement[] = [];
  data.lanes.forEach((lane) => {
    const row = el('div', 'lane');
    row.dataset.component = lane.name;
    const label = el('div', 'lane-label');
    label.append(el('span', 'lane-name', lane.name), el('span', 'lane-count', lane.events.toLocaleString('en-US')));
    const track = el('div', 'track');
    const canvas = document.createElement('canvas');
    canvas.className = 'density';
    track.append(canvas);
    canvases.push(canvas);
    tracks.push(track);
    row.append(label, track);
    lanesBox.append(row);
  });
  // The band layer spans every track: it sits over the lanes, to the right of the labels.
  lanesBox.append(bandLayer);

  const bands: { node: HTMLElement; inc: Inc }[] = data.incidents.map((inc) => {
    const b = el('div', `band sev-${inc.severity} status-${inc.status}`);
    b.dataset.incident = String(inc.id);
    b.title = `${inc.severity} ${inc.kind}: ${inc.root}\n${inc.summary}`;
    bandLayer.append(b);
    return { node: b, inc };
  });

  data.events.forEach((ev) => {
    const m = el('div', `ev sev-${SEVERITIES[ev.s] || 'info'}${ev.inc.length ? ' evidence' : ''}`);
    m.dataset.id = String(ev.id);
    m.title = ev.msg;
    const track = tracks[ev.lane];
    if (!track) return;
    track.append(m);
    marks.push({ node: m, ev });
    m.addEventListener('click', (e) => {
      e.stopPropagation();
      select(ev, m);
    });
  });

  const zoomLabel = document.getElementById('zoom-level');
  const rangeLabel = document.getElementById('view-range');

  function pct(t: number): number {
    return ((t - from) / (to - from)) * 100;
  }

  function fmtTime(ms: number, step: number): string {
    const iso = new Date(data.origin + ms).toISOString();
    return step < 1000 ? iso.slice(11, 23) : iso.slice(11, 19);
  }

  function drawAxis(): void {
    axis.textContent = '';
    const width = to - from;
    const steps = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10000, 15000, 30000, 60000, 120000, 300000, 600000, 900000, 1800000, 3600000, 7200000, 21600000, 43200000, 86400000];
    let step = steps[steps.length - 1]!;
    for (const s of steps) if (width / s <= 10) { step = s; break; }
    const first = Math.ceil((data.origin + from) / step) * step - data.origin;
    for (let t = first; t <= to; t += step) {
      const tick = el('div', 'tick', fmtTime(t, step));
      tick.style.left = `${pct(t)}%`;
      axis.append(tick);
    }
  }

  function drawDensity(): void {
    data.lanes.forEach((lane, i) => {
      const c = canvases[i]!;
      const w = c.clientWidth || 600;
      const h = c.clientHeight || 28;
      c.width = w;
      c.height = h;
      const ctx = c.getContext('2d');
      if (!ctx) return;
      ctx.clearRect(0, 0, w, h);
      const n = lane.histogram.length;
      const bucket = span / n;
      let peak = 1;
      for (const v of lane.histogram) peak = Math.max(peak, v);
      for (let b = 0; b < n; b++) {
        const t0 = b * bucket;
        const t1 = t0 + bucket;
        if (t1 < from || t0 > to) continue;
        const x0 = (pct(t0) / 100) * w;
        const x1 = (pct(t1) / 100) * w;
        const all = lane.histogram[b]!;
        const warn = lane.warnings[b]!;
        const hAll = (Math.log1p(all) / Math.log1p(peak)) * (h - 2);
        ctx.fillStyle = 'rgba(120,140,170,0.35)';
        ctx.fillRect(x0, h - hAll, Math.max(1, x1 - x0 - 0.5), hAll);
        if (warn) {
          const hWarn = (Math.log1p(warn) / Math.log1p(peak)) * (h - 2);
          ctx.fillStyle = 'rgba(220,120,40,0.55)';
          ctx.fillRect(x0, h - hWarn, Math.max(1, x1 - x0 - 0.5), hWarn);
        }
      }
    });
  }

  function render(): void {
    for (const { node, ev } of marks) {
      const visible = ev.t >= from && ev.t <= to;
      node.style.display = visible ? '' : 'none';
      if (visible) node.style.left = `${pct(ev.t)}%`;
    }
    for (const { node, inc } of bands) {
      const a = Math.max(from, inc.start);
      const b = Math.min(to, Math.max(inc.end, inc.start));
      const visible = b >= a;
      node.style.display = visible ? '' : 'none';
      if (!visible) continue;
      node.style.left = `${pct(a)}%`;
      // A band stays visible however short the incident: at least a few pixels wide.
      node.style.width = `max(3px, ${pct(b) - pct(a)}%)`;
    }
    drawAxis();
    drawDensity();
    if (zoomLabel) zoomLabel.textContent = `${(span / (to - from)).toFixed(to - from < span / 10 ? 0 : 1)}×`;
    if (rangeLabel) rangeLabel.textContent = `${new Date(data.origin + from).toISOString()} – ${new Date(data.origin + to).toISOString()}`;
  }

  function setView(a: number, b: number): void {
    let w = Math.min(span, Math.max(MIN_SPAN, b - a));
    let start = a;
    if (start < 0) start = 0;
    if (start + w > span) start = span - w;
    from = Math.max(0, start);
    to = from + w;
    render();
  }

  function zoomAt(center: number, factor: number): void {
    const w = to - from;
    const nw = Math.min(span, Math.max(MIN_SPAN, w * factor));
    const a = center - (center - from) * (nw / w);
    setView(a, a + nw);
  }

  function timeAtX(clientX: number): number {
    const track = tracks[0];
    if (!track) return (from + to) / 2;
    const r = track.getBoundingClientRect();
    return from + ((clientX - r.left) / Math.max(1, r.width)) * (to - from);
  }

  lanesBox.addEventListener(
    'wheel',
    (e: WheelEvent) => {
      e.preventDefault();
      if (Math.abs(e.deltaX) > Math.abs(e.deltaY)) {
        const shift = (e.deltaX / Math.max(1, lanesBox.clientWidth)) * (to - from);
        setView(from + shift, to + shift);
      } else zoomAt(timeAtX(e.clientX), Math.exp(e.deltaY * 0.0015));
    },
    { passive: false },
  );

  let drag: { x: number; from: number; to: number } | undefined;
  lanesBox.addEventListener('mousedown', (e: MouseEvent) => {
    drag = { x: e.clientX, from, to };
  });
  window.addEventListener('mousemove', (e: MouseEvent) => {
    if (!drag || !tracks[0]) return;
    const dt = ((e.clientX - drag.x) / Math.max(1, tracks[0].clientWidth)) * (drag.to - drag.from);
    if (Math.abs(e.clientX - drag.x) > 2) setView(drag.from - dt, drag.to - dt);
  });
  window.addEventListener('mouseup', () => {
    drag = undefined;
  });

  const button = (id: string, f: () => void): void => {
    const b = document.getElementById(id);
    if (b) b.addEventListener('click', f);
  };
  button('zoom-in', () => zoomAt((from + to) / 2, 0.5));
  button('zoom-out', () => zoomAt((from + to) / 2, 2));
  button('zoom-reset', () => setView(0, span));

  // The incidents table (rendered by the page) zooms to an incident when a row is clicked.
  document.querySelectorAll<HTMLElement>('[data-zoom-incident]').forEach((row) => {
    row.addEventListener('click', () => {
      const inc = data.incidents.find((i) => String(i.id) === row.dataset.zoomIncident);
      if (!inc) return;
      const pad = Math.max(1000, (inc.end - inc.start) * 0.1);
      setView(inc.start - pad, inc.end + pad);
      box.scrollIntoView({ behavior: 'smooth', block: 'start' });
    });
  });

  let selected: HTMLElement | undefined;
  function select(ev: Ev, node: HTMLElement): void {
    if (selected) selected.classList.remove('selected');
    selected = node;
    node.classList.add('selected');
    const set = (id: string, text: string): void => {
      const t = document.getElementById(id);
      if (t) t.textContent = text;
    };
    set('detail-time', ev.time);
    set('detail-component', data.lanes[ev.lane] ? data.lanes[ev.lane]!.name : '');
    set('detail-host', ev.host || '-');
    set('detail-severity', SEVERITIES[ev.s] || '');
    set('detail-source', `${ev.file}:${ev.line}`);
    set('detail-incidents', ev.inc.length ? ev.inc.map((id) => `#${id}`).join(', ') : '-');
    set('detail-raw', ev.raw);
    const pane = document.getElementById('detail');
    if (pane) pane.hidden = false;
  }

  window.addEventListener('resize', () => render());
  const note = document.getElementById('marks-note');
  if (note) note.textContent = `${data.events.length.toLocaleString('en-US')} events marked${data.omitted ? `, ${data.omitted.toLocaleString('en-US')} more in the density bars` : ''}`;
  render();
  document.body.dataset.ready = 'true';
}
