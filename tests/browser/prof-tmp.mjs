// Profile one push of N operations: CPU profile of the page, summarised by self time per function/category.
import { startServer, launch, phone, uiLogin, ADMIN_PASSWORD } from './harness.mjs';
const N = 10000;
const server = await startServer();
const browser = await launch();
const ctx = await phone(browser);
const page = await ctx.newPage();
await uiLogin(page, server.url, 'admin', ADMIN_PASSWORD);
await page.evaluate(() => window.linli.sync_now());
await page.evaluate((n) => window.linli.bench_fill_outbox(n), N);
const cdp = await ctx.newCDPSession(page);
await cdp.send('Profiler.enable');
await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
await cdp.send('Profiler.start');
const r = await page.evaluate(async () => { const t = performance.now(); const res = await window.linli.sync_now(); return { total: performance.now() - t, push_ms: res.push_ms, pushed: res.pushed }; });
const { profile } = await cdp.send('Profiler.stop');
console.log(JSON.stringify(r));
const self = new Map();
const dt = profile.timeDeltas; const byId = new Map(profile.nodes.map((n) => [n.id, n]));
for (let i = 0; i < profile.samples.length; i++) {
  const n = byId.get(profile.samples[i]);
  const f = n.callFrame; const key = `${f.functionName || '(anon)'} ${f.url.split('/').pop()}`;
  self.set(key, (self.get(key) || 0) + (dt[i] || 0) / 1000);
}
const top = [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 25);
for (const [k, v] of top) console.log(v.toFixed(1).padStart(8), k);
await browser.close(); await server.stop();
