// Browser tests of the offline-first path (issue 2 §6, DESIGN.md sync model): offline save and start,
// sync to the server, a second device, refused changes, expired login, two tabs, a dropped connection.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launch, phone, ready, uiLogin, pendingCount, waitPending, apiLogin, pullAll, seedUnit, openUnit,
  addHousehold, householdOps, ADMIN_PASSWORD, STAFF_PASSWORD,
} from './harness.mjs';

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

test('(a)(b)(c) offline save survives an offline reload, reaches the server, and a second device pulls it', async () => {
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await uiLogin(page, server.url, 'admin', ADMIN_PASSWORD);
  let unit = await openUnit(page, seed);
  const compoundUrl = page.url();

  await ctx.setOffline(true);
  await page.waitForSelector('[data-testid=net-status][data-online="false"]');
  await addHousehold(unit, '301', '88.5', '2');
  assert.equal(await pendingCount(page), 1);
  assert.equal(await unit.locator('[data-testid=household-row][data-door="301"]').getAttribute('data-status'), 'pending');

  // (a) Reload with no network: the app starts from the service worker's cache and the household is still there.
  await page.reload();
  await ready(page);
  assert.equal(page.url(), compoundUrl);
  unit = page.locator(`[data-testid=building][data-name="${seed.building}"] [data-testid=unit][data-name="${seed.unit}"]`);
  await unit.locator('[data-testid=household-row][data-door="301"]').waitFor();
  assert.equal(await pendingCount(page), 1);
  assert.equal(householdOps(await pullAll(server.url, admin.token), '301').length, 0, 'nothing reached the server while offline');

  // (b) Online again: the change is sent without anyone pressing a button, and the server has it once.
  await ctx.setOffline(false);
  await waitPending(page, 0);
  const onServer = householdOps(await pullAll(server.url, admin.token), '301');
  assert.equal(onServer.length, 1);
  assert.equal(onServer[0].body.area_m2, 88.5);
  assert.equal(onServer[0].body.owners, 2);
  assert.equal(onServer[0].body.unit_id, seed.ids.unit);
  await page.waitForSelector('[data-testid=household-row][data-door="301"][data-status="synced"]');

  // (c) Another phone, another staff member of the same community, pulls it.
  const ctx2 = await phone(browser);
  const page2 = await ctx2.newPage();
  await uiLogin(page2, server.url, 'li', STAFF_PASSWORD);
  const unit2 = await openUnit(page2, seed);
  await unit2.locator('[data-testid=household-row][data-door="301"]').waitFor();
  await ctx.close();
  await ctx2.close();
});

