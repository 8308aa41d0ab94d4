// End-to-end test of the operator console in headless Chromium (Debian's chromium, driven by playwright-core),
// against a real service: sign in, list, filter, open an execution and watch it finish live, cancel one, resolve
// a FAILED one. Screenshots go to SCREENSHOTS (the docs' pictures, docs/console, come from here), and on a
// failure a picture of the page to ARTIFACTS. Run by ConsoleEndToEndTest, which starts the service and a fake
// downstream (its /hold answers once /release is called) and passes: CONSOLE_URL, API_URL, DOWNSTREAM_URL,
// ADMIN_TOKEN, TENANT_KEYS (tenant=API key, comma-separated), SCREENSHOTS, ARTIFACTS, CHROMIUM (default
// /usr/bin/chromium)
// It waits for elements and states, never for fixed times. Exit code 0 when every check passed.
import { chromium } from 'playwright-core';
import { mkdtempSync, mkdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';

const { CONSOLE_URL, API_URL, DOWNSTREAM_URL, ADMIN_TOKEN, TENANT_KEYS, SCREENSHOTS } = process.env;
const ARTIFACTS = process.env.ARTIFACTS || tmpdir();
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
for (const [name, value] of Object.entries({ CONSOLE_URL, API_URL, DOWNSTREAM_URL, ADMIN_TOKEN, TENANT_KEYS, SCREENSHOTS })) {
  if (!value) {
    console.error(`${name} is not set`);
    process.exit(2);
  }
}
const WAIT_MS = 60_000;

// ---- the public API, to make executions ----

async function apiCall(method, path, body, token) {
  const headers = { 'Content-Type': 'application/json' };
  if (token) {
    headers.Authorization = `Bearer ${token}`;
  }
  const response = await fetch(API_URL + path, { method, headers, body: body && JSON.stringify(body) });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path} answered ${response.status}: ${text}`);
  return text ? JSON.parse(text) : null;
}

/** Each tenant's API key: opening a session needs the tenant's credential. */
const tenantKeys = new Map(TENANT_KEYS.split(',').map((entry) => entry.split('=')));

async function openSession(tenant) {
  const created = await apiCall('POST', '/v1/sessions', { user: 'ada', ttlSeconds: 3600 }, tenantKeys.get(tenant));
  return { id: created.sessionId, token: created.token, tenant };
}

async function submit(session, type, payload) {
  const accepted = await apiCall('POST', `/v1/sessions/${session.id}/intents`, { type, payload }, session.token);
  return { id: accepted.executionId, status: accepted.status, session };
}

/** Lets the downstream answer every call it holds (the slow-order executions' first step). */
async function release() {
  const response = await fetch(`${DOWNSTREAM_URL}/release`, { method: 'POST' });
  assert.ok(response.ok, `release answered ${response.status}`);
}

async function eventually(what, condition) {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const value = await condition();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting until ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stateOf(execution) {
  return (await apiCall('GET', execution.status, undefined, execution.session.token)).state;
}

const awaitState = (execution, ...states) =>
  eventually(`execution ${execution.id} is ${states.join(' or ')}`, async () => states.includes(await stateOf(execution)));

// ---- the browser ----

const profile = mkdtempSync(join(tmpdir(), 'console-e2e-'));
mkdirSync(SCREENSHOTS, { recursive: true });
const context = await chromium.launchPersistentContext(profile, {
  executablePath: CHROMIUM,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  viewport: { width: 1280, height: 860 },
});
const page = context.pages()[0] ?? await context.newPage();
page.setDefaultTimeout(WAIT_MS);
const browserErrors = [];
page.on('pageerror', (error) => browserErrors.push(`page error: ${error.message}`));
page.on('console', (message) => message.type() === 'error' && browserErrors.push(`console: ${message.text()}`));

const shot = async (name) => {
  await page.screenshot({ path: join(SCREENSHOTS, name), fullPage: true });
  console.log(`screenshot ${name}`);
};
const step = (text) => console.log(`-- ${text}`);
const executionView = () => page.getByTestId('execution');
const awaitViewState = (state) => page.waitForSelector(`[data-testid="execution"][data-state="${state}"]`);

async function act(action, reason) {
  await page.locator(`[data-action="${action}"]`).click();
  await page.getByTestId('action-form').locator('textarea[name="reason"]').fill(reason);
  await page.getByTestId('action-form').locator('input[name="actor"]').fill('e2e-operator');
  await page.getByTestId('confirm-action').click();
}

let failed = false;
try {
  step('executions to look at: completed, retried, compensated (acme) and FAILED (globex)');
  const acme = await openSession('acme');
  const globex = await openSession('globex');
  const completed = await submit(acme, 'trip-booking', { traveller: 'ada' });
  const retried = await submit(acme, 'trip-booking', { traveller: 'grace', flakyAt: 'reserve-hotel' });
  const compensated = await submit(acme, 'trip-booking', { traveller: 'linus', failAt: 'charge-card' });
  const failedOne = await submit(globex, 'seat-booking', { seat: '12A' });
  await awaitState(completed, 'COMPLETED');
  await awaitState(retried, 'COMPLETED');
  await awaitState(compensated, 'COMPENSATED');
  await awaitState(failedOne, 'FAILED');

  step('sign in: a wrong token is refused, the right one opens the list');
  await page.goto(CONSOLE_URL);
  await page.getByTestId('sign-in').waitFor();
  await page.locator('input[name="token"]').fill('not-the-token');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('problem').getByText('not valid').waitFor();
  browserErrors.length = 0; // Chromium logs the refused call (401) as an error: that one was the point
  await page.locator('input[name="token"]').fill(ADMIN_TOKEN);
  await shot('sign-in.png');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByTestId('executions').waitFor();
  assert.equal((await context.cookies()).length, 0, 'the console sets no cookie');
  assert.ok(!page.url().includes(ADMIN_TOKEN), 'the token is never in the URL');
  assert.equal(await page.evaluate(() => sessionStorage.getItem('runtime-plane.admin-token')), ADMIN_TOKEN);

  step('the list shows every execution, newest change first, with counts by state');
  for (const execution of [completed, retried, compensated, failedOne]) {
    await page.locator(`tr[data-execution="${execution.id}"]`).waitFor();
  }
  const failedCount = await page.getByTestId('count-FAILED').locator('b').textContent();
  assert.ok(Number(failedCount) >= 1, `FAILED count ${failedCount}`);
  await shot('list.png');

  step('filter: state FAILED, then tenant acme and intent type trip-booking');
  await page.locator('select[name="state"]').selectOption('FAILED');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.locator(`tr[data-execution="${failedOne.id}"]`).waitFor();
  await eventually('only FAILED rows are listed', async () =>
    (await page.locator('tr[data-execution]').count()) >= 1
    && (await page.locator('tr[data-execution] [data-state]').evaluateAll((cells) => cells.every((cell) => cell.dataset.state === 'FAILED'))));
  assert.ok(page.url().includes('state=FAILED'), 'filters are kept in the address (shareable, no token)');
  await shot('filter-failed.png');
  await page.getByRole('link', { name: 'Clear' }).click();
  await page.locator('input[name="tenant"]').fill('acme');
  await page.locator('input[name="type"]').fill('trip-booking');
  await page.getByRole('button', { name: 'Apply' }).click();
  await page.locator(`tr[data-execution="${failedOne.id}"]`).waitFor({ state: 'detached' });
  for (const execution of [completed, retried, compensated]) {
    await page.locator(`tr[data-execution="${execution.id}"]`).waitFor();
  }

  step('a retried step shows both attempts and the error of the first');
  await page.locator(`tr[data-execution="${retried.id}"] a`).click();
  await awaitViewState('COMPLETED');
  const hotel = page.locator('.timeline .row.forward[data-step="reserve-hotel"]');
  await hotel.locator('li[data-outcome="failed"]').getByText('failed once').waitFor();
  await hotel.locator('li[data-outcome="succeeded"]').waitFor();
  await page.getByTestId('back').click();
  await page.getByTestId('executions').waitFor();

  step('a compensated execution shows its compensations in reverse');
  await page.locator(`tr[data-execution="${compensated.id}"] a`).click();
  await awaitViewState('COMPENSATED');
  const compensations = await page.locator('.timeline .row.compensation').evaluateAll((rows) => rows.map((row) => row.dataset.step));
  assert.deepEqual(compensations, ['reserve-hotel', 'reserve-flight'], 'compensated in reverse order');
  await shot('compensated.png');

  step('open a running execution and watch it finish live');
  const slow = await submit(acme, 'slow-order', {});
  await page.goto(`${CONSOLE_URL}#/executions/acme/${slow.id}`);
  await awaitViewState('RUNNING');
  await page.locator('.timeline .row[data-step="wait_for_stock"] li[data-outcome="running"]').waitFor();
  await shot('live-running.png');
  await release();
  await awaitViewState('COMPLETED'); // no reload: the live feed moved it
  await page.locator('.timeline .row[data-step="confirm"] li[data-outcome="succeeded"]').waitFor();
  assert.equal(await page.locator('.live').count(), 0, 'no longer marked live');
  await shot('live-completed.png');

  step('cancel a running execution');
  const toCancel = await submit(acme, 'slow-order', {});
  await page.goto(`${CONSOLE_URL}#/executions/acme/${toCancel.id}`);
  await awaitViewState('RUNNING');
  await page.locator('.timeline .row[data-step="wait_for_stock"] li[data-outcome="running"]').waitFor();
  await act('cancel', 'customer called to cancel');
  await page.getByRole('status').getByText('Cancel: done').waitFor(); // durable before the step can go on
  await release();
  await awaitViewState('CANCELLED');
  await page.getByTestId('marks').getByText('e2e-operator').first().waitFor();
  await shot('cancelled.png');
  assert.equal(await stateOf(toCancel), 'CANCELLED');

  step('resolve the FAILED execution with a note');
  await page.goto(`${CONSOLE_URL}#/?state=FAILED`);
  await page.locator(`tr[data-execution="${failedOne.id}"] a`).click();
  await awaitViewState('FAILED');
  await page.locator('.timeline .row.compensation[data-step="hold_seat"] li[data-outcome="failed"]').first().waitFor();
  await page.locator('[data-action="retry"]').waitFor();
  await shot('failed.png');
  await act('resolve', 'seat released by hand at the desk');
  await awaitViewState('RESOLVED');
  await page.getByTestId('resolution').getByText('seat released by hand at the desk').waitFor();
  assert.equal(await page.locator('[data-action]').count(), 0, 'no action applies to a RESOLVED execution');
  await shot('resolved.png');
  assert.equal(await stateOf(failedOne), 'RESOLVED');

  step('sign out forgets the token');
  await page.getByTestId('sign-out').click();
  await page.getByTestId('sign-in').waitFor();
  assert.equal(await page.evaluate(() => sessionStorage.getItem('runtime-plane.admin-token')), null);

  assert.deepEqual(browserErrors, [], 'no script error and no Content-Security-Policy violation');
  console.log('console e2e: all checks passed');
} catch (error) {
  failed = true;
  console.error(`console e2e FAILED: ${error.stack || error}`);
  if (browserErrors.length) {
    console.error(`browser errors:\n${browserErrors.join('\n')}`);
  }
  const picture = join(ARTIFACTS, 'console-e2e-failure.png');
  await page.screenshot({ path: picture, fullPage: true }).then(() => console.error(`page at the failure: ${picture}`), () => {});
} finally {
  await context.close();
  rmSync(profile, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
