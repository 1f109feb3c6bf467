// Code splitting and offline (issue 8): the staff app's first load is the main module only; each feature's
// pages are a Wasm chunk fetched when one first opens; after one load the service worker holds every chunk,
// so with no network a reload opens every feature's page.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { startServer, launch, phone, ready, uiLogin, apiLogin, seedUnit, offlineReady, ADMIN_PASSWORD } from './harness.mjs';

const DIST = process.env.LINLI_DIST || new URL('../../dist', import.meta.url).pathname;
let server, browser, admin, seed;

before(async () => {
  server = await startServer();
  browser = await launch();
  admin = await apiLogin(server.url, 'admin', ADMIN_PASSWORD);
  seed = await seedUnit(server.url, admin);
});
after(async () => {
  await browser?.close();
  await server?.stop();
});

/** The staff chunks the build listed for the service worker. */
function chunks() {
  const sw = readFileSync(join(DIST, 'sw.js'), 'utf8');
  return JSON.parse(sw.match(/const CHUNKS = (\[.*?\]);/s)[1]);
}

/** Opens `path` in the app (a link click, as a person would: the app's own router) and waits for `text`
 * in the page's heading, with no loading words left. */
async function open(page, path, text) {
  await page.evaluate((p) => {
    const a = document.createElement('a');
    a.href = p;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }, path);
  await page.waitForFunction((t) => {
    const main = document.querySelector('main');
    return main && main.textContent.includes(t) && !main.querySelector('p.loading');
  }, text, { timeout: 15000 });
}

test('the first load fetches no feature chunk; after it every feature page opens offline', async () => {
  const all = chunks();
  assert.ok(all.length >= 5, `chunks listed for the service worker: ${all.length}`);
  const ctx = await phone(browser, true);
  const page = await ctx.newPage();
  const fetched = [];
  page.on('request', (r) => { const u = new URL(r.url()); if (u.pathname.startsWith('/pkg/')) fetched.push(u.pathname); });
  await page.goto(server.url + '/login');
  await ready(page);
  // The login page: the entry's script, its main module and the split loader; no feature's chunk.
  const atLogin = fetched.filter((p) => p.endsWith('.wasm'));
  assert.equal(atLogin.length, 1, `Wasm fetched for the login page: ${atLogin.join(', ')}`);
  assert.match(atLogin[0], /\/linli_app_bg\.wasm$/);

  await uiLogin(page, server.url, 'admin', ADMIN_PASSWORD);
  // The service worker, once the page is interactive, keeps every chunk.
  await offlineReady(page);
  page.on('console', (m) => { if (m.type() === 'error') console.log('page console:', m.text()); });

  // No network: the app opens from the phone, and so does every feature's page.
  await ctx.setOffline(true);
  const failed = [];
  page.on('requestfailed', (r) => { if (new URL(r.url()).pathname.startsWith('/pkg/')) failed.push(r.url()); });
  await page.reload();
  await ready(page);
  await open(page, '/volunteers', '志愿者');
  await open(page, '/activities', '志愿活动');
  await open(page, '/surveys', '入户调查');
  await open(page, '/standards', '达标自评');
  await open(page, '/standards/six-type', '六型');
  await open(page, `/compound/${seed.ids.compound}`, '改造项目');
  await open(page, '/verify', '核验志愿服务记录证明');
  assert.deepEqual(failed, [], 'no chunk failed to load offline');
  await page.screenshot({ path: join(process.env.SHOTS || '/tmp', 'offline-standards.png') });
  await ctx.close();
});

test('a page whose chunk cannot be fetched says so and opens when tried again', async () => {
  // No service worker (so nothing is precached) and the standards chunk's file refused, as with no signal
  // before the phone kept it.
  const ctx = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'zh-CN', serviceWorkers: 'block' });
  const refuse = (route) => route.abort('internetdisconnected');
  await ctx.route(/split_standards/, refuse);
  const page = await ctx.newPage();
  await uiLogin(page, server.url, 'admin', ADMIN_PASSWORD);
  await page.click('[data-testid=standards-link]');
  const failed = page.locator('[data-testid=chunk-failed]');
  await failed.waitFor({ timeout: 15000 });
  assert.match(await failed.textContent(), /这一页还没有存到本机，请联网后再打开。/);
  // The app is still alive: the home page opens, and the standards page once the file can be fetched.
  await ctx.unroute(/split_standards/, refuse);
  await failed.locator('button').click();
  await page.waitForFunction(() => document.querySelector('main h1')?.textContent.includes('达标自评'), null, { timeout: 15000 });
  await page.screenshot({ path: join(process.env.SHOTS || '/tmp', 'standards-after-retry.png') });
  await ctx.close();
});

test('a login whose app chunk cannot be fetched says it needs a connection, keeps the form, and succeeds when tried again', async () => {
  // The login page is the main module alone; the logged-in app (`split_staff`) comes at the login. With that
  // file refused (the signal went between the page and the login), the person is told, nothing is kept
  // half-done, and the same form logs in once the file can be fetched.
  const ctx = await browser.newContext({ viewport: { width: 360, height: 640 }, locale: 'zh-CN', serviceWorkers: 'block' });
  const refuse = (route) => route.abort('internetdisconnected');
  await ctx.route(/split_staff/, refuse);
  const page = await ctx.newPage();
  await page.goto(server.url + '/login');
  await ready(page);
  await page.fill('input[name=username]', 'admin');
  await page.fill('input[name=password]', ADMIN_PASSWORD);
  await page.click('button[type=submit]');
  const error = page.locator('[data-testid=login-error]');
  await error.waitFor({ timeout: 15000 });
  assert.equal((await error.textContent()).trim(), '登录需要联网，请连接网络后再试');
  assert.equal(new URL(page.url()).pathname, '/login');
  assert.equal(await page.inputValue('input[name=username]'), 'admin');
  // Tried again with the file reachable: the app replaces the login page, on the compounds list.
  await ctx.unroute(/split_staff/, refuse);
  await page.click('button[type=submit]');
  await page.waitForURL((u) => u.pathname === '/', { timeout: 15000 });
  await page.waitForSelector('[data-testid=settings-link]', { timeout: 15000 });
  assert.equal(await page.locator('input[name=password]').count(), 0);
  // Reloaded, the phone keeps the session: the app opens without the login page.
  await page.reload();
  await ready(page);
  await page.waitForSelector('[data-testid=settings-link]', { timeout: 15000 });
  assert.equal(new URL(page.url()).pathname, '/');
  await ctx.close();
});
