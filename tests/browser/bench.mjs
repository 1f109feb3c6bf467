// Browser half of `cargo xtask bench`: cold start under 4× CPU slow-down, local save latency, push and pull
// of 10,000 operations against the real server. Prints one JSON line; xtask prints the table.
import { launch, phone, ready } from './harness.mjs';

const URL = process.env.LINLI_URL;
const USER = process.env.LINLI_USER || 'admin';
const PASSWORD = process.env.LINLI_PASSWORD;
const N = Number(process.env.N || 10000);
const out = {};
const browser = await launch();

async function login(page) {
  await page.goto(URL + '/login');
  await ready(page);
  await page.fill('input[name=username]', USER);
  await page.fill('input[name=password]', PASSWORD);
  await page.click('button[type=submit]');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'));
  await ready(page);
}

// Cold start: an empty profile, nothing cached, CPU slowed down 4×; time from navigation to the ready marker.
{
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
  out.cold_start_ms = await page.evaluate(() => window.__readyAt);
  await ctx.close();
}

// Local saves, then a push of N queued operations.
{
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await login(page);
  await page.evaluate(() => window.linli.sync_now());
  const lat = await page.evaluate(() => window.linli.bench_local_save(200));
  lat.sort((a, b) => a - b);
  out.save_p50_ms = lat[Math.floor(lat.length * 0.5)];
  out.save_p95_ms = lat[Math.floor(lat.length * 0.95)];
  await page.evaluate((n) => window.linli.bench_fill_outbox(n), N);
  const r = await page.evaluate(async () => {
    const t = performance.now();
    const res = await window.linli.sync_now();
    return { total: performance.now() - t, ...res };
  });
  out.push_10k_ms = r.push_ms ?? r.total;
  out.pushed = r.pushed;
  await ctx.close();
}

// Pull everything into an empty device.
{
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await login(page);
  const r = await page.evaluate(() => window.linli.bench_pull_fresh());
  out.pull_10k_ms = r.ms;
  out.pulled = r.ops;
  await ctx.close();
}

// Tally of 100,000 ballots in the embeddable Wasm core (RULES R4, R5, R9), in the same Chromium.
{
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await page.goto(URL + '/login');
  await ready(page);
  const r = await page.evaluate(async () => {
    const core = await import('/core/linli_core.js');
    await core.default();
    const bench = new core.TallyBench(100000);
    bench.run(); // warm-up
    const times = [];
    let responded = 0;
    for (let i = 0; i < 7; i++) {
      const t = performance.now();
      responded = bench.run();
      times.push(performance.now() - t);
    }
    times.sort((a, b) => a - b);
    return { median: times[3], responded };
  });
  out.tally_100k_ms = r.median;
  out.tally_responded = r.responded;
  await ctx.close();
}

await browser.close();
console.log(JSON.stringify(out));
