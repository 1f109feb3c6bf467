import { startServer, launch, phone, uiLogin, ADMIN_PASSWORD } from './harness.mjs';
const server = await startServer();
const browser = await launch();
for (let run = 0; run < 3; run++) {
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await uiLogin(page, server.url, 'admin', ADMIN_PASSWORD);
  await page.evaluate(() => window.linli.sync_now());
  await page.evaluate((n) => window.linli.bench_fill_outbox(n), 10000);
  const r = await page.evaluate(async () => {
    performance.clearResourceTimings();
    const t = performance.now(); const res = await window.linli.sync_now();
    const push = performance.getEntriesByType('resource').filter((e) => e.name.includes('/api/sync/push'));
    return { total: performance.now() - t, push_ms: res.push_ms, t0: t,
      reqs: push.map((e) => [Math.round(e.startTime - t), Math.round(e.responseStart - e.requestStart), Math.round(e.responseEnd - e.startTime)]) };
  });
  console.log(r.push_ms, JSON.stringify(r.reqs));
  await ctx.close();
}
await browser.close(); await server.stop();
