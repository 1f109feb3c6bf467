// Browser tests of the volunteers pages (issue 10, RULES §3): a registration made offline is approved after
// sync, numbers are masked in the list, hours are recorded, confirmed in bulk, and counted once.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launch, phone, ready, uiLogin, apiLogin, pullAll, push, uuidv7, waitPending, cstDate,
  ADMIN_PASSWORD, STAFF_PASSWORD,
} from './harness.mjs';

/** Approved volunteers made through the API; returns name → id. */
async function seedVolunteers(names) {
  const ids = {};
  const bodies = [];
  for (const name of names) {
    ids[name] = uuidv7();
    bodies.push(['volunteer', ids[name], {
      type: 'volunteer.put', name, phone: '', id_number: '', skills: [], teams: [], party_member: false,
      student: false, consent: true, registered_on: cstDate(0),
    }]);
  }
  for (const r of await push(server.url, admin, bodies)) assert.equal(r.status, 'accepted', JSON.stringify(r));
  const approvals = names.map((n) => ['volunteer', ids[n], { type: 'volunteer.status', status: 'active' }]);
  for (const r of await push(server.url, admin, approvals)) assert.equal(r.status, 'accepted', JSON.stringify(r));
  return ids;
}

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
  // The volunteers' pages are a chunk of their own, fetched when first opened: the form shows once it is in
  // (`ready` is the shell's, already set before the click).
  await page.locator('input[name=volunteer-name]').waitFor();

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
  // A correction (更正) is a new entry naming the one it replaces, with a reason; both stay visible,
  // the old one marked as replaced, and the hours count once.
  await page.locator('[data-testid=entry-row]:has-text("为老人理发")').locator('[data-testid=correct-entry]').click();
  assert.match(await page.textContent('[data-testid=correcting]'), /为老人理发/);
  assert.equal(await page.inputValue('input[name=entry-hours]'), '2');
  await page.fill('input[name=entry-content]', '为两位老人理发');
  await page.check('input[name=witnessed]');
  await page.click('[data-testid=add-entry]');
  await page.waitForSelector('label:has(input[name=entry-reason]) [data-testid=field-error]'); // the reason is required
  await page.fill('input[name=entry-reason]', '服务内容记错了');
  await page.click('[data-testid=add-entry]');
  await page.waitForSelector('[data-testid=entry-row]:has-text("为两位老人理发")');
  assert.equal(await page.getAttribute('[data-testid=entry-row]:has-text("为老人理发")', 'data-status'), 'superseded');
  assert.match(await page.textContent('[data-testid=entry-row]:has-text("为两位老人理发")'), /服务内容记错了/);
  assert.equal((await cell('confirmed')).trim(), '6.5 小时');
  await page.evaluate(() => window.linli.sync_now());
  await waitPending(page, 0);

  // The server holds each entry once, and a second device that pulls them counts 6.5 hours too.
  const ops = await pullAll(server.url, admin.token);
  assert.equal(ops.filter((o) => o.body.type === 'service_entry.add').length, 4);
  assert.equal(ops.filter((o) => o.body.type === 'service_entry.add' && o.body.corrects).length, 1);
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

  // A certificate of service record (V6): numbered, signed, and checked from its QR link alone.
  await page.fill('input[name=person-in-charge]', '李主任');
  await page.fill('input[name=contact]', '010-12345678');
  await page.click('[data-testid=issue-certificate]');
  await page.waitForSelector('[data-testid=certificate]');
  const year = today.slice(0, 4);
  assert.equal(await page.textContent('[data-testid=certificate-number]'), `${year}-0001`);
  assert.equal((await page.textContent(`[data-testid=certificate] tr[data-year="${year}"] [data-testid=year-hours]`)).trim(), '6.5 小时');
  assert.match(await page.textContent('[data-testid=certificate]'), /1101\*+002X/);
  await page.screenshot({ path: process.env.SHOTS ? `${process.env.SHOTS}/certificate.png` : '/dev/null', fullPage: true }).catch(() => {});
  const link = await page.getAttribute('[data-testid=verify-link]', 'href');
  assert.ok(link.startsWith(server.url + '/verify#LV1.'), link);

  // Anyone with the QR checks it, with no login; then offline, with the keys kept on their phone.
  const ctx3 = await phone(browser, true);
  const checker = await ctx3.newPage();
  await checker.goto(link);
  await checker.waitForSelector('[data-testid=verify-ok]');
  assert.match(await checker.textContent('[data-testid=verify-hours]'), /6\.5 小时/);
  // Offline from here (the service worker and the kept keys): the hours changed in the payload
  // (6.5 → 65 hours) are refused, the genuine link still passes.
  await checker.evaluate(() => navigator.serviceWorker.ready);
  const [prefix, payload, sig] = link.split('#')[1].split('.');
  const signed = Buffer.from(payload, 'base64url').toString('utf8');
  const forged = signed.replace('"total_minutes":390', '"total_minutes":3900');
  assert.notEqual(forged, signed);
  await ctx3.setOffline(true);
  await checker.goto('about:blank');
  await checker.goto(`${server.url}/verify#${prefix}.${Buffer.from(forged).toString('base64url')}.${sig}`);
  await checker.waitForSelector('[data-testid=verify-refused]');
  await checker.goto('about:blank');
  await checker.goto(link);
  await checker.waitForSelector('[data-testid=verify-ok]');
  await ctx3.close();
  await ctx.close();
});

