// Browser tests of the renovation vote (issue 3): residents vote on a phone with their household's code
// (offline too), change their answer, are refused after the close; staff collect paper ballots door to door
// offline, read the results (coverage, art. 278) and export them (CSV made in the app, XLSX from the server).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, launch, phone, ready, uiLogin, waitPending, pendingCount, apiLogin, pullAll, push, seedUnit,
  seedHouseholds, seedProject, projectBody, issueCodes, projectResults, residentVote, cstDate, uuidv7, ADMIN_PASSWORD,
} from './harness.mjs';

let server, browser, admin, seed, doors;

before(async () => {
  server = await startServer();
  browser = await launch();
  admin = await apiLogin(server.url, 'admin', ADMIN_PASSWORD);
  seed = await seedUnit(server.url, admin, { compound: '幸福里' });
  doors = await seedHouseholds(server.url, admin, seed.ids.unit,
    [['101', 60], ['102', 80], ['201', 90], ['202', 70], ['301', 100], ['302', 50]]);
});

after(async () => {
  await browser?.close();
  await server?.stop();
});

/** Opens the resident page of a code and waits until the household shows. */
async function openVote(page, code) {
  await page.goto(`${server.url}/v/${code}`);
  await ready(page);
  await page.waitForSelector('[data-testid=vote-household]', { timeout: 15000 });
}

function ballotOps(ops, projectId) {
  return ops.filter((o) => o.body.type === 'ballot.cast' && o.body.project_id === projectId);
}

test('(1) a resident votes offline on a phone after the first load: it waits, then is received and counted', async () => {
  const p = await seedProject(server.url, admin, seed.ids.compound, { name: '离线投票项目' });
  const codes = await issueCodes(server.url, admin, p.id);
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await openVote(page, codes['101']);
  assert.match(await page.textContent('[data-testid=vote-household]'), /101/);
  assert.match(await page.textContent('[data-testid=vote-compound]'), /幸福里/);
  await page.evaluate(() => navigator.serviceWorker.ready);

  // No network: the page opens again from the phone (service worker + IndexedDB).
  await ctx.setOffline(true);
  await page.reload();
  await ready(page);
  await page.waitForSelector('[data-testid=start-ballot]', { timeout: 15000 });
  await residentVote(page, { agree: true, items: [p.items['路面']] });
  await page.waitForSelector('[data-testid=ballot-waiting]');
  assert.equal(ballotOps(await pullAll(server.url, admin.token), p.id).length, 0, 'nothing sent while offline');

  // Back online: sent by itself; the receipt shows; the server counts it.
  await ctx.setOffline(false);
  await page.waitForSelector('[data-testid=receipt][data-agree="true"]', { timeout: 25000 });
  assert.match(await page.textContent('[data-testid=receipt]'), /已收到/);
  const r = await projectResults(server.url, admin, p.id);
  assert.equal(r.coverage.responded, 1);
  assert.equal(r.agreement.households, 1);
  const ops = ballotOps(await pullAll(server.url, admin.token), p.id);
  assert.equal(ops.length, 1);
  assert.equal(ops[0].body.channel, 'resident');
  assert.equal(ops[0].body.household_id, doors['101']);
  await ctx.close();
});

test('(2) a resident changes the answer: the later one counts, both are kept', async () => {
  const p = await seedProject(server.url, admin, seed.ids.compound, { name: '改变意见项目' });
  const codes = await issueCodes(server.url, admin, p.id);
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await openVote(page, codes['102']);
  await residentVote(page, { agree: true, items: [p.items['路面'], p.items['加装电梯']] });
  await page.waitForSelector('[data-testid=receipt][data-agree="true"]', { timeout: 15000 });
  await residentVote(page, { agree: false, items: [], change: true });
  await page.waitForSelector('[data-testid=receipt][data-agree="false"]', { timeout: 15000 });

  const r = await projectResults(server.url, admin, p.id);
  assert.equal(r.coverage.responded, 1);
  assert.equal(r.agreement.households, 0, 'the later answer (no) counts');
  const ops = ballotOps(await pullAll(server.url, admin.token), p.id);
  assert.equal(ops.length, 2, 'both answers are kept');
  assert.deepEqual(ops.map((o) => o.body.agree).sort(), [false, true]);

  // The page opened again shows the answer that counts.
  await page.reload();
  await ready(page);
  await page.waitForSelector('[data-testid=receipt][data-agree="false"]');
  await ctx.close();
});

