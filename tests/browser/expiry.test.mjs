// Browser test (e): the login expires while changes wait; nothing is lost, and after logging in again they are sent.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launch, phone, ready, uiLogin, pendingCount, waitPending, apiLogin, pullAll, seedUnit, openUnit,
  addHousehold, householdOps, ADMIN_PASSWORD,
} from './harness.mjs';

const TTL_SECS = 8;
let server, browser;

before(async () => {
  server = await startServer({ LINLI_TOKEN_TTL_SECS: String(TTL_SECS) });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('(e) an expired login keeps the queue, asks to log in again, then sends it', async () => {
  const admin = await apiLogin(server.url, 'admin', ADMIN_PASSWORD);
  const seed = await seedUnit(server.url, admin);
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await uiLogin(page, server.url, 'admin', ADMIN_PASSWORD);
  const loggedInAt = Date.now();
  const unit = await openUnit(page, seed);
  await ctx.setOffline(true);
  await addHousehold(unit, '701', '65');
  // Wait until the token has expired, then reconnect.
  await page.waitForTimeout(Math.max(0, loggedInAt + TTL_SECS * 1000 + 1000 - Date.now()));
  await ctx.setOffline(false);
  await page.click('[data-testid=sync-now]');
  await page.waitForSelector('[data-testid=relogin]', { timeout: 20000 });
  assert.equal(await pendingCount(page), 1, 'the waiting change is kept');
  const fresh = await apiLogin(server.url, 'admin', ADMIN_PASSWORD);
  assert.equal(householdOps(await pullAll(server.url, fresh.token), '701').length, 0);

  // Reloading does not lose it either.
  await page.reload();
  await ready(page);
  assert.equal(await pendingCount(page), 1);

  await page.click('[data-testid=relogin]');
  await page.waitForSelector('input[name=password]');
  const user = page.locator('input[name=username]');
  if (!(await user.inputValue())) await user.fill('admin');
  await page.fill('input[name=password]', ADMIN_PASSWORD);
  await page.click('button[type=submit]');
  await waitPending(page, 0);
  const ops = householdOps(await pullAll(server.url, fresh.token), '701');
  assert.equal(ops.length, 1);
  assert.equal(ops[0].body.area_m2, 65);
  await ctx.close();
});
