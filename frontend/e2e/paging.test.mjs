// Lists longer than a page, in the browser: the employees of a comune (45, imported through
// the API) and the 66 comuni page on the server, 20 at a time; every item is reached through
// the pagination, none is cut. Keyboard, a new search back on page 1, a phone's width; axe.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ADMIN, accessibilityViolations, newPage, screenshot, startBackend, startBrowser } from './harness.mjs';

let backend;
let browser;

before(async () => {
  backend = await startBackend();
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  backend?.stop();
});

async function signIn(page, { email, password }) {
  await page.goto(`${backend.url}/accesso`);
  await page.getByLabel('Indirizzo e-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Accedi' }).click();
  await page.getByRole('button', { name: 'Esci' }).waitFor();
}

/** A valid codice fiscale: its last letter is the check character of the first fifteen. */
function taxCode(first15) {
  const odd = { 0: 1, 1: 0, 2: 5, 3: 7, 4: 9, 5: 13, 6: 15, 7: 17, 8: 19, 9: 21, A: 1, B: 0, C: 5, D: 7, E: 9, F: 13, G: 15,
    H: 17, I: 19, J: 21, K: 2, L: 4, M: 18, N: 20, O: 11, P: 3, Q: 6, R: 8, S: 12, T: 14, U: 16, V: 10, W: 22, X: 25, Y: 24, Z: 23 };
  let sum = 0;
  for (let i = 0; i < 15; i++) {
    const c = first15[i];
    sum += i % 2 === 0 ? odd[c] : /\d/.test(c) ? Number(c) : c.charCodeAt(0) - 65;
  }
  return first15 + String.fromCharCode(65 + (sum % 26));
}

/** The row headers of a table, once its page has come (no `aria-busy`) and differs from `before`. */
async function rowsOf(page, table, before = []) {
  for (let attempt = 0; attempt < 100; attempt++) {
    if ((await table.getAttribute('aria-busy')) === null) {
      const names = (await table.getByRole('rowheader').allInnerTexts()).map((n) => n.trim());
      if (names.length > 0 && names.join('|') !== before.join('|')) return names;
    }
    await page.waitForTimeout(50);
  }
  throw new Error('the table did not change page');
}

test('45 employees page 20 at a time, and every one of them can be reached', async () => {
  const login = await fetch(`${backend.url}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(ADMIN),
  });
  const { access_token: admin } = await login.json();
  const family = (i) => `Cognome${String.fromCharCode(65 + Math.floor(i / 26))}${String.fromCharCode(97 + (i % 26))}`;
  const people = Array.from({ length: 45 }, (_, i) => ({
    tax: taxCode(`RSSMRA85${i < 28 ? 'A' : 'B'}${String((i % 28) + 1).padStart(2, '0')}A562`),
    name: `${family(i)} Mario`,
  }));
  const csv = `Codice fiscale;Nome;Cognome;Area;Profilo\n${people.map((p, i) => `${p.tax};Mario;${family(i)};Tributi;Istruttori`).join('\n')}\n`;
  const imported = await fetch(`${backend.url}/api/v1/employee-imports?comune_istat_code=008031`, {
    method: 'POST',
    headers: { 'Content-Type': 'text/csv', Authorization: `Bearer ${admin}` },
    body: csv,
  });
  assert.equal(imported.status, 200, await imported.clone().text());
  assert.equal((await imported.json()).created, 45);

  const page = await newPage(browser);
  await signIn(page, ADMIN);
  await page.goto(`${backend.url}/dipendenti`);
  await page.getByText('45 dipendenti').waitFor();
  await page.getByText('pagina 1 di 3').waitFor();
  const table = page.getByRole('table', { name: 'Dipendenti' });
  const pages = page.getByRole('navigation', { name: 'Pagine di: Dipendenti' });
  const first = await rowsOf(page, table);
  assert.equal(first.length, 20);
  assert.equal(await pages.getByRole('button', { name: 'Pagina 1', exact: true }).getAttribute('aria-current'), 'page');
  assert.equal(await pages.getByRole('button', { name: 'Pagina precedente' }).isDisabled(), true);
  assert.deepEqual(await accessibilityViolations(page), []);

  // The second page, from the keyboard.
  await pages.getByRole('button', { name: 'Pagina 2', exact: true }).focus();
  await page.keyboard.press('Enter');
  await page.getByText('pagina 2 di 3').waitFor();
  const second = await rowsOf(page, table, first);
  assert.equal(second.length, 20);
  assert.equal(await pages.getByRole('button', { name: 'Pagina 2', exact: true }).getAttribute('aria-current'), 'page');
  assert.equal(await pages.getByRole('button', { name: 'Pagina 1', exact: true }).getAttribute('aria-current'), null);
  assert.equal(second.some((name) => first.includes(name)), false, 'the second page has other employees');
  await screenshot(page, 'dipendenti-pagina-2');

  await pages.getByRole('button', { name: 'Pagina successiva' }).click();
  await page.getByText('pagina 3 di 3').waitFor();
  const third = await rowsOf(page, table, second);
  assert.equal(third.length, 5);
  assert.equal(await pages.getByRole('button', { name: 'Pagina successiva' }).isDisabled(), true);
  assert.deepEqual([...first, ...second, ...third].sort(), people.map((p) => p.name).sort(), 'every employee, once');

  // A new search starts again from the first page.
  await page.getByLabel('Cerca per nome o codice fiscale').fill(family(44));
  await page.getByText('1 dipendente', { exact: true }).waitFor();
  assert.deepEqual(await rowsOf(page, table, third), [`${family(44)} Mario`]);
  assert.equal(await pages.count(), 0, 'one page: no pagination');

  // On a phone the table scrolls sideways in a region the keyboard reaches.
  await page.getByLabel('Cerca per nome o codice fiscale').fill('');
  await page.getByText('pagina 1 di 3').waitFor();
  await page.setViewportSize({ width: 360, height: 800 });
  await page.getByRole('region', { name: 'Dipendenti' }).waitFor();
  assert.equal(await page.getByRole('region', { name: 'Dipendenti' }).getAttribute('tabindex'), '0');
  assert.ok(await pages.getByRole('button', { name: 'Pagina 2', exact: true }).isVisible());
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `the page itself does not scroll sideways (${width} px)`);
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, 'dipendenti-telefono');
  assert.deepEqual(page.errors, []);
});

test('the 66 comuni are on four pages, the last with the last six', async () => {
  const page = await newPage(browser);
  await page.goto(`${backend.url}/comuni`);
  await page.getByText('66 comuni').waitFor();
  const table = page.getByRole('table', { name: 'Elenco dei comuni della Provincia' });
  const pages = page.getByRole('navigation', { name: 'Pagine di: Elenco dei comuni della Provincia' });
  const first = await rowsOf(page, table);
  assert.equal(first.length, 20);
  await pages.getByRole('button', { name: 'Pagina 4', exact: true }).click();
  await page.getByText('pagina 4 di 4').waitFor();
  const last = await rowsOf(page, table, first);
  assert.equal(last.length, 6);
  // In the order of names, Ventimiglia is among the last six.
  assert.ok(last.includes('Ventimiglia'), last.join(', '));
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, 'comuni-pagina-4');

  // Another order is a new list: back to its first page, the most populous first.
  await page.getByLabel('Ordina per').selectOption('-population');
  await page.getByText('pagina 1 di 4').waitFor();
  assert.equal((await rowsOf(page, table, last))[0], 'Sanremo');
  assert.deepEqual(page.errors, []);
});
