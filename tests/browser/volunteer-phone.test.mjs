// Browser test of a volunteer's own phone (issue 10, RULES §3): registered offline at the community's join
// link (its QR code on the staff page), approved by staff after sync; signs up for an activity; checks in
// and out offline from the activity's QR link; claims hours, which staff confirm; sees them counted.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, phone, ready, uiLogin, apiLogin, pullAll, push, uuidv7, waitPending, cstDate, ADMIN_PASSWORD } from './harness.mjs';

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

const shot = (page, name) => page.screenshot({ path: process.env.SHOTS ? `${process.env.SHOTS}/${name}.png` : '/dev/null', fullPage: false }).catch(() => {});

test("a volunteer's own phone: registers offline, is approved, signs up, checks in and out offline by QR, claims hours that staff confirm", async () => {
  const activity = uuidv7();
  const seeded = await push(server.url, admin, [['activity', activity, {
    type: 'activity.put', name: '敬老院探访', date: cstDate(0), start_time: '00:00', end_time: '23:59', place: '社区敬老院',
    team_id: null, capacity: 5, description: '', check_in_required: true,
  }]]);
  assert.equal(seeded[0].status, 'accepted', JSON.stringify(seeded));

  // Staff show the join link's QR code on the volunteers page.
  const staffCtx = await phone(browser, true);
  const staff = await staffCtx.newPage();
  await uiLogin(staff, server.url, 'admin', ADMIN_PASSWORD);
  await staff.goto(server.url + '/volunteers');
  await ready(staff);
  await staff.click('details:has([data-testid=join-qr]) summary');
  const joinUrl = await staff.getAttribute('[data-testid=join-qr]', 'data-url');
  assert.equal(joinUrl, `${server.url}/join/community-1`);
  assert.ok(await staff.locator('[data-testid=join-qr] svg path').count() === 1);

  // The volunteer's phone; its clock lets half an hour on site pass in a moment (from 01:00 China time
  // today, far from midnight, or now when it is not yet 01:30 there).
  const ctx = await phone(browser, true);
  const day = 86400e3, cstNow = Date.now() + 8 * 3600e3, sinceMidnight = cstNow % day;
  await ctx.clock.install({ time: sinceMidnight > 1.5 * 3600e3 ? cstNow - sinceMidnight + 3600e3 - 8 * 3600e3 : Date.now() });
  const page = await ctx.newPage();
  await page.goto(joinUrl);
  await ready(page);
  assert.equal(await page.textContent('[data-testid=join-community]'), 'community-1');
  await shot(page, 'volunteer-join');

  // Offline: consent is required; then the registration is kept on the phone, waiting to be sent.
  await ctx.setOffline(true);
  await page.fill('input[name=volunteer-name]', '李四');
  await page.fill('input[name=phone]', '13912345678');
  await page.click('[data-testid=join-submit]');
  await page.waitForSelector('[data-testid=field-error]');
  await page.check('input[name=consent]');
  await page.click('[data-testid=join-submit]');
  await page.waitForSelector('[data-testid=volunteer-name]:has-text("李四")');
  assert.equal(await page.textContent('[data-testid=volunteer-status]'), '待审核');
  await waitPending(page, 1);
  // A phone of a volunteer shows no staff pages.
  assert.equal(await page.locator('[data-testid=volunteers-link]').count(), 0);

  // Online: sent through the join link, which gives the phone its own login; the pull brings the activity.
  await ctx.setOffline(false);
  await page.evaluate(() => window.linli.sync_now());
  await waitPending(page, 0);
  await page.waitForSelector('[data-testid=my-activity][data-name="敬老院探访"]');

  // Staff approve.
  await staff.evaluate(() => window.linli.sync_now());
  const row = staff.locator('[data-testid=volunteer-row][data-name="李四"]');
  await row.waitFor();
  const href = await row.locator('a.link').getAttribute('href');
  const me = href.split('/').pop();
  await row.locator('[data-testid=approve]').click();
  await staff.waitForSelector('[data-testid=volunteer-row][data-name="李四"][data-status=active]');
  await staff.evaluate(() => window.linli.sync_now());
  await waitPending(staff, 0);

  // The phone learns it is approved, and signs up.
  await page.evaluate(() => window.linli.sync_now());
  await page.waitForSelector('[data-testid=volunteer-status]:has-text("在册")');
  await page.click('[data-testid=my-activity][data-name="敬老院探访"] [data-testid=my-sign-up]');
  await page.waitForSelector('[data-testid=my-activity] [data-testid=my-standing]:has-text("已报名")');
  await shot(page, 'volunteer-own');

  // In the basement: the activity's QR code opens its check-in page, offline; in, half an hour, out.
  await ctx.setOffline(true);
  await page.goto(`${server.url}/checkin/${activity}`);
  await ready(page);
  assert.equal(await page.textContent('[data-testid=checkin-activity]'), '敬老院探访');
  await page.click('[data-testid=checkin-button]');
  await page.waitForSelector('[data-testid=checkin-state]:has-text("已签到")');
  await shot(page, 'volunteer-checkin');
  await ctx.clock.fastForward('30:00');
  await page.click('[data-testid=checkin-button]');
  await page.waitForSelector('[data-testid=checkin-state]:has-text("已签退")');
  await ctx.setOffline(false);
  await page.evaluate(() => window.linli.sync_now());
  await waitPending(page, 0);
  const ops = await pullAll(server.url, admin.token);
  const checks = ops.filter((o) => o.body.type === 'attendance.add' && o.body.volunteer_id === me);
  assert.deepEqual(checks.map((o) => [o.body.direction, o.body.by, o.author]), [
    ['in', 'self', `volunteer:${me}`], ['out', 'self', `volunteer:${me}`],
  ]);
  assert.equal(checks[1].body.at_ms - checks[0].body.at_ms >= 30 * 60e3, true);

  // Hours claimed on the phone wait for staff; confirmed, they count.
  await page.goto(server.url + '/');
  await ready(page);
  await page.fill('input[name=entry-place]', '社区敬老院');
  await page.fill('input[name=entry-content]', '陪老人聊天');
  await page.fill('input[name=entry-hours]', '2');
  await page.click('[data-testid=add-entry]');
  await page.waitForSelector('[data-testid=entry-row][data-status=pending]');
  await page.evaluate(() => window.linli.sync_now());
  await waitPending(page, 0);
  const claim = (await pullAll(server.url, admin.token)).find((o) => o.body.type === 'service_entry.add' && o.body.volunteer_id === me);
  assert.equal(claim.body.source, 'claim');
  assert.equal(claim.body.minutes, 120);

  await staff.goto(`${server.url}/volunteer/${me}`);
  await ready(staff);
  await staff.evaluate(() => window.linli.sync_now());
  await staff.waitForSelector('[data-testid=entry-row][data-status=pending]');
  await staff.click('[data-testid=select-pending]');
  await staff.click('[data-testid=confirm-selected]');
  await staff.waitForSelector('[data-testid=entry-row][data-status=confirmed]');
  await staff.evaluate(() => window.linli.sync_now());
  await waitPending(staff, 0);

  await page.evaluate(() => window.linli.sync_now());
  await page.waitForSelector('[data-testid=entry-row][data-status=confirmed]');
  const month = cstDate(0).slice(0, 7);
  assert.equal((await page.textContent(`[data-testid=hours-by-month] tr[data-month="${month}"] [data-testid=confirmed]`)).trim(), '2 小时');
  // Staff see the figures computed on their phone: one registered volunteer of the 20 residents typed in
  // (5% against V1's 10%), and the month's share with service 100%.
  await staff.goto(server.url + '/volunteers');
  await ready(staff);
  await staff.fill('input[name=population]', '20');
  await staff.waitForSelector('[data-testid=registration-rate][data-met=false]');
  assert.match(await staff.textContent('[data-testid=registration-rate]'), /5(\.0)?%（1 人）/);
  assert.equal(await staff.getAttribute(`[data-testid=month-shares] tr[data-month="${month}"] [data-testid=month-bar]`, 'data-ratio'), '1.0000');

  // Staff issue the certificate; the volunteer opens it on the phone.
  await staff.goto(`${server.url}/volunteer/${me}`);
  await ready(staff);
  await staff.fill('input[name=person-in-charge]', '李主任');
  await staff.fill('input[name=contact]', '010-12345678');
  await staff.click('[data-testid=issue-certificate]');
  await staff.waitForSelector('[data-testid=certificate]');
  await page.goto(server.url + '/');
  await ready(page);
  await page.click('[data-testid=my-certificate]');
  await page.waitForSelector('[data-testid=certificate]');
  assert.match(await page.textContent('[data-testid=certificate]'), /李四/);
  assert.equal((await page.textContent(`[data-testid=certificate] [data-testid=year-hours]`)).trim(), '2 小时');

  // Teams are the community's own: added on the activities page, offered when an activity is made.
  await staff.goto(server.url + '/activities');
  await ready(staff);
  await staff.click('details:has([data-testid=teams]) summary');
  await staff.fill('input[name=team-name]', '义务巡逻队');
  await staff.click('[data-testid=add-team]');
  await staff.waitForSelector('[data-testid=team][data-name="义务巡逻队"]');
  assert.equal(await staff.locator('select[name=team] option', { hasText: '义务巡逻队' }).count(), 1);

  // The phone holds nothing of the roster or of other volunteers: only its own record came.
  assert.equal(await page.locator('[data-testid=entry-select]:visible').count(), 0);
  await staffCtx.close();
  await ctx.close();
});