test('an activity: places in order, the waiting list moves up, check-in and out on behalf become hours to confirm; two offline phones over-book and both keep their place', async () => {
  await seedVolunteers(['赵一', '钱二', '孙三']);
  const ctx = await phone(browser, true);
  // The page's clock, so half an hour on site passes in a moment. It starts at 01:00 China time today (in
  // the past, and far from midnight: a visit across midnight is split by day and would be two entries),
  // or now when it is not yet 01:30 there.
  const day = 86400e3, cstNow = Date.now() + 8 * 3600e3;
  const sinceMidnight = cstNow % day;
  await ctx.clock.install({ time: sinceMidnight > 1.5 * 3600e3 ? cstNow - sinceMidnight + 3600e3 - 8 * 3600e3 : Date.now() });
  const page = await ctx.newPage();
  await uiLogin(page, server.url, 'admin', ADMIN_PASSWORD);
  await page.goto(server.url + '/activities');
  await ready(page);
  await page.fill('input[name=activity-name]', '敬老院探访');
  await page.fill('input[name=activity-place]', '社区敬老院');
  await page.fill('input[name=start-time]', '00:00');
  await page.fill('input[name=end-time]', '23:59');
  await page.fill('input[name=capacity]', '1');
  await page.click('[data-testid=add-activity]');
  await page.click('[data-testid=activity-link][data-name="敬老院探访"]');
  await ready(page);

  // One place: the first to sign up is in, the second waits.
  for (const name of ['赵一', '钱二']) {
    await page.selectOption('select[name=volunteer]', { label: name });
    await page.click('[data-testid=sign-up]');
    await page.waitForSelector(`[data-testid=sign-up-row][data-name="${name}"]`);
  }
  const stateOf = (name) => page.getAttribute(`[data-testid=sign-up-row][data-name="${name}"]`, 'data-state');
  assert.equal(await stateOf('赵一'), 'placed');
  assert.equal(await stateOf('钱二'), 'waiting');
  // The first cancels: the waiting one moves up.
  await page.click('[data-testid=sign-up-row][data-name="赵一"] [data-testid=cancel-sign-up]');
  await page.waitForFunction(() => !document.querySelector('[data-testid=sign-up-row][data-name="赵一"]'));
  assert.equal(await stateOf('钱二'), 'placed');

  // Checked in and out by staff (an elderly volunteer without a phone), offline.
  await ctx.setOffline(true);
  await page.click('[data-testid=sign-up-row][data-name="钱二"] [data-testid=check-in]');
  await page.waitForSelector('[data-testid=sign-up-row][data-name="钱二"][data-state=inside]');
  await ctx.clock.fastForward('30:00');
  await page.click('[data-testid=sign-up-row][data-name="钱二"] [data-testid=check-out]');
  await page.waitForSelector('[data-testid=record-attendance]:has-text("0.5 小时")');
  await page.click('[data-testid=sign-up-row][data-name="钱二"] [data-testid=record-attendance]');
  await page.waitForFunction(() => !document.querySelector('[data-testid=record-attendance]'));
  await ctx.setOffline(false);
  await page.evaluate(() => window.linli.sync_now());
  await waitPending(page, 0);
  const ops = await pullAll(server.url, admin.token);
  const entries = ops.filter((o) => o.body.type === 'service_entry.add' && o.body.source === 'attendance');
  assert.equal(entries.length, 1);
  assert.equal(entries[0].body.content, '敬老院探访');
  assert.equal(entries[0].body.minutes, 30);
  assert.equal(ops.filter((o) => o.body.type === 'attendance.add').length, 2);

  // Two phones offline both give the last place of a new one-place activity to different volunteers.
  await page.goto(server.url + '/activities');
  await ready(page);
  await page.fill('input[name=activity-name]', '义诊');
  await page.fill('input[name=capacity]', '1');
  await page.click('[data-testid=add-activity]');
  await page.evaluate(() => window.linli.sync_now());
  await waitPending(page, 0);
  const ctx2 = await phone(browser, true);
  const other = await ctx2.newPage();
  await uiLogin(other, server.url, 'li', STAFF_PASSWORD);
  await other.evaluate(() => window.linli.sync_now());
  for (const [p, c, name] of [[page, ctx, '赵一'], [other, ctx2, '孙三']]) {
    await p.goto(server.url + '/activities');
    await ready(p);
    await p.click('[data-testid=activity-link][data-name="义诊"]');
    await ready(p);
    await c.setOffline(true);
    await p.selectOption('select[name=volunteer]', { label: name });
    await p.click('[data-testid=sign-up]');
    await p.waitForSelector(`[data-testid=sign-up-row][data-name="${name}"][data-state=placed]`);
  }
  for (const [p, c] of [[page, ctx], [other, ctx2]]) {
    await c.setOffline(false);
    await p.evaluate(() => window.linli.sync_now());
    await waitPending(p, 0);
  }
  await page.evaluate(() => window.linli.sync_now());
  await page.waitForSelector('[data-testid=over-booked]');
  assert.equal(await page.getAttribute('[data-testid=sign-up-row][data-name="赵一"]', 'data-state'), 'placed');
  assert.equal(await page.getAttribute('[data-testid=sign-up-row][data-name="孙三"]', 'data-state'), 'placed');
  await page.screenshot({ path: process.env.SHOTS ? `${process.env.SHOTS}/activity.png` : '/dev/null', fullPage: true }).catch(() => {});
  await ctx2.close();
  await ctx.close();
});

