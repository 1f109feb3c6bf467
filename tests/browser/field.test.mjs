// Browser tests of field usability (issue 9) on a 360×640 phone: the status bar is one short line that
// never covers the field being typed in; no visible text is under 18 px; the resident's page links to no
// staff page; a changed vote opens with the previous answer selected.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launch, phone, ready, uiLogin, apiLogin, seedUnit, seedHouseholds, seedProject, issueCodes,
  residentVote, openUnit, pullAll, push, uuidv7, ADMIN_PASSWORD,
} from './harness.mjs';

let server, browser, admin, seed;

before(async () => {
  server = await startServer();
  browser = await launch();
  admin = await apiLogin(server.url, 'admin', ADMIN_PASSWORD);
  seed = await seedUnit(server.url, admin, { compound: '幸福里' });
  await seedHouseholds(server.url, admin, seed.ids.unit, [['101', 60], ['102', 80]]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Visible text set under 18 px on the page: [text, px] pairs. */
async function smallText(page) {
  return page.evaluate(() => {
    const out = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const text = n.textContent.trim();
      const el = n.parentElement;
      if (!text || !el) continue;
      const r = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (r.width === 0 || r.height === 0 || style.visibility === 'hidden' || el.closest('[hidden]')) continue;
      const px = parseFloat(style.fontSize);
      if (px < 18) out.push([text.slice(0, 30), px]);
    }
    return out;
  });
}

/** Whether the element's box lies within the 640 px high screen (below the status bar). */
async function onScreen(locator) {
  const [top, bottom, barBottom] = await locator.evaluate((el) => {
    const r = el.getBoundingClientRect();
    return [r.top, r.bottom, document.querySelector('header.status').getBoundingClientRect().bottom];
  });
  return top >= barBottom && bottom <= 640;
}

const statusHeight = (page) => page.evaluate(() => document.querySelector('header.status').getBoundingClientRect().height);

test('the status bar is one line of at most 56 px, online and offline, and never covers a focused field', async () => {
  const ctx = await phone(browser, true);
  const page = await ctx.newPage();
  await uiLogin(page, server.url, 'admin', ADMIN_PASSWORD);
  assert.ok(await statusHeight(page) <= 56, `online: ${await statusHeight(page)} px`);
  assert.deepEqual(await smallText(page), [], 'compounds page');
  await openUnit(page, seed);
  await ctx.setOffline(true);
  await page.waitForSelector('[data-testid=net-status][data-online="false"]');
  assert.ok(await statusHeight(page) <= 56, `offline: ${await statusHeight(page)} px`);
  // The detail opens on a tap, and closes when a field is focused.
  await page.click('[data-testid=status-toggle]');
  await page.waitForSelector('[data-testid=status-detail]');
  const inputs = await page.locator('main input:visible').all();
  assert.ok(inputs.length > 0);
  for (const input of inputs.slice(0, 4)) {
    // Scrolled so the field is just under the top of the screen, then focused (as a tap or Tab would).
    await input.evaluate((el) => window.scrollTo(0, el.getBoundingClientRect().top + window.scrollY - 10));
    await input.focus();
    const [fieldTop, barBottom] = await input.evaluate((el) => [
      el.getBoundingClientRect().top,
      document.querySelector('header.status').getBoundingClientRect().bottom,
    ]);
    assert.ok(fieldTop >= barBottom, `field at ${fieldTop} px is under the bar ending at ${barBottom} px`);
  }
  assert.equal(await page.locator('[data-testid=status-detail]').count(), 0, 'the detail closed');
  assert.ok(await statusHeight(page) <= 56);
  assert.deepEqual(await smallText(page), [], 'compound page');
  await ctx.setOffline(false);
  await ctx.close();
});

test('the resident page links to no staff page, its text is 18 px or more, and a changed vote starts from the previous answer', async () => {
  const p = await seedProject(server.url, admin, seed.ids.compound, { name: '改造项目' });
  const codes = await issueCodes(server.url, admin, p.id);
  const ctx = await phone(browser, true);
  const page = await ctx.newPage();
  await page.goto(`${server.url}/v/${codes['101']}`);
  await ready(page);
  await page.waitForSelector('[data-testid=start-ballot]');
  const links = await page.$$eval('a[href]', (as) => as.map((a) => new URL(a.href).pathname));
  assert.deepEqual(links.filter((l) => !(l === '/v' || l.startsWith('/v/'))), [], 'no link leaves the voting pages');
  assert.deepEqual(await smallText(page), [], 'voting page');
  await residentVote(page, { agree: true, items: [p.items['加装电梯']] });
  await page.waitForSelector('[data-testid=receipt][data-agree="true"]');
  // The receipt carries a reference to quote: the ballot id's last eight hex digits, and the household.
  const ops = await pullAll(server.url, admin.token);
  const ballot = ops.find((o) => o.body.type === 'ballot.cast' && o.body.project_id === p.id);
  const hex = ballot.id.replace(/-/g, '').toUpperCase();
  const reference = await page.textContent('[data-testid=receipt-reference]');
  assert.ok(reference.includes(`${hex.slice(24, 28)}-${hex.slice(28)}`), reference);
  assert.match(reference, /101/);
  // Changing the answer: the previous one is selected on every screen.
  await page.click('[data-testid=change-ballot]');
  await page.click('[data-testid=next]');
  assert.equal(await page.isChecked('input[name=agree][value=yes]'), true);
  await page.click('[data-testid=next]');
  assert.equal(await page.isChecked(`input[name=item][value="${p.items['加装电梯']}"]`), true);
  assert.equal(await page.isChecked(`input[name=item][value="${p.items['路面']}"]`), false);
  await ctx.close();
});

test('door to door: after saving, the saved door is still on screen and the next unvisited door is one tap away', async () => {
  // 72 doors in one compound, as in the field: the list is several screens long.
  const big = await seedUnit(server.url, admin, { compound: '长街小区' });
  const doors = [];
  for (let floor = 1; floor <= 12; floor++) for (let d = 1; d <= 6; d++) doors.push([`${floor}0${d}`, 60]);
  await seedHouseholds(server.url, admin, big.ids.unit, doors);
  const p = await seedProject(server.url, admin, big.ids.compound, { name: '入户项目' });
  const ctx = await phone(browser, true);
  const page = await ctx.newPage();
  await uiLogin(page, server.url, 'admin', ADMIN_PASSWORD);
  await page.goto(`${server.url}/project/${p.id}/door`);
  await ready(page);
  const row = (door) => page.locator(`[data-testid=door-household][data-door="${door}"]`);
  await row('706').waitFor({ timeout: 15000 });
  const save = async () => {
    await page.check('input[name=agree][value=no]');
    await page.click('[data-testid=review-ballot]');
    await page.click('[data-testid=confirm-ballot]');
  };
  // Door 706, far down the list.
  await row('706').click();
  await save();
  await page.waitForSelector('[data-testid=door-household][data-door="706"][data-state="pending"]');
  await page.waitForTimeout(300);
  assert.ok(await onScreen(row('706')), 'the saved door is in view');
  const next = page.locator('[data-testid=next-door]');
  assert.equal(await next.getAttribute('data-door'), '801', 'the next door without an answer');
  assert.ok(await onScreen(next), 'the next door is one tap away');
  // One tap: its form.
  await next.click();
  assert.match(await page.textContent('[data-testid=ballot-household]'), /801/);
  await save();
  await page.waitForSelector('[data-testid=door-household][data-door="801"][data-state="pending"]');
  await page.waitForTimeout(300);
  assert.ok(await onScreen(row('801')));
  assert.equal(await page.locator('[data-testid=next-door]').getAttribute('data-door'), '802');
  // A door number typed (full-width too) narrows the list to it.
  await page.fill('[data-testid=door-filter]', '１２０３');
  await page.waitForFunction(() => document.querySelectorAll('[data-testid=door-household]').length === 1);
  assert.equal(await page.locator('[data-testid=door-household]').getAttribute('data-door'), '1203');
  await ctx.close();
});

test('slips of one building print from their own page, still there after leaving and coming back; 作废 keeps its distance', async () => {
  // A second building with one household, so "one building" is a real choice.
  const b2 = uuidv7(), u2 = uuidv7(), h2 = uuidv7();
  await push(server.url, admin, [
    ['building', b2, { type: 'building.put', compound_id: seed.ids.compound, name: '2号楼' }],
    ['unit', u2, { type: 'unit.put', building_id: b2, name: '1单元' }],
    ['household', h2, { type: 'household.put', unit_id: u2, door: '501', area_m2: 70, owners: 1 }],
  ]);
  const p = await seedProject(server.url, admin, seed.ids.compound, { name: '纸条项目' });
  const old = (await issueCodes(server.url, admin, p.id))['101'];
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  page.on('dialog', (d) => d.accept());
  await uiLogin(page, server.url, 'admin', ADMIN_PASSWORD);
  await page.goto(`${server.url}/project/${p.id}/slips`);
  await ready(page);
  await page.waitForSelector(`select[name=slips-building] option[value="${seed.ids.building}"]`, { state: 'attached' });
  // The whole compound is 3 households; 1号楼 is 2. The page says plainly that this replaces earlier slips.
  assert.match(await page.textContent('[data-testid=make-slips]'), /3 户/);
  await page.selectOption('select[name=slips-building]', seed.ids.building);
  assert.match(await page.textContent('[data-testid=make-slips]'), /2 户/);
  assert.match(await page.textContent('[data-testid=slips-reissue-note]'), /原来的纸条随即作废/);
  await page.click('[data-testid=make-slips]');
  await page.waitForSelector('[data-testid=code-slip][data-door="102"]', { timeout: 15000 });
  assert.deepEqual(await page.locator('[data-testid=code-slip]').evaluateAll((els) => els.map((e) => e.dataset.door)), ['101', '102']);
  // The slips are near the top, not 10,000 px down: the first one starts within two screens.
  const top = await page.locator('[data-testid=code-slip]').first().evaluate((el) => el.getBoundingClientRect().top + scrollY);
  assert.ok(top < 1280, `first slip at ${top} px`);
  const fresh = await page.getAttribute('[data-testid=code-slip][data-door="101"]', 'data-code');
  assert.notEqual(fresh, old, 'a reprint is a reissue');

  // Leave for the codes page and come back: the same slips, ready to print.
  await page.click('[data-testid=codes-link]');
  await page.waitForSelector('[data-testid=code-row][data-door="101"] [data-testid=revoke-code]');
  // 作废 sits at least 8 px from the button beside it.
  const gap = await page.locator('[data-testid=code-row][data-door="101"]').evaluate((row) => {
    const a = row.querySelector('[data-testid=reissue-code]').getBoundingClientRect();
    const b = row.querySelector('[data-testid=revoke-code]').getBoundingClientRect();
    const dx = Math.max(b.left - a.right, a.left - b.right), dy = Math.max(b.top - a.bottom, a.top - b.bottom);
    return Math.max(dx, dy);
  });
  assert.ok(gap >= 8, `gap ${gap} px`);
  await page.click('[data-testid=slips-nav-link]');
  await page.waitForSelector('[data-testid=code-slip][data-door="101"]');
  assert.equal(await page.getAttribute('[data-testid=code-slip][data-door="101"]', 'data-code'), fresh);
  assert.equal(await page.locator('[data-testid=code-slip]').count(), 2);
  assert.equal(await page.inputValue('select[name=slips-building]'), seed.ids.building, 'the building they were made for');
  await page.emulateMedia({ media: 'print' });
  assert.equal(await page.locator('[data-testid=make-slips]').isVisible(), false);
  assert.equal(await page.locator('[data-testid=code-slip][data-door="102"]').isVisible(), true);
  await page.emulateMedia({ media: 'screen' });
  if (process.env.SHOTS) await page.screenshot({ path: `${process.env.SHOTS}/slips.png` });
  await ctx.close();
});

test('the menu editor removes an item no ballot chose, refuses one a ballot chose, and keeps a local item\'s English name', async () => {
  const p = await seedProject(server.url, admin, seed.ids.compound, { name: '菜单删除项目' });
  const codes = await issueCodes(server.url, admin, p.id);
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  page.on('dialog', (d) => d.accept());
  await uiLogin(page, server.url, 'admin', ADMIN_PASSWORD);
  // A resident chooses 路面 (from another phone), so 路面 stays and 加装电梯 can go.
  const rctx = await phone(browser);
  const rpage = await rctx.newPage();
  await rpage.goto(`${server.url}/v/${codes['101']}`);
  await ready(rpage);
  await rpage.waitForSelector('[data-testid=vote-household]', { timeout: 15000 });
  await residentVote(rpage, { agree: true, items: [p.items['路面']] });
  await rpage.waitForSelector('[data-testid=receipt][data-agree="true"]', { timeout: 15000 });
  await page.goto(`${server.url}/project/${p.id}`);
  await ready(page);
  const item = (name) => page.locator(`[data-testid=menu-item][data-name="${name}"]`);
  await item('加装电梯').waitFor({ timeout: 15000 });
  await page.evaluate(() => window.linli.sync_now()); // the resident's ballot is on this phone now
  await item('加装电梯').locator('[data-testid=remove-item]').click();
  await item('加装电梯').waitFor({ state: 'detached' });
  await item('路面').locator('[data-testid=remove-item]').click();
  await page.waitForSelector('[data-testid=remove-error]');
  assert.equal((await page.textContent('[data-testid=remove-error]')).trim(), '已有住户选了这个项目，不能删除');
  assert.equal(await item('路面').count(), 1);
  // A local item with an English name: the resident's English page shows it.
  await page.fill('input[name=item-name]', '路面硬化（东区）');
  await page.fill('input[name=item-name-en]', 'Road resurfacing (east)');
  await page.fill('input[name=item-cost]', '120000');
  await page.click('[data-testid=add-item]');
  await item('路面硬化（东区）').waitFor();
  await page.evaluate(() => window.linli.sync_now());
  for (let i = 0; i < 50; i++) {
    const ops = (await pullAll(server.url, admin.token)).filter((o) => o.body.type === 'menu_item.put' && o.body.project_id === p.id);
    if (ops.some((o) => o.body.name_en === 'Road resurfacing (east)')) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const ops = await pullAll(server.url, admin.token);
  assert.ok(ops.some((o) => o.entity.kind === 'menu_item' && o.body.type === 'delete'), 'the removal reached the server');
  assert.ok(ops.some((o) => o.body.name_en === 'Road resurfacing (east)'), 'the English name reached the server');
  await rpage.reload();
  await ready(rpage);
  await rpage.waitForSelector('[data-testid=vote-household]', { timeout: 15000 });
  await rpage.click('[data-testid=vote-lang]');
  await rpage.click('[data-testid=change-ballot]');
  await rpage.waitForSelector('text=Road resurfacing (east)', { timeout: 15000 });
  assert.equal(await rpage.locator('text=加装电梯').count(), 0, 'the removed item is off the menu');
  await rctx.close();
  await ctx.close();
});
