// Browser tests of field usability (issue 9) on a 360×640 phone: the status bar is one short line that
// never covers the field being typed in; no visible text is under 18 px; the resident's page links to no
// staff page; a changed vote opens with the previous answer selected.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launch, phone, ready, uiLogin, apiLogin, seedUnit, seedHouseholds, seedProject, issueCodes,
  residentVote, openUnit, pullAll, ADMIN_PASSWORD,
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