test('(3) a vote that reaches the server after the close is refused, and the reason is shown', async () => {
  const p = await seedProject(server.url, admin, seed.ids.compound, { name: '已截止项目', grace_days: 0 });
  const codes = await issueCodes(server.url, admin, p.id);
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await openVote(page, codes['201']);
  await ctx.setOffline(true);
  await residentVote(page, { agree: true, items: [p.items['路面']] });
  await page.waitForSelector('[data-testid=ballot-waiting]');
  // Meanwhile the staff close the survey: it closed yesterday, with no grace period.
  const res = await push(server.url, admin, [['project', p.id, projectBody(seed.ids.compound, {
    name: '已截止项目', survey_opens: cstDate(-5), survey_closes: cstDate(-1), grace_days: 0,
  })]]);
  assert.equal(res[0].status, 'accepted');
  await ctx.setOffline(false);
  await page.waitForSelector('[data-testid=ballot-refused]', { timeout: 25000 });
  const reason = await page.textContent('[data-testid=ballot-refused]');
  assert.match(reason, /结束/, reason);
  assert.equal(await page.getAttribute('[data-testid=ballot-refused]', 'data-code'), 'survey_closed');
  assert.equal((await projectResults(server.url, admin, p.id)).coverage.responded, 0);

  // A closed survey offers no new answer.
  await page.reload();
  await ready(page);
  await page.waitForSelector('[data-testid=vote-open][data-open="false"]');
  assert.equal(await page.locator('[data-testid=start-ballot], [data-testid=change-ballot]').count(), 0);
  // After the close the resident sees the totals (never other households' answers).
  await page.waitForSelector('[data-testid=resident-results] [data-testid=coverage-text]', { timeout: 15000 });
  assert.match(await page.textContent('[data-testid=resident-results] [data-testid=coverage-text]'), /已回收 0\/6 户/);
  await ctx.close();
});

test('(4) staff record a paper ballot offline door to door; after reconnecting it is on the server as staff', async () => {
  const p = await seedProject(server.url, admin, seed.ids.compound, { name: '入户收集项目' });
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await uiLogin(page, server.url, 'admin', ADMIN_PASSWORD);
  await page.goto(`${server.url}/project/${p.id}/door`);
  await ready(page);
  await page.waitForSelector('[data-testid=door-household][data-door="301"]', { timeout: 15000 });

  await ctx.setOffline(true);
  await page.waitForSelector('[data-testid=net-status][data-online="false"]');
  await page.click('[data-testid=door-household][data-door="301"]');
  await page.check('input[name=agree][value=yes]');
  await page.check(`input[name=item][value="${p.items['加装电梯']}"]`);
  await page.click('[data-testid=review-ballot]');
  await page.waitForSelector('[data-testid=ballot-review]');
  await page.click('[data-testid=confirm-ballot]');
  await page.waitForSelector('[data-testid=door-household][data-door="301"][data-state="pending"]');
  assert.equal(await pendingCount(page), 1);
  assert.match(await page.textContent('[data-testid=door-household][data-door="301"]'), /工作人员代收/);

  await ctx.setOffline(false);
  await waitPending(page, 0, 25000);
  const ops = ballotOps(await pullAll(server.url, admin.token), p.id);
  assert.equal(ops.length, 1);
  assert.equal(ops[0].body.channel, 'staff');
  assert.equal(ops[0].body.household_id, doors['301']);
  assert.equal(ops[0].body.agree, true);
  assert.deepEqual(ops[0].body.items, [p.items['加装电梯']]);
  await page.waitForSelector('[data-testid=door-household][data-door="301"][data-state="recorded"]');
  await ctx.close();
});

