// The embeddable core as `cargo xtask build` ships it (issue 8): `dist/core` answers every command but
// `standards.*`, and says where those are; `dist/core-standards` answers those too. Run in Node on the
// built files, with hand-worked answers.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const DIST = process.env.LINLI_DIST || new URL('../../dist', import.meta.url).pathname;

/** Loads `dist/<dir>/<name>.js` with its Wasm; returns `handle` taking and giving objects. */
async function load(dir, name) {
  const glue = await import(pathToFileURL(join(DIST, dir, `${name}.js`)).href);
  await glue.default({ module_or_path: readFileSync(join(DIST, dir, `${name}_bg.wasm`)) });
  return (request) => JSON.parse(glue.handle(JSON.stringify(request)));
}

const volunteerStats = {
  fn: 'volunteer.stats',
  args: {
    as_of: '2026-02-28',
    population: 10,
    volunteers: [{ id: 'v1', registered_on: '2026-02-01', status: 'active' }],
    entries: [{ id: 'e1', volunteer_id: 'v1', date: '2026-02-01', minutes: 90, status: 'confirmed' }],
  },
};

test('dist/core answers the calendar, the tally, volunteers and surveys, and sends standards.* elsewhere', async () => {
  const handle = await load('core', 'linli_core');
  // R6: five working days from Monday 28 September 2026 skip the National Day holiday (1–8 October) and
  // end on Friday 9 October, by the official calendar.
  assert.deepEqual(handle({ fn: 'calendar.add_working_days', args: { start: '2026-09-28', days: 5 } }), {
    ok: { end: '2026-10-09', official: true },
  });
  // Two of the three households answered: R5's coverage counts 2 of 3.
  const tally = handle({
    fn: 'renovation.tally',
    args: {
      households: [
        { id: '101', area_m2: 60, owners: 1 },
        { id: '102', area_m2: 60, owners: 1 },
        { id: '103', area_m2: 80, owners: 1 },
      ],
      ballots: [
        { household_id: '101', agree: true, items: ['lift'], cast_at: '2026-05-06T10:00:00+08:00' },
        { household_id: '103', agree: true, items: ['lift'], cast_at: '2026-05-06T11:00:00+08:00' },
      ],
      items: ['lift'],
      matter: 'special',
    },
  });
  assert.equal(tally.error, undefined, JSON.stringify(tally.error));
  assert.equal(tally.ok.coverage.responded, 2);
  assert.equal(tally.ok.coverage.total, 3);
  // One registered volunteer of 10 residents: 10%.
  const stats = handle(volunteerStats);
  assert.equal(stats.error, undefined, JSON.stringify(stats.error));
  assert.equal(stats.ok.registered, 1);
  const coverage = handle({ fn: 'survey.coverage', args: {} });
  assert.notEqual(coverage.error?.code, 'unknown_function');
  const standards = handle({ fn: 'standards.catalog', args: { standard: 'learning' } });
  assert.equal(standards.error.code, 'unknown_function');
  assert.match(standards.error.detail ?? JSON.stringify(standards.error), /core-standards/);
});

test('dist/core-standards answers standards.* as well', async () => {
  const handle = await load('core-standards', 'linli_core_standards');
  const r = handle({ fn: 'standards.catalog', args: { standard: 'learning' } });
  assert.equal(r.error, undefined, JSON.stringify(r.error));
  assert.ok(JSON.stringify(r.ok).length > 1000);
  assert.equal(handle(volunteerStats).ok.registered, 1);
});
