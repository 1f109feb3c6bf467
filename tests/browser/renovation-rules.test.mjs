// Browser tests of the renovation rules living in the core (issue 6): a district's rule set (coverage 3/4,
// 3 consultation rounds) followed by the app's pages and exports; results counting only ballots the server
// accepted (the waiting ones shown apart); a lift decided by its unit; a disagreeing household chooses no
// items; printable paper forms for a whole building, whose codes are reissued.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  startServer, launch, phone, ready, uiLogin, waitPending, apiLogin, push, seedUnit, seedHouseholds, seedProject,
  issueCodes, uuidv7, ADMIN_PASSWORD,
} from './harness.mjs';

let server, browser, admin, seed, doors;

before(async () => {
  // A district's own rule set: the national defaults with coverage 3/4 and 3 consultation rounds.
  const rules = JSON.parse(readFileSync(new URL('../../core/data/rules-default.json', import.meta.url), 'utf8'));
  rules.renovation.coverage_min = { num: 3, den: 4, strict: false };
  rules.renovation.consultation_rounds_min = 3;
  const file = join(mkdtempSync(join(tmpdir(), 'linli-rules-')), 'district.json');
  writeFileSync(file, JSON.stringify(rules));
  server = await startServer({ LINLI_RULES: file });
  browser = await launch();
  admin = await apiLogin(server.url, 'admin', ADMIN_PASSWORD);
  seed = await seedUnit(server.url, admin, { compound: '和平里' });
  doors = await seedHouseholds(server.url, admin, seed.ids.unit,
    [['101', 60], ['102', 80], ['201', 90], ['202', 70], ['301', 100], ['302', 50]]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

async function staffBallots(p, answers) {
  const res = await push(server.url, admin, answers.map(([door, agree, items]) => ['ballot', uuidv7(), {
    type: 'ballot.cast', project_id: p.id, household_id: doors[door], agree, items: agree ? items : [],
    cast_at_ms: Date.now(), channel: 'staff',
  }]));
  for (const r of res) assert.equal(r.status, 'accepted', JSON.stringify(r));
}

test('a district rule set (coverage 3/4, 3 rounds) is what the results page, the project page and the CSV show', async () => {
  const p = await seedProject(server.url, admin, seed.ids.compound, { name: '四分之三项目' });
  // 4 of 6 answered: 66.7% meets two thirds but not three quarters.
  await staffBallots(p, [['101', true, [p.items['路面']]], ['102', true, []], ['201', false, []], ['202', true, []]]);
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await uiLogin(page, server.url, 'admin', ADMIN_PASSWORD);
  await page.goto(`${server.url}/project/${p.id}/results`);
  await ready(page);
  await page.waitForFunction(() => /四分之三/.test(document.querySelector('[data-testid=coverage-text]')?.textContent || ''), null, { timeout: 25000 });
  assert.equal((await page.textContent('[data-testid=coverage-text]')).trim(), '已回收 4/6 户（66.7%），未达到四分之三');
  assert.equal(await page.getAttribute('[data-testid=coverage-text]', 'data-meets'), 'false');
  // The threshold line of the bar is drawn at 3/4 of its width (750 of 1000).
  assert.equal(await page.getAttribute('svg[data-testid=coverage-bar] line', 'x1'), '750');
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-csv]')]);
  const text = readFileSync(await csv.path(), 'utf8');
  assert.match(text, /覆盖率达到四分之三 \(Coverage meets three quarters\),否 \(no\)/);
  assert.match(text, /至少需3轮/);
  assert.doesNotMatch(text, /三分之二/);

  // R7 on the project page: rounds held against the district's minimum of 3.
  await page.goto(`${server.url}/project/${p.id}`);
  await ready(page);
  await page.waitForSelector('[data-testid=rounds-count]');
  assert.equal(await page.getAttribute('[data-testid=rounds-count]', 'data-min'), '3');
  assert.equal(await page.getAttribute('[data-testid=rounds-count]', 'data-met'), 'false');
  assert.match(await page.textContent('[data-testid=rounds-count]'), /0 \/ 3/);
  await ctx.close();
});

test('results count only ballots the server accepted; a ballot waiting on the phone is shown apart', async () => {
  const p = await seedProject(server.url, admin, seed.ids.compound, { name: '待发送项目' });
  await staffBallots(p, [['101', true, []]]);
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await uiLogin(page, server.url, 'admin', ADMIN_PASSWORD);
  await page.goto(`${server.url}/project/${p.id}/door`);
  await ready(page);
  await page.waitForSelector('[data-testid=door-household][data-door="301"]', { timeout: 15000 });
  await page.waitForFunction(() => /1\/6/.test(document.querySelector('[data-testid=coverage-text]')?.textContent || ''), null, { timeout: 25000 });

  await ctx.setOffline(true);
  await page.waitForSelector('[data-testid=net-status][data-online="false"]');
  await page.click('[data-testid=door-household][data-door="301"]');
  // R4: "disagree" makes the items impossible to tick.
  await page.check('input[name=agree][value=no]');
  assert.equal(await page.isDisabled(`input[name=item][value="${p.items['路面']}"]`), true);
  await page.waitForSelector('[data-testid=no-items-if-disagree]');
  await page.check('input[name=agree][value=yes]');
  await page.check(`input[name=item][value="${p.items['路面']}"]`);
  await page.click('[data-testid=review-ballot]');
  await page.click('[data-testid=confirm-ballot]');
  await page.waitForSelector('[data-testid=door-household][data-door="301"][data-state="pending"]');
  // Still 1 of 6 counted; the one on this phone is shown apart.
  await page.waitForSelector('[data-testid=waiting-ballots][data-count="1"]');
  assert.match(await page.textContent('[data-testid=coverage-text]'), /已回收 1\/6 户/);
  assert.match(await page.textContent('[data-testid=waiting-ballots]'), /另有 1 份答卷在本机等待发送/);

  await ctx.setOffline(false);
  await waitPending(page, 0, 25000);
  await page.waitForFunction(() => /2\/6/.test(document.querySelector('[data-testid=coverage-text]')?.textContent || ''), null, { timeout: 25000 });
  assert.equal(await page.locator('[data-testid=waiting-ballots]').count(), 0);
  await ctx.close();
});

test('the lift from the catalogue is decided by its unit, as a special matter', async () => {
  const p = await seedProject(server.url, admin, seed.ids.compound, { name: '电梯项目' }, [
    { catalogue: 'road', class: 'basic', name: '路面', cost_yuan: 200000 },
  ]);
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await uiLogin(page, server.url, 'admin', ADMIN_PASSWORD);
  await page.goto(`${server.url}/project/${p.id}`);
  await ready(page);
  await page.click('[data-testid=catalogue-item][data-id=lift] button');
  assert.equal(await page.inputValue('select[name=item-electorate]'), `u:${seed.ids.unit}`);
  assert.equal(await page.inputValue('select[name=item-matter]'), 'special');
  await page.fill('input[name=item-cost]', '600000');
  await page.click('[data-testid=add-item]');
  await page.waitForSelector('[data-testid=menu-item][data-name="加装电梯"] [data-testid=item-electorate]');
  assert.match(await page.textContent('[data-testid=menu-item][data-name="加装电梯"] [data-testid=item-electorate]'), /1号楼 1单元/);
  await waitPending(page, 0, 25000);
  const menu = (await (await fetch(`${server.url}/api/projects/${p.id}/results`, { headers: { authorization: 'Bearer ' + admin.token } })).json()).menu;
  const lift = menu.find((m) => m.name === '加装电梯');
  assert.deepEqual(lift.electorate, { scope: 'unit', id: seed.ids.unit });
  assert.equal(lift.matter, 'special');
  await ctx.close();
});

test('paper forms for a whole building: one per household, with the menu and a new code as QR', async () => {
  const p = await seedProject(server.url, admin, seed.ids.compound, { name: '纸质调查项目' });
  const old = (await issueCodes(server.url, admin, p.id))['101'];
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await uiLogin(page, server.url, 'admin', ADMIN_PASSWORD);
  await page.goto(`${server.url}/project/${p.id}/forms`);
  await ready(page);
  await page.waitForSelector(`select[name=forms-building] option[value="${seed.ids.building}"]`, { state: 'attached' });
  await page.selectOption('select[name=forms-building]', seed.ids.building);
  assert.match(await page.textContent('[data-testid=forms-reissue-note]'), /重新发放/);
  assert.match(await page.textContent('[data-testid=make-forms]'), /\(6\)/);
  await page.click('[data-testid=make-forms]');
  await page.waitForSelector('[data-testid=paper-form][data-door="302"]', { timeout: 15000 });
  assert.equal(await page.locator('[data-testid=paper-form]').count(), 6);
  const form = page.locator('[data-testid=paper-form][data-door="101"]');
  assert.equal(await form.locator('[data-testid=form-item]').count(), 2, 'the whole menu');
  assert.equal(await form.locator('.qr svg').count(), 1);
  assert.match(await form.textContent(), /加装电梯/);
  assert.match(await form.textContent(), /5,000 元/);
  const fresh = await form.getAttribute('data-code');
  assert.notEqual(fresh, old);
  // The earlier code of 101 stopped working; the printed one opens the household.
  const login = async (code) => (await fetch(`${server.url}/api/vote/login`, {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }),
  })).status;
  assert.equal(await login(old), 401);
  assert.equal(await login(fresh), 200);
  // Print: the forms, one per page, without the page's controls.
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('[data-testid=make-forms]').isVisible(), false);
  assert.equal(await form.isVisible(), true);
  await ctx.close();
});
