// The needs survey in the browser: the admin creates and opens a campaign, a referente
// answers in the grid and sends it, the admin sees who is missing, reminds them (the
// messages wait in the outbox: no SMTP here), and closes the campaign. axe on every screen.
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

async function call(method, path, body, token) {
  const response = await fetch(`${backend.url}/api/v1${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(response.ok, `${method} ${path}: ${response.status}`);
  return response.status === 204 ? undefined : response.json();
}

async function signIn(page, { email, password }) {
  await page.goto(`${backend.url}/accesso`);
  await page.getByLabel('Indirizzo e-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Accedi' }).click();
  await page.getByRole('button', { name: 'Esci' }).waitFor();
}

test('the admin runs a campaign, a referente answers in minutes, the admin reminds the others', async () => {
  const { access_token: admin } = await call('POST', '/auth/login', ADMIN);
  const referente = { email: 'referente@comune.badalucco.test', password: 'password-del-referente' };
  await call('POST', '/users', { ...referente, full_name: 'Lucia Referente', role: 'referente', comune_istat_code: '008006' }, admin);
  await call('POST', '/employees', { given_name: 'Mario', family_name: 'Rossi', tax_code: 'RSSMRA85T10A562S', office_area: 'tributi',
    job_profile: 'istruttore', comune_istat_code: '008006' }, admin);

  // The admin creates the campaign in the browser and opens it.
  const page = await newPage(browser);
  await signIn(page, ADMIN);
  await page.getByRole('link', { name: 'Fabbisogni' }).click();
  await page.getByRole('heading', { level: 1, name: 'Rilevazione dei fabbisogni formativi' }).waitFor();
  await page.getByLabel('Titolo').fill('Fabbisogni formativi prova');
  await page.getByRole('button', { name: 'Crea la rilevazione' }).click();
  await page.getByRole('link', { name: 'Fabbisogni formativi prova' }).click();
  await page.getByRole('button', { name: 'Apri la rilevazione ai comuni' }).click();
  await page.getByRole('button', { name: 'Chiudi la rilevazione' }).waitFor();
  const campaignUrl = page.url();
  assert.deepEqual(await accessibilityViolations(page), []);
  await page.context().close();

  // The referente fills two cells, saves, sets a priority and sends the answer.
  const ref = await newPage(browser);
  await signIn(ref, referente);
  await ref.goto(campaignUrl);
  await ref.getByRole('heading', { name: 'La risposta del Comune di Badalucco' }).waitFor();
  const firstTheme = (await ref.locator('.answer-grid thead th').nth(1).innerText()).trim();
  // A half person is refused on the spot: the cell keeps it, marked, and nothing can be saved.
  await ref.getByLabel(`Tributi, ${firstTheme}: persone`).fill('2.5');
  await ref.getByText('1 cella da correggere', { exact: false }).waitFor();
  assert.equal(await ref.getByLabel(`Tributi, ${firstTheme}: persone`).getAttribute('aria-invalid'), 'true');
  assert.equal(await ref.getByLabel(`Tributi, ${firstTheme}: persone`).inputValue(), '2.5');
  assert.equal(await ref.getByRole('button', { name: /^Salva/ }).isDisabled(), true);
  await ref.getByLabel(`Tributi, ${firstTheme}: persone`).fill('3');
  await ref.getByLabel(`Polizia locale, ${firstTheme}: persone`).fill('2');
  await ref.getByRole('button', { name: 'Salva 2 modifiche' }).click();
  await ref.getByText('Modifiche salvate.').waitFor();
  await ref.getByText('Dettaglio delle righe (5 persone)').waitFor();
  await ref.getByLabel(`Priorità: ${firstTheme}, Tributi`).selectOption('alta');
  // Optionally, who: Mario Rossi of the tax office.
  await ref.getByText(`0 nominati: ${firstTheme}, Tributi`).click();
  await ref.getByLabel('Rossi Mario').click({ force: true });
  await ref.getByText(`1 nominato: ${firstTheme}, Tributi`).waitFor();
  assert.deepEqual(await accessibilityViolations(ref), []);
  await screenshot(ref, 'fabbisogni-griglia');
  await ref.getByRole('button', { name: 'Invia la risposta alla Provincia' }).click();
  await ref.getByText('Risposta inviata alla Provincia. Grazie!').waitFor();
  await ref.getByText('Per modificarla chiedere alla Provincia di riaprirla.').waitFor();
  assert.equal(await ref.getByLabel(`Tributi, ${firstTheme}: persone`).isDisabled(), true, 'a sent answer is locked');
  assert.deepEqual(ref.errors, []);
  await ref.context().close();

  // The admin sees who is missing, reminds them, and downloads the summary.
  const adm = await newPage(browser);
  await signIn(adm, ADMIN);
  // The dashboard: the map and the demand by theme, at a glance.
  await adm.goto(backend.url);
  await adm.getByRole('heading', { name: /Cruscotto: Fabbisogni formativi prova/ }).waitFor();
  await adm.getByRole('img', { name: 'Mappa dei comuni colorati secondo lo stato della risposta' }).waitFor();
  await adm.getByText('Inviata: 1').waitFor();
  assert.deepEqual(await accessibilityViolations(adm), []);
  await screenshot(adm, 'cruscotto');
  await adm.goto(campaignUrl);
  await adm.getByText('comuni su 66 hanno inviato la risposta').waitFor();
  await adm.getByLabel('Mostra').selectOption('submitted');
  await adm.getByRole('table', { name: /· ordinati per nome/ }).getByRole('rowheader', { name: 'Badalucco' }).waitFor();
  await adm.getByRole('button', { name: /Invia un promemoria ai 65 comuni/ }).click();
  await adm.getByText(/Promemoria accodati/).waitFor();
  assert.deepEqual(await accessibilityViolations(adm), []);
  await screenshot(adm, 'fabbisogni-monitoraggio');
  const download = adm.waitForEvent('download');
  await adm.getByRole('button', { name: 'Scarica il riepilogo (Excel)' }).click();
  assert.match((await download).suggestedFilename(), /riepilogo\.xlsx$/);
  await adm.getByRole('link', { name: 'Posta in uscita' }).first().click();
  await adm.getByRole('heading', { level: 1, name: 'Posta in uscita' }).waitFor();
  assert.deepEqual(await accessibilityViolations(adm), []);
  await adm.goto(campaignUrl);
  await adm.getByRole('button', { name: 'Chiudi la rilevazione' }).click();
  await adm.getByRole('button', { name: 'Riapri la rilevazione' }).waitFor();
  assert.deepEqual(adm.errors, []);
});
