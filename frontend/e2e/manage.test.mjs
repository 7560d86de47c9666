// The back office in the browser: the admin registers a provider, a venue and a user,
// creates a course, publishes it, adds an edition and opens it; the edition appears in the
// public catalogue. axe on every screen.
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

/** A datetime-local value `days` from now at `hour`. */
function local(days, hour) {
  const d = new Date(Date.now() + days * 24 * 3600 * 1000);
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(hour)}:00`;
}

test('the admin sets up a provider, a venue, a course and an open edition', async () => {
  const page = await newPage(browser);
  await page.goto(`${backend.url}/accesso`);
  await page.getByLabel('Indirizzo e-mail').fill(ADMIN.email);
  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Accedi' }).click();
  await page.getByRole('link', { name: 'Gestione' }).click();
  await page.getByRole('heading', { level: 1, name: 'Gestione' }).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);

  // A provider, with a wrong tax code first: the field says why.
  await page.getByRole('link', { name: 'Enti formatori' }).click();
  await page.getByLabel('Denominazione').fill('Formazione Riviera');
  await page.getByLabel('Codice fiscale o partita IVA').fill('00743110158');
  await page.getByLabel('Privacy e protezione dei dati personali').check({ force: true });
  await page.getByRole('button', { name: "Registra l'ente" }).click();
  await page.locator('#ente-tax-code').and(page.locator('[aria-invalid="true"]')).waitFor();
  // The summary names the field in Italian (not `tax_code`) and takes the focus to it.
  const summary = page.getByRole('alert').filter({ hasText: 'Dati da correggere' });
  assert.doesNotMatch(await summary.innerText(), /tax_code/);
  await summary.getByRole('link', { name: 'Codice fiscale o partita IVA' }).click();
  assert.equal(await page.evaluate(() => document.activeElement?.id), 'ente-tax-code');
  assert.deepEqual(await accessibilityViolations(page), []);
  await page.getByLabel('Codice fiscale o partita IVA').fill('00743110157');
  await page.getByRole('button', { name: "Registra l'ente" }).click();
  await page.getByText('Ente «Formazione Riviera» registrato.').waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);

  await page.goto(`${backend.url}/gestione/sedi`);
  await page.getByLabel('Nome').fill('Sala della Provincia');
  await page.getByLabel('Indirizzo').fill('Viale Matteotti 147');
  await page.getByLabel('Comune').selectOption({ label: 'Imperia' });
  await page.getByLabel('Posti').fill('30');
  await page.getByRole('button', { name: 'Registra la sede' }).click();
  await page.getByText('Sede «Sala della Provincia» registrata.').waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);

  await page.goto(`${backend.url}/gestione/utenti`);
  await page.getByLabel('Nome e cognome').fill('Rita Referente');
  await page.getByLabel('E-mail').fill('rita@comune.imperia.test');
  await page.getByLabel('Password iniziale').fill('una-password-lunga');
  await page.getByLabel('Comune').selectOption({ label: 'Imperia' });
  await page.getByRole('button', { name: "Crea l'utente" }).click();
  await page.getByText('Utente rita@comune.imperia.test creato.').waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);

  // A course, published, with an open edition.
  await page.goto(`${backend.url}/gestione/corsi`);
  await page.getByLabel('Titolo').fill('Privacy per gli uffici demografici');
  // Without a theme the API answers `#/theme_code`: the form says "Tema", under the field and in the summary.
  await page.getByRole('button', { name: 'Crea il corso' }).click();
  await page.getByRole('alert').getByRole('link', { name: 'Tema' }).waitFor();
  await page.locator('#corso-theme-code[aria-invalid="true"]').waitFor();
  assert.doesNotMatch(await page.getByRole('alert').first().innerText(), /theme_code/);
  await page.getByLabel('Tema').selectOption('privacy');
  await page.getByLabel('Ore', { exact: true }).fill('3');
  await page.getByRole('button', { name: 'Crea il corso' }).click();
  await page.getByRole('link', { name: 'aggiungere le edizioni e pubblicarlo' }).click();
  await page.getByRole('button', { name: 'Pubblica il corso' }).click();
  await page.getByText('Pubblicato').first().waitFor();
  await page.getByLabel('Titolo').fill('Imperia, dicembre');
  await page.getByLabel('Posti', { exact: true }).fill('20');
  await page.getByLabel('Iscrizioni dal').fill(local(0, 0));
  await page.getByLabel('Iscrizioni fino al').fill(local(5, 18));
  await page.getByLabel('Inizio della sessione').fill(local(10, 9));
  await page.getByLabel('Fine della sessione').fill(local(10, 12));
  await page.getByLabel('Sede').selectOption({ label: 'Sala della Provincia (30 posti)' });
  await page.getByRole('button', { name: "Crea l'edizione" }).click();
  await page.getByText('Edizione «Imperia, dicembre» creata in bozza.').waitFor();
  await page.getByRole('button', { name: /Apri le iscrizioni\s*: Imperia, dicembre/ }).click();
  await page.getByText('Edizione «Imperia, dicembre»: iscrizioni aperte.').waitFor();
  await page.getByLabel('Posti: Imperia, dicembre').fill('25');
  await page.getByRole('button', { name: /Salva\s*i posti di Imperia, dicembre/ }).click();
  await page.getByText(/Edizione «Imperia, dicembre»: 25 posti/).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, 'gestione-corso');

  await page.goto(`${backend.url}/catalogo`);
  await page.getByRole('heading', { name: 'Privacy per gli uffici demografici' }).waitFor();
  assert.deepEqual(page.errors, []);
});