test('(5)(6) staff set up a project and its menu, read coverage and the art. 278 result, and export CSV and XLSX', async () => {
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await uiLogin(page, server.url, 'admin', ADMIN_PASSWORD);
  await page.click(`a[data-testid=compound-link]:has-text("${seed.compound}")`);
  await page.waitForSelector('input[name=project-name]');
  await page.fill('input[name=project-name]', '幸福里加装电梯');
  await page.selectOption('select[name=project-kind]', 'comprehensive');
  await page.fill('input[name=survey-opens]', cstDate(-2));
  await page.fill('input[name=survey-closes]', cstDate(20));
  await page.fill('input[name=grace-days]', '3');
  await page.check('input[name=show-running]');
  await page.click('[data-testid=add-project]');
  await page.click('a[data-testid=project-link]:has-text("幸福里加装电梯")');
  await page.waitForSelector('[data-testid=project-name]');
  const projectId = page.url().split('/project/')[1];

  // R6: a notice posted on 30 April 2026 is up for 5 working days, until 9 May (the make-up Saturday counts).
  await page.fill('input[name=notice-posted]', '2026-04-30');
  assert.equal((await page.textContent('[data-testid=notice-end]')).trim(), '2026-05-09');
  assert.equal(await page.locator('[data-testid=notice-unofficial]').count(), 0);
  await page.fill('input[name=notice-posted]', '2031-04-30');
  await page.waitForSelector('[data-testid=notice-unofficial]');
  await page.fill('input[name=notice-posted]', '2026-04-30');
  await page.click('[data-testid=save-project]');

  // The menu: two items from the catalogue, the lift an owners' decision with a share per household.
  await page.click('[data-testid=catalogue-item][data-id=road] button');
  await page.fill('input[name=item-cost]', '200000');
  await page.click('[data-testid=add-item]');
  await page.waitForSelector('[data-testid=menu-item][data-name="路面"]');
  await page.click('[data-testid=catalogue-item][data-id=lift] button');
  assert.equal(await page.isChecked('input[name=item-owners]'), true);
  await page.fill('input[name=item-cost]', '600000');
  await page.fill('input[name=item-share]', '5000');
  await page.click('[data-testid=add-item]');
  await page.waitForSelector('[data-testid=menu-item][data-name="加装电梯"]');
  // Amounts read as staff write them, and the form starts afresh (the lift's class does not stick).
  assert.match(await page.textContent('[data-testid=menu-item][data-name="加装电梯"]'), /600,000 元/);
  assert.equal(await page.inputValue('select[name=item-class]'), 'basic');
  await waitPending(page, 0, 25000);

  // Five of the six households answer (paper forms, through the API): four agree and want the lift.
  const menu = (await projectResults(server.url, admin, projectId)).menu;
  const lift = menu.find((m) => m.name === '加装电梯').id;
  const answers = [['101', true], ['102', true], ['201', true], ['202', true], ['301', false]];
  const res = await push(server.url, admin, answers.map(([door, agree]) => ['ballot', uuidv7(), {
    type: 'ballot.cast', project_id: projectId, household_id: doors[door], agree, items: agree ? [lift] : [],
    cast_at_ms: Date.now(), channel: 'staff',
  }]));
  for (const r of res) assert.equal(r.status, 'accepted', JSON.stringify(r));

  await page.evaluate(() => window.linli.sync_now());
  await page.click('[data-testid=results-link]');
  await page.waitForFunction(() => /5\/6/.test(document.querySelector('[data-testid=coverage-text]')?.textContent || ''), null, { timeout: 25000 });
  const coverage = await page.textContent('[data-testid=coverage-text]');
  assert.match(coverage, /已回收 5\/6 户（83\.3%），达到三分之二/);
  assert.ok(await page.locator('svg[data-testid=coverage-bar] line').count() >= 1, 'the 2/3 line is drawn');
  assert.equal(await page.locator('[data-testid=item-bar]').count(), 2);
  // Hand-worked (R9, ordinary matter): 5 of 6 owners and 400 of 450 m² took part (≥ 2/3); 4 of 5 owners
  // and 300 of 400 m² of those consent (> 1/2): passed.
  const overall = page.locator('[data-testid=art278][data-scope=overall]');
  assert.equal(await overall.getAttribute('data-passed'), 'true');
  const liftArt = page.locator(`[data-testid=art278][data-scope="${lift}"]`);
  // Participation 5/6 owners and 400/450 m² ≥ 2/3; consent to the lift 4/5 and 300/400 m² > 1/2.
  assert.equal(await liftArt.getAttribute('data-passed'), 'true');
  assert.match(await liftArt.textContent(), /通过/);
  // The same figures as the server's tally.
  assert.equal((await projectResults(server.url, admin, projectId)).coverage.responded, 5);

  // (6) CSV made on the phone, with a byte-order mark; XLSX from the server.
  const [csv] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-csv]')]);
  assert.match(csv.suggestedFilename(), /\.csv$/);
  const csvText = await streamText(await csv.createReadStream());
  assert.equal(csvText.charCodeAt(0), 0xfeff);
  assert.match(csvText, /加装电梯/);
  assert.match(csvText, /5\/6/);
  const [xlsx] = await Promise.all([page.waitForEvent('download'), page.click('[data-testid=export-xlsx]')]);
  assert.match(xlsx.suggestedFilename(), /\.xlsx$/);
  const bytes = await streamBytes(await xlsx.createReadStream());
  assert.equal(bytes.subarray(0, 2).toString(), 'PK');

  // The public notice page.
  await page.click('[data-testid=notice-link]');
  await page.waitForSelector('[data-testid=notice-page]');
  const notice = await page.textContent('[data-testid=notice-page]');
  assert.match(notice, /幸福里/);
  assert.match(notice, /2026-05-09/);
  assert.match(notice, /加装电梯/);
  // R6 on paper: the working days, who issues it (with the seal line), when, and who takes objections.
  assert.equal((await page.textContent('[data-testid=notice-days]')).trim(), '（不少于 5 个工作日）');
  assert.equal((await page.textContent('[data-testid=notice-issuer]')).trim(), admin.community_name);
  assert.equal((await page.textContent('[data-testid=notice-date]')).trim(), cstDate(0));
  await page.fill('input[name=objections-contact]', '社区居委会 王主任 010-12345678');
  assert.equal((await page.textContent('[data-testid=notice-contact]')).trim(), '社区居委会 王主任 010-12345678');
  await ctx.close();
});