test('paired services (V5): a pair with no visit for 10 days is overdue; a visit recorded from the record takes it off the list; a new pair is made on the page', async () => {
  const { 周五: volunteer, 吴六: other } = await seedVolunteers(['周五', '吴六']);
  // A compound with one household and two elderly persons.
  const c = uuidv7(), b = uuidv7(), u = uuidv7(), h = uuidv7(), p1 = uuidv7(), p2 = uuidv7();
  let res = await push(server.url, admin, [
    ['compound', c, { type: 'compound.put', name: '结对小区', address: '', year_built: 1990 }],
    ['building', b, { type: 'building.put', compound_id: c, name: '5号楼' }],
    ['unit', u, { type: 'unit.put', building_id: b, name: '1单元' }],
    ['household', h, { type: 'household.put', unit_id: u, door: '301', area_m2: 60, owners: 1 }],
    ['person', p1, { type: 'person.put', household_id: h, name: '陈奶奶', birth_year: 1938, key_groups: ['empty_nest'] }],
    ['person', p2, { type: 'person.put', household_id: h, name: '陈爷爷', birth_year: 1936, key_groups: ['solitary_elderly'] }],
    ['pair', uuidv7(), { type: 'pair.put', volunteer_id: volunteer, person_id: p1, cadence: 'weekly_visit', since: cstDate(-10), active: true }],
  ]);
  for (const r of res) assert.equal(r.status, 'accepted', JSON.stringify(r));
  const ctx = await phone(browser, true);
  const page = await ctx.newPage();
  await uiLogin(page, server.url, 'admin', ADMIN_PASSWORD);
  await page.goto(server.url + '/volunteers');
  await ready(page);
  // Weekly: due 7 days after it began, so 3 days overdue.
  const row = page.locator('[data-testid=overdue-pair][data-volunteer="周五"]');
  await row.waitFor();
  assert.match(await row.textContent(), /陈奶奶.*每周上门探访.*已逾期 3 天/);
  await page.goto(`${server.url}/volunteer/${volunteer}`);
  await ready(page);
  await page.locator('[data-testid=pair-row]:has-text("陈奶奶") [data-testid=record-pair-visit]').click();
  await page.waitForSelector('[data-testid=entry-row]:has-text("每周上门探访")');
  await page.goto(server.url + '/volunteers');
  await ready(page);
  await page.waitForSelector('[data-testid=volunteer-row][data-name="周五"]');
  assert.equal(await page.locator('[data-testid=overdue-pair][data-volunteer="周五"]').count(), 0);
  // 吴六 is paired with 陈爷爷 for a daily call, from the record page.
  await page.goto(`${server.url}/volunteer/${other}`);
  await ready(page);
  // Settled first: a sync landing between choosing and pressing would render the list again.
  await page.evaluate(() => window.linli.sync_now());
  await waitPending(page, 0);
  await page.waitForSelector(`select[name=pair-person] option[value="${p2}"]`, { state: 'attached' });
  await page.selectOption('select[name=pair-person]', p2);
  await page.selectOption('select[name=pair-cadence]', 'daily_call');
  await page.click('[data-testid=add-pair]');
  await page.waitForSelector('[data-testid=pair-row]:has-text("陈爷爷")');
  assert.match(await page.textContent('[data-testid=pair-row]:has-text("陈爷爷")'), /每日电话问候/);
  await page.evaluate(() => window.linli.sync_now());
  const ops = await pullAll(server.url, admin.token);
  assert.ok(ops.some((o) => o.body.type === 'pair.put' && o.body.person_id === p2 && o.body.cadence === 'daily_call'));
  assert.ok(ops.some((o) => o.body.type === 'service_entry.add' && o.body.volunteer_id === volunteer && o.body.pair_id));
  await ctx.close();
});