test('(d) a change the server refuses stays visible with its reason, also after a reload', async () => {
  const s = await seedUnit(server.url, admin, { compound: '冲突小区' });
  const [c1, c2] = [await phone(browser), await phone(browser)];
  const [p1, p2] = [await c1.newPage(), await c2.newPage()];
  await uiLogin(p1, server.url, 'admin', ADMIN_PASSWORD);
  await uiLogin(p2, server.url, 'li', STAFF_PASSWORD);
  const [u1, u2] = [await openUnit(p1, s), await openUnit(p2, s)];
  // Two staff record the same door offline, each on their own phone.
  await c1.setOffline(true);
  await c2.setOffline(true);
  await addHousehold(u1, '401', '70');
  await addHousehold(u2, '401', '71');
  await c1.setOffline(false);
  await waitPending(p1, 0);
  await c2.setOffline(false);
  await p2.waitForFunction(() => Number(document.querySelector('[data-testid=refused-count]')?.textContent.trim()) === 1, null, { timeout: 20000 });
  // Both are on screen: the first one, synced from the other phone, and this phone's, marked refused.
  await u2.locator('[data-testid=household-row][data-door="401"][data-status="synced"]').waitFor();
  await u2.locator('[data-testid=household-row][data-door="401"][data-status="refused"]').waitFor();
  const showRefused = p2.locator('[data-testid=show-refused]');
  if (await showRefused.count()) await showRefused.first().click();
  const item = p2.locator('[data-testid=refused-item]');
  await item.first().waitFor();
  assert.match(await item.first().textContent(), /401/, 'the reason names the door number');

  await p2.reload();
  await ready(p2);
  assert.equal(Number((await p2.textContent('[data-testid=refused-count]')).trim()), 1);
  assert.equal(await p2.locator('[data-testid=household-row][data-door="401"][data-status="refused"]').count(), 1);
  // The server kept only the first one.
  const ops = householdOps(await pullAll(server.url, admin.token), '401');
  assert.equal(ops.length, 1);
  assert.equal(ops[0].body.area_m2, 70);

  // Discarding it removes it from the phone.
  if (await p2.locator('[data-testid=show-refused]').count()) await p2.locator('[data-testid=show-refused]').first().click();
  p2.once('dialog', (d) => d.accept());
  await p2.locator('[data-testid=refused-item] [data-testid=discard]').first().click();
  await p2.waitForFunction(() => Number(document.querySelector('[data-testid=refused-count]')?.textContent.trim()) === 0);
  assert.equal(await p2.locator('[data-testid=household-row][data-door="401"]').count(), 1, 'only the accepted one is left');
  assert.equal(await p2.locator('[data-testid=household-row][data-door="401"]').getAttribute('data-status'), 'synced');
  await c1.close();
  await c2.close();
});

test('(f) two tabs on one device send each change once', async () => {
  const s = await seedUnit(server.url, admin, { compound: '双标签小区' });
  const ctx = await phone(browser);
  const pushed = [];
  ctx.on('request', (req) => {
    if (req.url().includes('/api/sync/push') && req.method() === 'POST') {
      pushed.push(...JSON.parse(req.postData()).ops.map((o) => o.id));
    }
  });
  const t1 = await ctx.newPage();
  await uiLogin(t1, server.url, 'admin', ADMIN_PASSWORD);
  const t2 = await ctx.newPage();
  await t2.goto(t1.url());
  await ready(t2);
  const [u1, u2] = [await openUnit(t1, s), await openUnit(t2, s)];
  await ctx.setOffline(true);
  await addHousehold(u1, '501');
  await addHousehold(u2, '502');
  // Both tabs see both queued changes.
  await waitPending(t1, 2);
  await waitPending(t2, 2);
  await ctx.setOffline(false);
  await Promise.all([t1.click('[data-testid=sync-now]'), t2.click('[data-testid=sync-now]')]);
  await waitPending(t1, 0);
  await waitPending(t2, 0);
  const counts = {};
  for (const id of pushed) counts[id] = (counts[id] || 0) + 1;
  assert.ok(pushed.length >= 2, 'both changes were pushed');
  for (const [id, n] of Object.entries(counts)) assert.equal(n, 1, `op ${id} was sent ${n} times`);
  const ops = await pullAll(server.url, admin.token);
  assert.equal(householdOps(ops, '501').length, 1);
  assert.equal(householdOps(ops, '502').length, 1);
  await ctx.close();
});

test('a connection dropped after the server committed a push: the retry is answered as a duplicate, nothing is lost or doubled', async () => {
  const s = await seedUnit(server.url, admin, { compound: '断线小区' });
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await uiLogin(page, server.url, 'admin', ADMIN_PASSWORD);
  const unit = await openUnit(page, s);
  let dropped = 0;
  await ctx.route('**/api/sync/push', async (route) => {
    if (dropped === 0) {
      dropped++;
      await route.fetch(); // the server receives and commits it…
      return route.abort('connectionreset'); // …but the answer never arrives.
    }
    return route.continue();
  });
  await addHousehold(unit, '601');
  await waitPending(page, 0, 30000);
  assert.equal(dropped, 1);
  assert.equal(householdOps(await pullAll(server.url, admin.token), '601').length, 1);
  await ctx.close();
});
