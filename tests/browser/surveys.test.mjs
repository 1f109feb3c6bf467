// Browser tests of door-to-door surveys (issue 11, RULES §4) on a 360×640 phone: a form built with a
// condition; filled offline at a door, the tab closed mid-form and the draft finished after reopening;
// a door not at home on the revisit list; after sync, coverage, the ledger and the due list; review
// (approve, return with a comment); a draft under an old version finished after a new one is published.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launch, phone, ready, uiLogin, apiLogin, seedUnit, seedHouseholds, push, pullAll, uuidv7,
  ADMIN_PASSWORD,
} from './harness.mjs';

let server, browser, admin, seed, doors;

before(async () => {
  server = await startServer();
  browser = await launch();
  admin = await apiLogin(server.url, 'admin', ADMIN_PASSWORD);
  seed = await seedUnit(server.url, admin, { compound: '幸福里' });
  doors = await seedHouseholds(server.url, admin, seed.ids.unit, [['101'], ['102'], ['201'], ['202']]);
  // A key-group person (H4: elderly) in 202, never surveyed: on the S1 due list.
  const res = await push(server.url, admin, [['person', uuidv7(), {
    type: 'person.put', household_id: doors['202'], name: '李桂英', birth_year: 1940, key_groups: ['elderly'],
  }]]);
  assert.equal(res[0].status, 'accepted', JSON.stringify(res));
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

const shots = process.env.SHOTS;
const sync = (page) => page.evaluate(() => window.linli.sync_now());

/** The drafts in this page's IndexedDB, as stored. */
const storedDrafts = (page) => page.evaluate(() => new Promise((resolve, reject) => {
  const open = indexedDB.open('linli');
  open.onsuccess = () => {
    const r = open.result.transaction('drafts').objectStore('drafts').getAll();
    r.onsuccess = () => resolve(r.result.map((v) => (typeof v === 'string' ? JSON.parse(v) : v)));
    r.onerror = () => reject(r.error);
  };
  open.onerror = () => reject(open.error);
}));

async function waitFor(what, f, timeout = 10000) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > end) throw new Error('timed out waiting for ' + what);
    await new Promise((r) => setTimeout(r, 100));
  }
}

