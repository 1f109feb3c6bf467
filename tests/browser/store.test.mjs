// Browser tests of the paged store (issue 8 §5): a version-2 database written by the release before it opens
// with nothing lost, synced pages and a compacted snapshot load the same state, offline; a version-4
// database (drafts, before the photos of issue 14) opens as version 5 with its records, queue and drafts.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import {
  startServer, launch, phone, ready, uiLogin, apiLogin, pullAll, push, seedUnit, seedHouseholds, openUnit,
  addHousehold, waitPending, ADMIN_PASSWORD,
} from './harness.mjs';

const V2 = JSON.parse(readFileSync(new URL('./fixtures/idb-v2.json', import.meta.url), 'utf8'));
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

/** The doors shown in the unit's section, sorted, with their status. */
async function doors(unit) {
  const rows = unit.locator('[data-testid=household-row]');
  const out = [];
  for (let i = 0; i < await rows.count(); i++) {
    out.push(`${await rows.nth(i).getAttribute('data-door')}:${await rows.nth(i).getAttribute('data-status')}`);
  }
  return out.sort();
}

/** What IndexedDB `linli` holds: its version, store names and the keys of `pages` and `confirmed`. */
async function storeShape(page) {
  return page.evaluate(() => new Promise((resolve) => {
    const req = indexedDB.open('linli');
    req.onsuccess = () => {
      const db = req.result;
      const tx = db.transaction(['pages', 'confirmed']);
      const out = { version: db.version, stores: [...db.objectStoreNames].sort() };
      tx.objectStore('pages').getAllKeys().onsuccess = (e) => { out.pages = e.target.result; };
      tx.objectStore('confirmed').count().onsuccess = (e) => { out.confirmed = e.target.result; };
      tx.oncomplete = () => { db.close(); resolve(out); };
    };
  }));
}

