// Shared harness of Linli's browser tests: starts the real server on a temporary SQLite database,
// launches Debian's headless Chromium through playwright-core, and talks to the server API directly.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { chromium } from 'playwright-core';

export const ADMIN_PASSWORD = 'test-admin-pass-1';
export const STAFF_PASSWORD = 'test-staff-pass-1';
const BIN = process.env.LINLI_SERVER_BIN || new URL('../../target/debug/linli-server', import.meta.url).pathname;
const DIST = process.env.LINLI_DIST || new URL('../../dist', import.meta.url).pathname;

/** Starts `linli-server serve` on a free port and a fresh database. Extra env (e.g. a short token TTL) may be given. */
export async function startServer(env = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'linli-browser-'));
  const fullEnv = {
    ...process.env,
    LINLI_ADDR: '127.0.0.1:0',
    DATABASE_URL: `sqlite://${dir}/linli.db?mode=rwc`,
    LINLI_DIST: DIST,
    LINLI_ADMIN_PASSWORD: ADMIN_PASSWORD,
    RUST_LOG: 'warn',
    ...env,
  };
  // The accounts, made with the documented admin command: an admin and a second staff member of the same community.
  for (const [username, role, password] of [['admin', 'admin', ADMIN_PASSWORD], ['li', 'staff', STAFF_PASSWORD]]) {
    const created = spawnSync(BIN, ['admin', 'create-user', '--username', username, '--role', role, '--community', 'community-1'], {
      env: fullEnv, input: password + '\n', encoding: 'utf8',
    });
    if (created.status !== 0) throw new Error('create-user failed: ' + created.stderr + created.stdout);
  }
  const child = spawn(BIN, ['serve'], { env: fullEnv, stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => reject(new Error('server did not start: ' + out)), 30000);
    child.stdout.on('data', (d) => {
      out += d;
      const m = out.match(/running at (http:\/\/[0-9.:]+)/);
      if (m) { clearTimeout(timer); resolve(m[1]); }
    });
    child.on('exit', (code) => reject(new Error('server exited with ' + code + ': ' + out)));
  });
  return {
    url,
    /** Runs `linli-server admin …` on this server's database (as an operator would beside it). */
    admin(args, input = '') {
      const r = spawnSync(BIN, ['admin', ...args], { env: fullEnv, input, encoding: 'utf8' });
      if (r.status !== 0) throw new Error(`admin ${args.join(' ')} failed: ${r.stderr}${r.stdout}`);
      return r.stdout;
    },
    async stop() {
      child.kill('SIGTERM');
      await new Promise((r) => (child.exitCode !== null ? r() : child.on('exit', r)));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-quic'],
  });
}

/** A phone-sized browser profile (its own IndexedDB and service worker); `small` is the 360×640 phone of
 * the field-usability checks. */
export async function phone(browser, small = false) {
  const viewport = small ? { width: 360, height: 640 } : { width: 390, height: 844 };
  return browser.newContext({ viewport, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: 'zh-CN' });
}

export async function ready(page) {
  await page.waitForFunction(() => document.documentElement.dataset.ready === '1', null, { timeout: 20000 });
}

export async function uiLogin(page, url, username, password) {
  await page.goto(url + '/login');
  await ready(page);
  await page.fill('input[name=username]', username);
  await page.fill('input[name=password]', password);
  await page.click('button[type=submit]');
  await page.waitForURL((u) => !u.pathname.startsWith('/login'), { timeout: 15000 });
  await ready(page);
}

/** Waits until the service worker holds every chunk of the staff app (it asks for them once the page is
 * idle after its first load): from then on every page opens with no network. */
export async function offlineReady(page) {
  const dist = process.env.LINLI_DIST || new URL('../../dist', import.meta.url).pathname;
  const { readFileSync } = await import('node:fs');
  const chunks = JSON.parse(readFileSync(dist + '/sw.js', 'utf8').match(/const CHUNKS = (\[.*?\]);/s)[1]);
  // Polled from here: `waitForFunction` takes the promise an async function returns for a truthy answer.
  const held = () => page.evaluate(async (chunks) => {
    for (const k of await caches.keys()) {
      const c = await caches.open(k);
      const have = new Set((await c.keys()).map((r) => new URL(r.url).pathname));
      if (chunks.every((u) => have.has(u))) return true;
    }
    return false;
  }, chunks);
  const until = Date.now() + 30000;
  while (!(await held())) {
    if (Date.now() > until) throw new Error('the service worker did not keep every chunk within 30 s');
    await new Promise((r) => setTimeout(r, 300));
  }
}