test('a form with a condition, filled offline at a door across a closed tab; revisit list; coverage, ledger, due list and review after sync', async () => {
  const ctx = await phone(browser);
  let page = await ctx.newPage();
  page.on('dialog', (d) => d.accept());
  await uiLogin(page, server.url, 'admin', ADMIN_PASSWORD);

  // Build: a yes/no question, and a number asked only if the answer is yes.
  await page.click('[data-testid=surveys-link]');
  await page.click('[data-testid=new-form]');
  await page.fill('input[name=form-title-zh]', '老人需求调查');
  await page.fill('input[name=form-title-en]', 'Elderly needs');
  await page.selectOption('select[name=question-type]', 'yesno');
  await page.fill('input[name=label-zh]', '家里有65岁以上老人吗');
  await page.check('input[name=required]');
  await page.click('[data-testid=add-question]');
  await page.selectOption('select[name=question-type]', 'number');
  await page.fill('input[name=label-zh]', '几位老人');
  await page.check('input[name=required]');
  await page.fill('input[name=min]', '1');
  await page.fill('input[name=max]', '10');
  await page.selectOption('select[name=condition-question]', 'q1');
  await page.selectOption('select[name=condition-op]', 'eq');
  await page.fill('input[name=condition-value]', '是');
  await page.click('[data-testid=add-question]');
  assert.equal(await page.locator('[data-testid=builder-question]').count(), 2);
  assert.equal(await page.locator('[data-testid=builder-question][data-q=q2] [data-testid=has-condition]').count(), 1);
  if (shots) await page.screenshot({ path: `${shots}/survey-builder.png`, fullPage: true });
  await page.click('[data-testid=publish-form]');
  const row = page.locator('[data-testid=form-row][data-title="老人需求调查"]');
  await row.waitFor();
  assert.equal(await row.getAttribute('data-version'), '1');
  await sync(page);
  await page.evaluate(() => navigator.serviceWorker.ready);

  // At the doors, with no signal.
  await ctx.setOffline(true);
  await row.locator('[data-testid=visits-link]').click();
  const door = (d) => page.locator(`[data-testid=survey-door][data-door="${d}"]`);
  await door('101').waitFor();
  await door('102').locator('[data-testid=not-home]').click();
  await page.waitForSelector('[data-testid=revisit][data-door="102"]');
  assert.equal(await door('102').getAttribute('data-status'), 'not_home');
  if (shots) await page.screenshot({ path: `${shots}/survey-visits.png` });
  await door('101').locator('[data-testid=fill-door]').click();
  await page.waitForSelector('[data-testid=fill-title]');
  assert.match(await page.textContent('[data-testid=fill-place]'), /101/);
  // The number is asked only after a yes.
  assert.equal(await page.locator('[data-testid=question][data-q=q2]').count(), 0);
  await page.check('input[name=q1][value=true]');
  await page.locator('[data-testid=question][data-q=q2]').waitFor();
  // Written to IndexedDB as it was given: the tab is closed before anything else.
  await waitFor('the answer on disk', async () => (await storedDrafts(page)).some((d) => d.answers.q1 === true));
  if (shots) await page.screenshot({ path: `${shots}/survey-fill.png` });
  await page.close();

  // Reopened, still offline: the draft is listed and opens where it stopped.
  page = await ctx.newPage();
  page.on('dialog', (d) => d.accept());
  await page.goto(`${server.url}/surveys`);
  await ready(page);
  await page.click('[data-testid=continue-draft]');
  await page.waitForSelector('[data-testid=question][data-q=q2]');
  assert.equal(await page.isChecked('input[name=q1][value=true]'), true);
  // Out of range is said at once, naming the range.
  await page.fill('input[name=q2]', '12');
  await page.press('input[name=q2]', 'Tab');
  await page.waitForSelector('[data-testid=question][data-q=q2] [data-testid=answer-error]');
  assert.match(await page.textContent('[data-testid=question][data-q=q2] [data-testid=answer-error]'), /1–10/);
  await page.fill('input[name=q2]', '2');
  await page.press('input[name=q2]', 'Tab');
  await page.click('[data-testid=submit-response]');
  await page.waitForSelector('[data-testid=submitted]');
  assert.equal(await door('101').getAttribute('data-status'), 'answered');
  assert.deepEqual(await storedDrafts(page), [], 'the draft went with the submission');
  assert.equal((await pullAll(server.url, admin.token)).filter((o) => o.body.type === 'survey_response.add').length, 0, 'nothing sent offline');

  // Online: sent. A second response (201) arrives from another phone.
  await ctx.setOffline(false);
  await sync(page);
  const ops = await pullAll(server.url, admin.token);
  const sent = ops.filter((o) => o.body.type === 'survey_response.add');
  assert.equal(sent.length, 1);
  assert.deepEqual(sent[0].body.answers, { q1: true, q2: 2 });
  assert.equal(sent[0].body.household_id, doors['101']);
  assert.equal(sent[0].body.form_version, 1);
  assert.ok(sent[0].body.submitted_at_ms >= sent[0].body.started_at_ms);
  const version = ops.find((o) => o.body.type === 'form_version.add' && o.body.title_zh === '老人需求调查');
  const now = Date.now();
  const res = await push(server.url, admin, [['survey_response', uuidv7(), {
    type: 'survey_response.add', form_id: version.body.form_id, form_version: 1, form_version_id: version.entity.id,
    household_id: doors['201'], answers: { q1: false }, collector: 'wang', device: uuidv7(),
    started_at_ms: now - 60000, submitted_at_ms: now - 1000, seen: [],
  }]]);
  assert.equal(res[0].status, 'accepted', JSON.stringify(res));
  await sync(page);

  // Coverage (S4): 4 households; answered 101 and 201, 102 not at home, 202 not visited.
  await page.goto(`${server.url}/surveys`);
  await ready(page);
  const total = page.locator('[data-testid=coverage-row][data-building="全小区"]');
  await total.waitFor();
  assert.deepEqual(
    [await total.getAttribute('data-answered'), await total.getAttribute('data-visited'), await total.getAttribute('data-outstanding')],
    ['2', '3', '2'],
  );
  assert.match(await total.textContent(), /覆盖率 50\.0%/);
  // Due (S1): 李桂英 (elderly, never surveyed).
  assert.match(await page.textContent('[data-testid=needs-due]'), /李桂英.*从未调查/);
  if (shots) await page.screenshot({ path: `${shots}/surveys.png`, fullPage: true });
  // The home page says so too.
  await page.goto(`${server.url}/`);
  await ready(page);
  assert.match(await page.textContent('[data-testid=due-needs]'), /1/);

  // Review: approve 101, return 201 with a comment the collector sees.
  await page.goto(`${server.url}/survey/${version.body.form_id}/responses`);
  await ready(page);
  const resp = (d) => page.locator(`[data-testid=response][data-door$="${d}"]`);
  await resp('101').waitFor();
  assert.match(await resp('101').textContent(), /几位老人：2/);
  await resp('101').locator('[data-testid=approve-response]').click();
  await page.waitForSelector('[data-testid=response][data-door$="101"][data-review=approved]');
  await resp('201').locator('input[name=review-comment]').fill('请核实是否有老人');
  await resp('201').locator('[data-testid=return-response]').click();
  await page.waitForSelector('[data-testid=response][data-door$="201"][data-review=has_issues]');
  assert.equal((await resp('201').locator('[data-testid=review-comment]').textContent()).trim(), '请核实是否有老人');
  await sync(page);
  const reviews = (await pullAll(server.url, admin.token)).filter((o) => o.body.type === 'response_review.add');
  assert.deepEqual(reviews.map((r) => r.body.verdict).sort(), ['approved', 'has_issues']);

  // The ledger of 101: the response, in date order.
  await page.goto(`${server.url}/household/${doors['101']}/ledger`);
  await ready(page);
  await page.waitForSelector('[data-testid=ledger-row]');
  assert.match(await page.textContent('[data-testid=ledger]'), /老人需求调查/);
  await ctx.close();
});

