// Browser tests of the volunteers pages (issue 10, RULES §3): a registration made offline is approved after
// sync, numbers are masked in the list, hours are recorded, confirmed in bulk, and counted once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launch, phone, ready, uiLogin, apiLogin, pullAll, waitPending, ADMIN_PASSWORD, STAFF_PASSWORD,
} from './harness.mjs';

let server, browser, admin;

before(async () => {
  server = await startServer();
  browser = await launch();
  admin = await apiLogin(server.url, 'admin', ADMIN_PASSWORD);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

test('a volunteer registered offline is approved after sync; hours recorded, confirmed in bulk, counted once', async () => {
  const ctx = await phone(browser, true);
  const page = await ctx.newPage();
  await uiLogin(page, server.url, 'admin', ADMIN_PASSWORD);
  await page.click('[data-testid=volunteers-link]');
  await ready(page);

  // Offline (a basement, no signal): the registration is kept and shown as waiting to be sent.
  await ctx.setOffline(true);
  await page.fill('input[name=volunteer-name]', '王芳');
  await page.fill('input[name=phone]', '13812341234');
  await page.fill('input[name=id-number]', '11010519491231002X');
  await page.fill('input[name=skills]', '理发，修理');
  await page.check('input[name=party-member]');
  // Consent is required (民政部令第67号): without it nothing is stored and the reason is shown.
  await page.click('[data-testid=register-volunteer]');
  await page.waitForSelector('[data-testid=field-error]');
  assert.equal(await page.locator('[data-testid=volunteer-row]').count(), 0);
  await page.check('input[name=consent]');
  await page.click('[data-testid=register-volunteer]');
  const row = page.locator('[data-testid=volunteer-row][data-name="王芳"]');
  await row.waitFor();
  assert.equal(await row.getAttribute('data-status'), 'pending');
  assert.equal(await row.getAttribute('data-sync'), 'pending');
  // The list shows the phone masked, never whole.
  const text = await row.textContent();
  assert.match(text, /138\*\*\*\*1234/);
  assert.doesNotMatch(text, /13812341234/);

  // Back online: sent, then approved by staff.
  await ctx.setOffline(false);
  await page.evaluate(() => window.linli.sync_now());
  await waitPending(page, 0);
  await row.locator('[data-testid=approve]').click();
  await page.waitForSelector('[data-testid=volunteer-row][data-name="王芳"][data-status=active]');
  await page.evaluate(() => window.linli.sync_now());
  await waitPending(page, 0);

  // Her record: two claimed entries (pending) and one staff saw (confirmed, 谁记录谁证明).
  await row.locator('a.link').click();
  await ready(page);
  const today = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
  for (const [content, hours, witnessed] of [['为老人理发', '2', false], ['楼道清扫', '１.５', false], ['义务巡逻', '3', true]]) {
    await page.fill('input[name=entry-content]', content);
    await page.fill('input[name=entry-place]', '3号楼');
    await page.fill('input[name=entry-hours]', hours);
    if (witnessed) await page.check('input[name=witnessed]');
    else await page.uncheck('input[name=witnessed]');
    await page.click('[data-testid=add-entry]');
    await page.waitForSelector(`[data-testid=entry-row]:has-text("${content}")`);
  }
  // Bad input names the field and stores nothing: 30 hours in a day is refused.
  const before = await page.locator('[data-testid=entry-row]').count();
  await page.fill('input[name=entry-content]', '通宵');
  await page.fill('input[name=entry-hours]', '30');
  await page.click('[data-testid=add-entry]');
  await page.waitForSelector('label:has(input[name=entry-hours]) [data-testid=field-error]');
  assert.equal(await page.locator('[data-testid=entry-row]').count(), before);

  const month = today.slice(0, 7);
  const cell = (col) => page.textContent(`[data-testid=hours-by-month] tr[data-month="${month}"] [data-testid=${col}]`);
  assert.equal((await cell('confirmed')).trim(), '3 小时');
  assert.equal((await cell('pending')).trim(), '3.5 小时');

  // Staff confirm both waiting entries at once.
  await page.click('[data-testid=select-pending]');
  await page.click('[data-testid=confirm-selected]');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=entry-row][data-status=pending]').length === 0);
  assert.equal((await cell('confirmed')).trim(), '6.5 小时');
  assert.equal((await cell('pending')).trim(), '0 小时');
  await page.evaluate(() => window.linli.sync_now());
  await waitPending(page, 0);

  // The server holds each entry once, and a second device that pulls them counts 6.5 hours too.
  const ops = await pullAll(server.url, admin.token);
  assert.equal(ops.filter((o) => o.body.type === 'service_entry.add').length, 3);
  assert.equal(ops.filter((o) => o.body.type === 'entry_review.add').length, 2);
  const ctx2 = await phone(browser, true);
  const other = await ctx2.newPage();
  await uiLogin(other, server.url, 'li', STAFF_PASSWORD);
  await other.goto(server.url + '/volunteers');
  await ready(other);
  const theirs = other.locator('[data-testid=volunteer-row][data-name="王芳"]');
  await theirs.waitFor();
  assert.match(await theirs.locator('[data-testid=volunteer-hours]').textContent(), /6\.5 小时/);
  await page.screenshot({ path: process.env.SHOTS ? `${process.env.SHOTS}/volunteer.png` : '/dev/null', fullPage: true }).catch(() => {});
  await ctx2.close();
  await ctx.close();
});