test('(7) staff issue codes and print slips; a typed code opens the household; a revoked code is refused', async () => {
  const p = await seedProject(server.url, admin, seed.ids.compound, { name: '投票码项目' });
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  page.on('dialog', (d) => d.accept());
  await uiLogin(page, server.url, 'admin', ADMIN_PASSWORD);
  await page.goto(`${server.url}/project/${p.id}/codes`);
  await ready(page);
  await page.click('[data-testid=issue-codes]');
  await page.waitForSelector('[data-testid=code-slip][data-door="302"]');
  assert.equal(await page.locator('[data-testid=code-slip]').count(), 6);
  assert.equal(await page.locator('[data-testid=code-slip][data-door="302"] .qr svg').count(), 1, 'the QR is inlined');
  const code = await page.getAttribute('[data-testid=code-slip][data-door="302"]', 'data-code');
  assert.match(await page.textContent('[data-testid=code-slip][data-door="302"]'), /\/v\//);

  // A resident types the code (lower case, with spaces) on the /v page.
  const rctx = await phone(browser);
  const rpage = await rctx.newPage();
  await rpage.goto(`${server.url}/v`);
  await ready(rpage);
  await rpage.fill('input[name=code]', ' ' + code.toLowerCase().replace(/-/g, ' ') + ' ');
  await rpage.click('[data-testid=code-submit]');
  await rpage.waitForSelector('[data-testid=vote-household]');
  assert.match(await rpage.textContent('[data-testid=vote-household]'), /302/);
  await rctx.close();

  // Revoked: the slip no longer opens the household, and the phone says why.
  await page.click('[data-testid=codes-link]');
  await page.waitForSelector('[data-testid=code-row][data-door="302"][data-status=active]');
  await page.click('[data-testid=code-row][data-door="302"] [data-testid=revoke-code]');
  await page.waitForSelector('[data-testid=code-row][data-door="302"][data-status=revoked]');
  const r2 = await (await phone(browser)).newPage();
  await r2.goto(`${server.url}/v/${code}`);
  await ready(r2);
  await r2.waitForSelector('[data-testid=code-error]');
  assert.match(await r2.textContent('[data-testid=code-error]'), /作废/);
  await r2.context().close();

  // Offline, codes cannot be issued, and the page says so.
  await ctx.setOffline(true);
  await page.waitForSelector('[data-testid=codes-offline]');
  assert.equal(await page.isDisabled('[data-testid=issue-codes]'), true);
  await ctx.close();
});

test('(8) an answer whose reply was lost is sent again with the same id and counted once', async () => {
  const p = await seedProject(server.url, admin, seed.ids.compound, { name: '重发项目' });
  const codes = await issueCodes(server.url, admin, p.id);
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await openVote(page, codes['202']);
  // The server stores the ballot, but its answer never reaches the phone.
  const sent = [];
  let reached;
  const atServer = new Promise((resolve) => { reached = resolve; });
  await page.route('**/api/vote/ballot', async (route) => {
    sent.push(JSON.parse(route.request().postData()).id);
    await route.fetch();
    reached();
    await route.abort('connectionreset');
  });
  await residentVote(page, { agree: true, items: [p.items['路面']] });
  await page.waitForSelector('[data-testid=ballot-waiting]');
  // The phone shows it waiting as soon as it is saved on the phone; the server's answer came (and was lost)
  // once the request is through.
  await atServer;
  assert.equal(ballotOps(await pullAll(server.url, admin.token), p.id).length, 1, 'the server has it already');
  await page.unroute('**/api/vote/ballot');
  // The connection comes back: the same answer goes again and is answered as a duplicate, with a receipt.
  await ctx.setOffline(true);
  await ctx.setOffline(false);
  await page.waitForSelector('[data-testid=receipt][data-agree="true"]', { timeout: 25000 });
  assert.equal(new Set(sent).size, 1);
  const ops = ballotOps(await pullAll(server.url, admin.token), p.id);
  assert.equal(ops.length, 1, 'counted once');
  assert.equal(ops[0].id, sent[0]);
  assert.equal((await projectResults(server.url, admin, p.id)).coverage.responded, 1);
  await ctx.close();
});

test('(9) a slip\'s link logs in once, while the page loads; opened again, the saved household shows and is brought up to date', async () => {
  const p = await seedProject(server.url, admin, seed.ids.compound, { name: '一次登录项目' });
  const codes = await issueCodes(server.url, admin, p.id);
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  const asked = [];
  page.on('request', (r) => { if (r.url().includes('/api/vote/')) asked.push(new URL(r.url()).pathname); });
  await openVote(page, codes['301']);
  assert.match(await page.textContent('[data-testid=vote-household]'), /301/);
  await page.waitForSelector('[data-testid=start-ballot]');
  // boot.js asked for the login as the page started; the voting page took that answer instead of asking again.
  assert.deepEqual(asked, ['/api/vote/login']);
  // Opened again: the household is on the phone; the login made as the page opened brings it up to date.
  asked.length = 0;
  await openVote(page, codes['301']);
  await page.waitForSelector('[data-testid=start-ballot]');
  assert.deepEqual(asked, ['/api/vote/login']);
  // A wrong code is named, in the resident's words, with the way back to typing it.
  await page.goto(`${server.url}/v/AAAA-BBBB-CCCC-DDDD`);
  await page.waitForSelector('[data-testid=code-error]', { timeout: 15000 });
  assert.ok((await page.textContent('[data-testid=code-error]')).length > 4);
  await page.click('a[href="/v"]');
  await page.waitForSelector('input[name=code]');
  assert.equal(new URL(page.url()).pathname, '/v');
  await ctx.close();
});

test('the store opens a version-1 database without losing its data', async () => {
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await page.goto(server.url + '/manifest.webmanifest');
  await page.evaluate(() => new Promise((resolve, reject) => {
    const req = indexedDB.open('linli', 1);
    req.onupgradeneeded = () => {
      const db = req.result;
      db.createObjectStore('confirmed');
      db.createObjectStore('outbox');
      db.createObjectStore('meta');
    };
    req.onsuccess = () => {
      const tx = req.result.transaction('meta', 'readwrite');
      tx.objectStore('meta').put('"en"', 'lang');
      tx.objectStore('meta').put('"0190a0b0-0000-7000-8000-0000000000ab"', 'device_id');
      tx.oncomplete = () => { req.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
    req.onerror = () => reject(req.error);
  }));
  await page.goto(server.url + '/login');
  await ready(page);
  assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
  const after = await page.evaluate(() => new Promise((resolve) => {
    const req = indexedDB.open('linli');
    req.onsuccess = () => {
      const db = req.result;
      const stores = [...db.objectStoreNames];
      db.transaction('meta').objectStore('meta').get('device_id').onsuccess = (e) => {
        resolve({ version: db.version, stores, device: e.target.result });
        db.close();
      };
    };
  }));
  assert.equal(after.version, 5);
  assert.deepEqual(after.stores.sort(), ['confirmed', 'drafts', 'meta', 'outbox', 'pages', 'photos', 'resident']);
  assert.equal(after.device, '"0190a0b0-0000-7000-8000-0000000000ab"');
  await ctx.close();
});

async function streamBytes(stream) {
  const chunks = [];
  for await (const c of stream) chunks.push(c);
  return Buffer.concat(chunks);
}

async function streamText(stream) {
  return (await streamBytes(stream)).toString('utf8');
}
