// Browser half of `cargo xtask bench`: cold start under 4× CPU slow-down, local save latency, push and pull
// of 10,000 operations against the real server. Prints one JSON line; xtask prints the table.
import {
  launch, phone, ready, apiLogin, seedUnit, seedHouseholds, seedProject, issueCodes,
} from './harness.mjs';
import { readFileSync } from 'node:fs';

const URL = process.env.LINLI_URL;
const USER = process.env.LINLI_USER || 'admin';
const PASSWORD = process.env.LINLI_PASSWORD;
const N = Number(process.env.N || 10000);
// Each timed figure is measured RUNS times (xtask prints the median and the worst).
const RUNS = Number(process.env.RUNS || 5);
const BENCH_CORE = process.env.LINLI_BENCH_CORE;
const out = {};
const browser = await launch();

// Run k pushes and pulls as `bench-k`, staff of a community of its own, so every pull moves N operations.
const RUN_USERS = (process.env.LINLI_RUN_USERS || '').split(',').filter(Boolean);

async function login(page, user = USER) {
  await page.goto(URL + '/login');
  await ready(page);
  await page.fill('input[name=username]', user);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await ready(page);
}

/** Bytes actually received (compressed, headers included) for everything a first visit of `path` loads,
 * in an empty profile, as Chromium counts them; and the time until `selector` shows, under `conditions`. */
async function firstVisit(path, selector, { cpu = 1, network = null } = {}) {
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  let bytes = 0;
  const files = {};
  const urls = new Map();
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFinished', (e) => {
    bytes += e.encodedDataLength;
    const u = new globalThis.URL(urls.get(e.requestId) || 'http://x/?');
    files[u.pathname] = (files[u.pathname] || 0) + e.encodedDataLength;
  });
  if (cpu > 1) await cdp.send('Emulation.setCPUThrottlingRate', { rate: cpu });
  if (network) await cdp.send('Network.emulateNetworkConditions', { offline: false, ...network });
  const t0 = Date.now();
  await page.goto(URL + path);
  await page.waitForSelector(selector, { timeout: 120000 });
  const ms = Date.now() - t0;
  // Let the service worker's install finish: it must not download the entry again.
  await page.evaluate(() => navigator.serviceWorker?.ready);
  await page.waitForTimeout(500);
  await ctx.close();
  return { bytes, ms, files };
}

// First visits: bytes transferred for staff (the login page) and for a resident (a voting slip's link),
// and the resident's time from opening the link to a usable ballot on a slow phone over a weak network.
{
  const admin = await apiLogin(URL, USER, PASSWORD);
  const seed = await seedUnit(URL, admin, { compound: '测速小区' });
  await seedHouseholds(URL, admin, seed.ids.unit, [['101', 60], ['102', 70]]);
  const p = await seedProject(URL, admin, seed.ids.compound, { name: '测速项目' });
  const codes = await issueCodes(URL, admin, p.id);
  const staff = await firstVisit('/login', 'input[name=username]');
  out.staff_first_load_bytes = staff.bytes;
  out.staff_first_load_files = staff.files;
  const resident = await firstVisit(`/v/${codes['101']}`, '[data-testid=start-ballot]');
  out.resident_first_load_bytes = resident.bytes;
  out.resident_first_load_files = resident.files;
  out.resident_slow_ballot_ms = [];
  for (let i = 0; i < RUNS; i++) {
    const slow = await firstVisit(`/v/${codes[i % 2 ? '101' : '102']}`, '[data-testid=start-ballot]', {
      cpu: 4,
      network: { latency: 400, downloadThroughput: 400_000 / 8, uploadThroughput: 400_000 / 8 },
    });
    out.resident_slow_ballot_ms.push(slow.ms);
    out.resident_slow_bytes = slow.bytes;
  }
}

// Cold start: an empty profile, nothing cached, CPU slowed down 4×; time from navigation to the ready marker.
out.cold_start_ms = [];
for (let run = 0; run < RUNS; run++) {
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await page.addInitScript(() => {
    // Checked every animation frame from the very start, so the ready time is exact to a frame.
    const tick = () => {
      if (document.documentElement?.dataset.ready === '1') window.__readyAt = performance.now();
      else requestAnimationFrame(tick);
    };
    requestAnimationFrame(tick);
  });
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await page.goto(URL + '/');
  await ready(page);
  await page.waitForFunction(() => window.__readyAt !== undefined);
  out.cold_start_ms.push(await page.evaluate(() => window.__readyAt));
  await ctx.close();
}

// Local saves, then a push of N queued operations; then a pull of everything into an empty device.
out.save_p95_ms = [];
out.push_10k_ms = [];
out.pull_10k_ms = [];
for (let run = 0; run < RUNS; run++) {
  const user = RUN_USERS[run] || USER;
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await login(page, user);
  await page.evaluate(() => window.linli.sync_now());
  const lat = await page.evaluate(() => window.linli.bench_local_save(200));
  lat.sort((a, b) => a - b);
  out.save_p50_ms = lat[Math.floor(lat.length * 0.5)];
  out.save_p95_ms.push(lat[Math.floor(lat.length * 0.95)]);
  await page.evaluate((n) => window.linli.bench_fill_outbox(n), N);
  const r = await page.evaluate(async () => {
    const t = performance.now();
    const res = await window.linli.sync_now();
    return { total: performance.now() - t, ...res };
  });
  out.push_10k_ms.push(r.push_ms ?? r.total);
  out.pushed = r.pushed;
  await ctx.close();

  const ctx2 = await phone(browser);
  const page2 = await ctx2.newPage();
  await login(page2, user);
  const p = await page2.evaluate(() => window.linli.bench_pull_fresh());
  out.pull_10k_ms.push(p.ms);
  out.pulled = p.ops;
  await ctx2.close();
}

// Tally of 100,000 ballots in the Wasm core built with its bench exports (feature `bench`, never in dist/),
// in the same Chromium (RULES R4, R5, R9).
if (BENCH_CORE) {
  // No service worker: its fetches would not pass through the route that serves the bench build.
  const ctx = await browser.newContext({ serviceWorkers: 'block' });
  const page = await ctx.newPage();
  await page.route('**/bench-core/**', (route) => {
    const name = new globalThis.URL(route.request().url()).pathname.split('/').pop();
    const type = name.endsWith('.wasm') ? 'application/wasm' : 'text/javascript';
    return route.fulfill({ body: readFileSync(`${BENCH_CORE}/${name}`), contentType: type });
  });
  await page.goto(URL + '/login');
  await ready(page);
  const r = await page.evaluate(async (runs) => {
    const core = await import('/bench-core/linli_core.js');
    await core.default();
    const bench = new core.TallyBench(100000);
    bench.run(); // warm-up
    const times = [];
    let responded = 0;
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      responded = bench.run();
      times.push(performance.now() - t);
    }
    return { times, responded };
  }, RUNS);
  out.tally_100k_ms = r.times;
  out.tally_responded = r.responded;
  // The standards self-check (issue 14): all six standards for a generated community of 5,000 households.
  const s = await page.evaluate(async (runs) => {
    const core = await import('/bench-core/linli_core.js');
    const bench = new core.StandardsBench(5000);
    bench.run(); // warm-up (parses the catalogue once)
    const times = [];
    let rows = 0;
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      rows = bench.run();
      times.push(performance.now() - t);
    }
    return { times, rows };
  }, RUNS);
  out.standards_5000_ms = s.times;
  out.standards_rows = s.rows;
  await ctx.close();
}

await browser.close();
console.log(JSON.stringify(out));
