// scratch: resident first-visit bytes per file (not committed)
import { startServer, launch, phone, apiLogin, seedUnit, seedHouseholds, seedProject, issueCodes, ADMIN_PASSWORD } from './harness.mjs';
const srv = await startServer();
const URL = srv.url;
const browser = await launch();
const admin = await apiLogin(URL, 'admin', ADMIN_PASSWORD);
const seed = await seedUnit(URL, admin, { compound: '测速小区' });
await seedHouseholds(URL, admin, seed.ids.unit, [['101', 60], ['102', 70]]);
const p = await seedProject(URL, admin, seed.ids.compound, { name: '测速项目' });
const codes = await issueCodes(URL, admin, p.id);
async function visit(path, sel, opts = {}) {
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  const cdp = await ctx.newCDPSession(page);
  await cdp.send('Network.enable');
  let bytes = 0; const files = {}; const urls = new Map();
  cdp.on('Network.requestWillBeSent', (e) => urls.set(e.requestId, e.request.url));
  cdp.on('Network.loadingFinished', (e) => { bytes += e.encodedDataLength; const u = new globalThis.URL(urls.get(e.requestId) || 'http://x/?'); files[u.pathname] = (files[u.pathname] || 0) + e.encodedDataLength; });
  if (opts.cpu) await cdp.send('Emulation.setCPUThrottlingRate', { rate: opts.cpu });
  if (opts.net) await cdp.send('Network.emulateNetworkConditions', { offline: false, latency: 400, downloadThroughput: 50000, uploadThroughput: 50000 });
  const t0 = Date.now();
  await page.goto(URL + path);
  await page.waitForSelector(sel, { timeout: 120000 });
  const ms = Date.now() - t0;
  await page.evaluate(() => navigator.serviceWorker?.ready);
  await page.waitForTimeout(500);
  await ctx.close();
  return { bytes, ms, files };
}
const r = await visit(`/v/${codes['101']}`, '[data-testid=start-ballot]');
console.log(JSON.stringify(r, null, 1));
if (process.env.SLOW) for (let i = 0; i < 3; i++) console.log('slow ms', (await visit(`/v/${codes[i % 2 ? '101' : '102']}`, '[data-testid=start-ballot]', { cpu: 4, net: true })).ms);
await browser.close(); await srv.stop();