test('a version-2 database written by the previous release opens with its records and its queued change', async () => {
  // The server holds what that device had synced (the same operations, in the same order).
  const res = await fetch(server.url + '/api/sync/push', {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: 'Bearer ' + admin.token },
    body: JSON.stringify({ device_id: V2.server_ops[0].device_id, ops: V2.server_ops }),
  });
  assert.equal(res.status, 200);
  for (const r of (await res.json()).results) assert.equal(r.status, 'accepted');

  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await page.goto(server.url + '/manifest.webmanifest');
  // The device as that release left it: version 2, its records in `confirmed`, one change queued offline.
  await page.evaluate((stores) => new Promise((resolve, reject) => {
    const req = indexedDB.open('linli', 2);
    req.onupgradeneeded = () => {
      for (const name of ['confirmed', 'outbox', 'meta', 'resident']) req.result.createObjectStore(name);
    };
    req.onsuccess = () => {
      const tx = req.result.transaction(['confirmed', 'outbox', 'meta'], 'readwrite');
      for (const name of ['confirmed', 'outbox', 'meta']) {
        for (const [k, v] of stores[name]) tx.objectStore(name).put(v, k);
      }
      tx.oncomplete = () => { req.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
    req.onerror = () => reject(req.error);
  }), V2.stores);

  // No server first: everything shows from the upgraded store alone.
  await page.route('**/api/**', (route) => route.abort());
  await page.goto(server.url + '/');
  await ready(page);
  const unit = await openUnit(page, V2.seed);
  assert.deepEqual(await doors(unit), ['101:synced', '102:synced', '201:synced', '202:pending']);
  const upgraded = await storeShape(page);
  assert.equal(upgraded.version, 5);
  assert.deepEqual(upgraded.stores, ['confirmed', 'drafts', 'meta', 'outbox', 'pages', 'photos', 'resident']);
  assert.equal(upgraded.confirmed, 6, 'the old records stay where they were until a compaction');

  // Back online with a fresh login (the stored one belongs to a server that no longer exists): the queued
  // household reaches the server, nothing else is sent again, and the records are all still there.
  await page.unroute('**/api/**');
  await uiLogin(page, server.url, 'admin', ADMIN_PASSWORD);
  await page.evaluate(() => window.linli.sync_now());
  const ops = await pullAll(server.url, admin.token);
  assert.equal(ops.length, V2.server_ops.length + 1);
  assert.equal(ops.at(-1).body.door, '202');
  await page.goto(server.url + '/');
  await ready(page);
  const again = await openUnit(page, V2.seed);
  assert.deepEqual(await doors(again), ['101:synced', '102:synced', '201:synced', '202:synced']);
  await ctx.close();
});

test('pulled pages and a compacted snapshot load the same records, offline', async () => {
  const seed = await seedUnit(server.url, admin, { compound: '分页小区', building: '5号楼', unit: '1单元' });
  const many = Array.from({ length: 60 }, (_, i) => [String(1001 + i), 50 + i]);
  await seedHouseholds(server.url, admin, seed.ids.unit, many);
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await uiLogin(page, server.url, 'admin', ADMIN_PASSWORD);
  await page.evaluate(() => window.linli.sync_now());
  let unit = await openUnit(page, seed);
  await addHousehold(unit, '9001', '61', '1');
  await page.evaluate(() => window.linli.sync_now());
  await waitPending(page, 0);
  const expected = [...many.map(([d]) => `${d}:synced`), '9001:synced'].sort();

  // Pages of operations: pulled ones only (the acknowledged batch went when its operations came back).
  const paged = await storeShape(page);
  assert.ok(paged.pages.length >= 1 && paged.pages.every((k) => k.startsWith('p')), JSON.stringify(paged.pages));
  await ctx.setOffline(true);
  await page.goto(server.url + '/');
  await ready(page);
  unit = await openUnit(page, seed);
  assert.deepEqual(await doors(unit), expected);

  // One snapshot of records instead: the same state after an offline reload.
  await page.evaluate(() => window.linli.compact_store());
  const compacted = await storeShape(page);
  assert.deepEqual(compacted.pages, ['s000000']);
  assert.equal(compacted.confirmed, 0);
  await page.goto(server.url + '/');
  await ready(page);
  unit = await openUnit(page, seed);
  assert.deepEqual(await doors(unit), expected);
  await ctx.close();
});

test('a version-4 database opens as version 5 (the photos store added) with its records, queued change and drafts', async () => {
  const ctx = await phone(browser);
  const page = await ctx.newPage();
  await page.goto(server.url + '/manifest.webmanifest');
  // The device as the release with drafts left it: version 4, every store of then, a survey draft kept.
  const draft = JSON.stringify({ id: '0193a5c2-7b1e-7cc0-8f3a-2b6d1e9f0a99', answers: { q1: 'yes' } });
  await page.evaluate(([stores, draft]) => new Promise((resolve, reject) => {
    const req = indexedDB.open('linli', 4);
    req.onupgradeneeded = () => {
      for (const name of ['confirmed', 'outbox', 'meta', 'resident', 'pages', 'drafts']) req.result.createObjectStore(name);
    };
    req.onsuccess = () => {
      const tx = req.result.transaction(['confirmed', 'outbox', 'meta', 'drafts'], 'readwrite');
      for (const name of ['confirmed', 'outbox', 'meta']) {
        for (const [k, v] of stores[name]) tx.objectStore(name).put(v, k);
      }
      tx.objectStore('drafts').put(draft, '0193a5c2-7b1e-7cc0-8f3a-2b6d1e9f0a99');
      tx.oncomplete = () => { req.result.close(); resolve(); };
      tx.onerror = () => reject(tx.error);
    };
    req.onerror = () => reject(req.error);
  }), [V2.stores, draft]);

  await page.route('**/api/**', (route) => route.abort());
  await page.goto(server.url + '/');
  await ready(page);
  const unit = await openUnit(page, V2.seed);
  assert.deepEqual(await doors(unit), ['101:synced', '102:synced', '201:synced', '202:pending']);
  const upgraded = await storeShape(page);
  assert.equal(upgraded.version, 5);
  assert.deepEqual(upgraded.stores, ['confirmed', 'drafts', 'meta', 'outbox', 'pages', 'photos', 'resident']);
  assert.equal(upgraded.confirmed, 6);
  const kept = await page.evaluate(() => new Promise((resolve) => {
    const req = indexedDB.open('linli');
    req.onsuccess = () => {
      const tx = req.result.transaction(['drafts', 'outbox', 'photos']);
      const out = {};
      tx.objectStore('drafts').getAll().onsuccess = (e) => { out.drafts = e.target.result; };
      tx.objectStore('outbox').count().onsuccess = (e) => { out.outbox = e.target.result; };
      tx.objectStore('photos').count().onsuccess = (e) => { out.photos = e.target.result; };
      tx.oncomplete = () => { req.result.close(); resolve(out); };
    };
  }));
  assert.deepEqual(kept, { drafts: [draft], outbox: 1, photos: 0 });
  await ctx.close();
});
