/**
 * The HTML report opened in headless Chromium (Debian's chromium, found on PATH, through playwright-core):
 * a lane per component, a band per incident, zoom by buttons and wheel, a click on an event shows
 * its raw line, no request leaves the page, and log text never becomes markup.
 *
 * KTRAIL_UPDATE_DOCS=1 also saves the screenshot as docs/ci-report.png.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { runCi } from '../../../src/cli/ci.js';
import type { Diagnostics } from '../../../src/cli/diagnostics.js';
import type { HtmlData } from '../../../src/report/html-data.js';
import type { CiReport } from '../../../src/report/types.js';
import { runSimulation } from '../../../src/sim/index.js';
import { repoRoot } from '../../helpers/paths.js';
import { needChromium } from '../../helpers/require.js';

// Without chromium the tests skip naming it, or fail the run under CI (test/helpers/require.ts).
const chromiumNeed = needChromium();

const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

let work = '';
let browser: Browser | undefined;

const quiet: Diagnostics = { warn: () => undefined, count: 0 };
const io = { stdout: { write: () => true }, stderr: { write: () => true }, env: { NO_COLOR: '1' } };

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'ktrail-html-test-'));
  if (chromiumNeed.path) browser = await chromium.launch({ executablePath: chromiumNeed.path, args: CHROMIUM_FLAGS });
});

after(async () => {
  await browser?.close();
  if (work) await rm(work, { recursive: true, force: true });
});

/** Opens a report, failing the test on any script error or on any request other than the file itself. */
async function open(file: string): Promise<{ page: Page; errors: string[]; requests: string[] }> {
  const page = await browser!.newPage({ viewport: { width: 1400, height: 900 } });
  const errors: string[] = [];
  const requests: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  page.on('request', (r) => requests.push(r.url()));
  await page.goto(pathToFileURL(file).href);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 10_000 });
  return { page, errors, requests };
}

test('the mixed scenario: lanes, incident bands, zoom, raw lines, no network', { skip: chromiumNeed.skip }, async () => {
  await runSimulation({ scenario: 'mixed', seed: 1, out: join(work, 'mixed') });
  const html = join(work, 'report.html');
  const json = join(work, 'report.json');
  const code = await runCi(join(work, 'mixed', 'bundle'), { html, json, db: join(work, 'mixed.db') }, quiet, io);
  assert.equal(code, 1);
  const report = JSON.parse(readFileSync(json, 'utf8')) as CiReport;

  const { page, errors, requests } = await open(html);
  assert.equal(await page.locator('.lane').count(), report.components.length);
  assert.deepEqual(await page.locator('.lane .lane-name').allTextContents(), report.components.map((c) => c.component));
  assert.equal(await page.locator('.band').count(), report.incidents.length);
  assert.equal(await page.locator('.band.sev-error').count(), report.incidents.filter((i) => i.severity === 'error').length);
  assert.equal(await page.locator('#incidents tbody tr').count(), report.incidents.length);

  // Every band is drawn with a width inside the timeline.
  const boxes = await page.locator('.band').evaluateAll((els) => els.map((e) => (e as HTMLElement).getBoundingClientRect().width));
  assert.ok(boxes.length > 0, 'the mixed scenario has incident bands');
  assert.ok(boxes.every((w) => w >= 2), JSON.stringify(boxes));

  // Zoom: buttons, wheel, reset.
  assert.equal(await page.textContent('#zoom-level'), '1.0×');
  await page.click('#zoom-in');
  assert.equal(await page.textContent('#zoom-level'), '2.0×');
  await page.click('#zoom-in');
  assert.equal(await page.textContent('#zoom-level'), '4.0×');
  await page.click('#zoom-reset');
  assert.equal(await page.textContent('#zoom-level'), '1.0×');
  const track = page.locator('.lane .track').first();
  const tb = (await track.boundingBox())!;
  await page.mouse.move(tb.x + tb.width / 2, tb.y + tb.height / 2);
  await page.mouse.wheel(0, -600);
  const zoomed = Number((await page.textContent('#zoom-level'))!.replace('×', ''));
  assert.ok(zoomed > 2, `wheel zoomed in to ${zoomed}×`);
  await page.click('#zoom-reset');

  // A click on an evidence mark shows its raw line, exactly.
  const data = JSON.parse((await page.textContent('#ktrail-data'))!) as HtmlData;
  const mark = page.locator('.ev.evidence').first();
  const id = Number(await mark.getAttribute('data-id'));
  await mark.dispatchEvent('click');
  const ev = data.events.find((e) => e.id === id)!;
  assert.equal(await page.textContent('#detail-raw'), ev.raw);
  assert.equal(await page.textContent('#detail-source'), `${ev.file}:${ev.line}`);
  assert.equal(await page.isVisible('#detail'), true);

  // A click on an incident row zooms to it.
  await page.click('#incidents tbody tr >> nth=0');
  assert.notEqual(await page.textContent('#zoom-level'), '1.0×');
  await page.click('#zoom-reset');

  assert.deepEqual(errors, []);
  assert.deepEqual(requests, [pathToFileURL(html).href], 'the page loads nothing');

  await page.evaluate(() => window.scrollTo(0, 0));
  const shot = join(work, 'ci-report.png');
  await page.screenshot({ path: shot, fullPage: false });
  assert.ok(readFileSync(shot).length > 10_000);
  if (process.env.KTRAIL_UPDATE_DOCS === '1') copyFileSync(shot, join(repoRoot, 'docs', 'ci-report.png'));
  await page.close();
});

test('log text never becomes markup: script and HTML in a log line stay text', { skip: chromiumNeed.skip }, async () => {
  const dir = join(work, 'hostile');
  mkdirSync(dir, { recursive: true });
  const payload = `</script><script>window.__pwned=1</script><img src=x onerror="window.__pwned=2"><!-- & \u2028`;
  const line = `E0321 14:51:13.000000       1 scheduler.go:1] "${payload.replace(/"/g, '\\"')}" pod="default/x"`;
  writeFileSync(join(dir, 'kube-scheduler.log'), `I0321 14:51:12.000000       1 scheduler.go:1] "start"\n${line}\n`);
  const html = join(work, 'hostile.html');
  await runCi(dir, { html, db: join(work, 'hostile.db') }, quiet, io);
  const text = readFileSync(html, 'utf8');
  assert.ok(!text.includes('<img src=x'), 'no raw markup from the log in the file');
  assert.ok(!text.includes('</script><script>window'), 'the JSON block cannot be closed by a log line');

  const { page, errors, requests } = await open(html);
  const mark = page.locator('.ev.sev-error').first();
  await mark.dispatchEvent('click');
  assert.equal(await page.textContent('#detail-raw'), line);
  assert.equal(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned), undefined);
  assert.equal(await page.locator('img').count(), 0);
  assert.deepEqual(errors, []);
  assert.deepEqual(requests, [pathToFileURL(html).href]);
  await page.close();
});