export async function pendingCount(page) {
  return Number((await page.textContent('[data-testid=pending-count]')).trim());
}

export async function waitPending(page, n, timeout = 20000) {
  await page.waitForFunction((n) => {
    const el = document.querySelector('[data-testid=pending-count]');
    return el && Number(el.textContent.trim()) === n;
  }, n, { timeout });
}

// ---- the server API, straight ----

export async function apiLogin(url, username, password) {
  const r = await fetch(url + '/api/auth/login', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password }) });
  if (!r.ok) throw new Error('login failed: ' + r.status + ' ' + await r.text());
  return r.json();
}

export async function pullAll(url, token) {
  const ops = [];
  let since = 0;
  for (;;) {
    const r = await fetch(`${url}/api/sync/pull?since=${since}&limit=5000`, { headers: { authorization: 'Bearer ' + token } });
    if (!r.ok) throw new Error('pull failed: ' + r.status + ' ' + await r.text());
    const page = await r.json();
    ops.push(...page.ops);
    if (page.ops.length === 0) return ops;
    since = page.next;
  }
}

/** A UUIDv7, as the app makes them. */
export function uuidv7() {
  const b = randomBytes(16);
  const ms = BigInt(Date.now());
  for (let i = 0; i < 6; i++) b[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn);
  b[6] = (b[6] & 0x0f) | 0x70;
  b[8] = (b[8] & 0x3f) | 0x80;
  const h = b.toString('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

let counter = 0;
/** Pushes operations (format v1) through the API and returns the per-op results. */
export async function push(url, session, bodies) {
  const device = '00000000-0000-4000-8000-0000000000aa';
  const ops = bodies.map(([kind, id, body]) => ({
    v: 1, id: uuidv7(), device_id: device, author: session.username, hlc: { ms: Date.now(), n: counter++ },
    community: session.community, entity: { kind, id }, body,
  }));
  const r = await fetch(url + '/api/sync/push', {
    method: 'POST', headers: { 'content-type': 'application/json', authorization: 'Bearer ' + session.token },
    body: JSON.stringify({ device_id: device, ops }),
  });
  if (!r.ok) throw new Error('push failed: ' + r.status + ' ' + await r.text());
  return (await r.json()).results;
}

/** Creates compound → building → unit through the API; returns their ids and names. */
export async function seedUnit(url, session, names = {}) {
  const c = uuidv7(), b = uuidv7(), u = uuidv7();
  const n = { compound: names.compound || '测试小区', building: names.building || '1号楼', unit: names.unit || '1单元' };
  const res = await push(url, session, [
    ['compound', c, { type: 'compound.put', name: n.compound, address: '', year_built: 1995 }],
    ['building', b, { type: 'building.put', compound_id: c, name: n.building }],
    ['unit', u, { type: 'unit.put', building_id: b, name: n.unit }],
  ]);
  for (const r of res) if (r.status !== 'accepted') throw new Error('seed refused: ' + JSON.stringify(r));
  return { ...n, ids: { compound: c, building: b, unit: u } };
}

/** Opens the compound page and returns a locator of the unit's section. */
export async function openUnit(page, seed) {
  await page.click(`a[data-testid=compound-link]:has-text("${seed.compound}")`);
  await ready(page);
  const unit = page.locator(`[data-testid=building][data-name="${seed.building}"] [data-testid=unit][data-name="${seed.unit}"]`);
  await unit.waitFor({ timeout: 15000 });
  return unit;
}

export async function addHousehold(unit, door, area = '72.5', owners = '1') {
  await unit.locator('input[name=door]').fill(door);
  await unit.locator('input[name=area]').fill(area);
  await unit.locator('input[name=owners]').fill(owners);
  await unit.locator('[data-testid=add-household]').click();
  await unit.locator(`[data-testid=household-row][data-door="${door}"]`).waitFor({ timeout: 10000 });
}

export function householdOps(ops, door) {
  return ops.filter((o) => o.body.type === 'household.put' && o.body.door === door);
}

// ---- renovation (issue 3) ----

/** A date in China time, `days` from today, as "YYYY-MM-DD". */
export function cstDate(days = 0) {
  return new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
}

/** Adds households (door → area) to a unit through the API; returns door → household id. */
export async function seedHouseholds(url, session, unitId, doors) {
  const ids = {};
  const bodies = doors.map(([door, area = 80, owners = 1]) => {
    ids[door] = uuidv7();
    return ['household', ids[door], { type: 'household.put', unit_id: unitId, door, area_m2: area, owners }];
  });
  const res = await push(url, session, bodies);
  for (const r of res) if (r.status !== 'accepted') throw new Error('households refused: ' + JSON.stringify(r));
  return ids;
}

/** The body of a project.put (the fields left out take their defaults). */
export function projectBody(compoundId, fields = {}) {
  return {
    type: 'project.put', compound_id: compoundId, name: fields.name || '综合整治项目', kind: fields.kind || 'comprehensive',
    survey_opens: fields.survey_opens || cstDate(-1), survey_closes: fields.survey_closes || cstDate(10),
    grace_days: fields.grace_days ?? 0, show_running_results: fields.show_running_results ?? false,
  };
}

/** Creates a project with a menu through the API; returns {id, items: {name → id}}. */
export async function seedProject(url, session, compoundId, fields = {}, menu = [
  { catalogue: 'road', class: 'basic', name: '路面', cost_yuan: 200000 },
  { catalogue: 'lift', class: 'upgrade', name: '加装电梯', cost_yuan: 600000, share_per_household_yuan: 5000, owners_decision: true },
]) {
  const id = uuidv7();
  const items = {};
  const bodies = [['project', id, projectBody(compoundId, fields)]];
  menu.forEach((m, i) => {
    items[m.name] = uuidv7();
    bodies.push(['menu_item', items[m.name], {
      type: 'menu_item.put', project_id: id, catalogue: m.catalogue ?? null, class: m.class, name: m.name,
      description: m.description || '', cost_yuan: m.cost_yuan, share_per_household_yuan: m.share_per_household_yuan ?? null,
      owners_decision: !!m.owners_decision, matter: m.matter || 'ordinary', position: i,
    }]);
  });
  const res = await push(url, session, bodies);
  for (const r of res) if (r.status !== 'accepted') throw new Error('project refused: ' + JSON.stringify(r));
  return { id, items };
}

/** Issues voting codes for every household of a project that has none; returns door → code. */
export async function issueCodes(url, session, projectId) {
  const r = await fetch(`${url}/api/projects/${projectId}/codes`, { method: 'POST', headers: { authorization: 'Bearer ' + session.token } });
  if (!r.ok) throw new Error('issuing codes failed: ' + r.status + ' ' + await r.text());
  const out = {};
  for (const c of (await r.json()).codes) out[c.door] = c.code;
  return out;
}

/** The staff results of a project (the server's tally). */
export async function projectResults(url, session, projectId) {
  const r = await fetch(`${url}/api/projects/${projectId}/results`, { headers: { authorization: 'Bearer ' + session.token } });
  if (!r.ok) throw new Error('results failed: ' + r.status + ' ' + await r.text());
  return r.json();
}

/** A resident answers on the phone: start (or change), menu, agree, items, review, confirm. */
export async function residentVote(page, { agree, items = [], change = false }) {
  await page.click(change ? '[data-testid=change-ballot]' : '[data-testid=start-ballot]');
  await page.click('[data-testid=next]'); // the menu, read
  await page.check(`input[name=agree][value=${agree ? 'yes' : 'no'}]`);
  await page.click('[data-testid=next]');
  // R4: a household that disagrees chooses no items; the phone goes straight to the review.
  if (agree) {
    // A changed answer opens with the previous one selected: set every item to what is wanted now.
    for (const box of await page.locator('input[name=item]').all()) {
      const want = items.includes(await box.getAttribute('value'));
      if ((await box.isChecked()) !== want) await box.click();
    }
    await page.click('[data-testid=review-ballot]');
  }
  await page.waitForSelector('[data-testid=ballot-review]');
  await page.click('[data-testid=confirm-ballot]');
}