test('a draft started under version 1 is finished under version 1 after version 2 is published', async () => {
  const form = uuidv7(), v1 = uuidv7();
  const q = (id, type, label, extra = {}) => ({ id, type, required: true, label_zh: label, label_en: label, ...extra });
  let res = await push(server.url, admin, [['form_version', v1, {
    type: 'form_version.add', form_id: form, version: 1, purpose: 'satisfaction', title_zh: '满意度调查', title_en: 'Satisfaction',
    questions: [q('q1', 'yesno', '您对社区环境满意吗')],
  }]]);
  assert.equal(res[0].status, 'accepted', JSON.stringify(res));
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await uiLogin(page, server.url, 'admin', ADMIN_PASSWORD);
  await page.goto(`${server.url}/survey/${form}/visits`);
  await ready(page);
  await page.locator('[data-testid=survey-door][data-door="202"] [data-testid=fill-door]').click();
  await page.waitForSelector('[data-testid=fill-title]');
  await page.check('input[name=q1][value=true]');
  await waitFor('the answer on disk', async () => (await storedDrafts(page)).some((d) => d.answers.q1 === true));
  const draftUrl = page.url();
  // Version 2 adds a required question, published meanwhile from another device.
  res = await push(server.url, admin, [['form_version', uuidv7(), {
    type: 'form_version.add', form_id: form, version: 2, purpose: 'satisfaction', title_zh: '满意度调查', title_en: 'Satisfaction',
    questions: [q('q1', 'yesno', '您对社区环境满意吗'), q('q2', 'text', '您的建议')],
  }]]);
  assert.equal(res[0].status, 'accepted', JSON.stringify(res));
  await sync(page);
  await page.goto(`${server.url}/surveys`);
  await ready(page);
  await page.waitForSelector('[data-testid=form-row][data-title="满意度调查"][data-version="2"]');
  await page.goto(draftUrl);
  await ready(page);
  await page.waitForSelector('[data-testid=fill-title]');
  assert.match(await page.textContent('.fill .sub'), /第 1 版/);
  assert.equal(await page.locator('[data-testid=question][data-q=q2]').count(), 0, 'version 1 has no q2');
  await page.click('[data-testid=submit-response]');
  await page.waitForSelector('[data-testid=submitted]');
  await sync(page);
  const sent = (await pullAll(server.url, admin.token)).filter((o) => o.body.type === 'survey_response.add' && o.body.form_id === form);
  assert.equal(sent.length, 1);
  assert.equal(sent[0].body.form_version, 1);
  assert.equal(sent[0].body.form_version_id, v1);
  await ctx.close();
});
