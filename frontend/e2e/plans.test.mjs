// The annual plan in the browser: the admin generates a plan from a closed campaign (a wrong
// parameter first), reads its figures and editions, edits it (a Sunday refused in Italian, a
// weekday accepted), generates a second plan with a dearer mileage and compares the two,
// approves and publishes the first; a referente reads where their people go. axe on every
// screen; screenshots at 360 px and on the desktop.
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
    headers: {
      'Content-Type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json',
      ...(token ? { Authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
  return response.status === 204 ? undefined : response.json();
}

async function signIn(page, { email, password }) {
  await page.goto(`${backend.url}/accesso`);
  await page.getByLabel('Indirizzo e-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Accedi' }).click();
  await page.getByRole('button', { name: 'Esci' }).waitFor();
}

/** A fictitious codice fiscale: the stem (15 characters) and its check letter. */
function taxCode(stem) {
  const odd = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
  const index = (c) => (/\d/.test(c) ? Number(c) : c.charCodeAt(0) - 65);
  const sum = [...stem].reduce((s, c, i) => s + (i % 2 === 0 ? odd[index(c)] : index(c)), 0);
  return stem + String.fromCharCode(65 + (sum % 26));
}

const IMPERIA = '008031';
const SANREMO = '008055';
/** Comuni of the campaign and the people each asks to train in privacy. */
const DEMAND = [
  [IMPERIA, 9],
  [SANREMO, 8],
  ['008008', 4], // Bordighera
  ['008065', 5], // Ventimiglia
  ['008059', 4], // Taggia
  ['008027', 3], // Diano Marina
  ['008042', 2], // Pieve di Teco
];
const PEOPLE = DEMAND.reduce((n, [, h]) => n + h, 0);
const euro = (cents) => new Intl.NumberFormat('it-IT', { style: 'currency', currency: 'EUR' }).format(cents / 100);
/** yyyy-mm-dd `days` after an ISO date. */
function plus(date, days) {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** What a plan needs: a qualified provider, two rooms, a closed campaign with named people. */
async function closedCampaign() {
  const { access_token: admin } = await call('POST', '/auth/login', ADMIN);
  await call('POST', '/providers', { name: 'Formazione Ligure', tax_code: '00743110157', qualification_status: 'qualified', themes: ['privacy'] }, admin);
  await call('POST', '/venues', { name: 'Sala della Provincia', address: 'Viale Matteotti 147', comune_istat_code: IMPERIA, capacity: 40 }, admin);
  await call('POST', '/venues', { name: 'Teatro Ariston, saletta', address: 'Via Matteotti 212', comune_istat_code: SANREMO, capacity: 30 }, admin);
  const campaign = await call('POST', '/campaigns', { year: 2027, title: 'Fabbisogni 2027', opens_on: '2027-01-15', closes_on: '2027-02-28',
    instructions: 'Indicare per ogni ufficio le persone da formare.', themes: ['privacy', 'anticorruzione_trasparenza'], status: 'open' }, admin);
  const named = [];
  for (const [given, family, stem] of [['Giulia', 'Verdi', 'VRDGLI80A41I138'], ['Marco', 'Neri', 'NREMRC79B12I138']]) {
    named.push(await call('POST', '/employees', { given_name: given, family_name: family, tax_code: taxCode(stem), office_area: 'tributi',
      job_profile: 'istruttore', comune_istat_code: SANREMO }, admin));
  }
  for (const [comune, headcount] of DEMAND) {
    await call('POST', '/needs', { campaign_id: campaign.id, comune_istat_code: comune, theme_code: 'privacy', office_area: 'tributi', headcount, priority: 'alta',
      ...(comune === SANREMO ? { employee_ids: named.map((e) => e.id) } : {}) }, admin);
  }
  await call('PATCH', `/campaigns/${campaign.id}`, { status: 'closed' }, admin);
  const referente = { email: 'referente@comune.sanremo.test', password: 'password-del-referente' };
  await call('POST', '/users', { ...referente, full_name: 'Sara Referente', role: 'referente', comune_istat_code: SANREMO }, admin);
  return { admin, campaign, referente };
}

async function noSidewaysScroll(page) {
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  if (width > 360) console.log(await page.evaluate(() => [...document.querySelectorAll('body *')].filter((e) => e.getBoundingClientRect().right > 361 && !e.closest('.table-responsive')).slice(0, 8).map((e) => `${e.tagName}.${e.className}#${e.id} ${Math.round(e.getBoundingClientRect().right)}`)));
  assert.ok(width <= 360, `the page itself does not scroll sideways (${width} px)`);
}

test('the admin generates, edits, compares and publishes a plan; a referente reads it', async () => {
  const { admin, referente } = await closedCampaign();
  const page = await newPage(browser);
  page.on('dialog', (d) => d.accept());
  try {
    await adminSteps(page, admin);
  } catch (e) {
    await screenshot(page, 'piani-fallito');
    throw e;
  }
  await referenteSteps(referente);
});

async function adminSteps(page, admin) {
  await signIn(page, ADMIN);
  await page.getByRole('link', { name: 'Piani', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Piani della formazione' }).waitFor();
  await page.getByText('0 piani').waitFor();

  // The form, with the defaults; a minimum above the maximum is named next to its field.
  await page.getByLabel('Rilevazione chiusa').selectOption({ label: 'Fabbisogni 2027' });
  const firstDay = page.getByLabel('Primo giorno');
  await page.waitForFunction(() => document.querySelector('#param-window_start')?.value !== '');
  assert.match(await firstDay.inputValue(), /^\d{4}-\d{2}-\d{2}$/);
  assert.equal(await page.getByLabel('Nome del piano').inputValue(), 'Piano 2027');
  assert.equal(await page.getByLabel(/^Rimborso chilometrico/).inputValue(), '0,35');
  assert.deepEqual(await accessibilityViolations(page), []);
  await page.locator('summary', { hasText: 'Parametri per tema' }).click();
  const minimum = page.getByLabel(/^Minimo in presenza: Privacy/);
  await minimum.fill('300');
  await page.getByRole('button', { name: 'Genera il piano' }).click();
  await page.locator('#tema-privacy-min_participants[aria-invalid="true"]').waitFor();
  await page.getByText('maggiore del massimo di partecipanti').first().waitFor();
  await page.getByRole('alert').getByText(/Privacy.*minimo in presenza/).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, 'piani-parametri-errore');
  await minimum.fill('8');
  // In presence only: the editions go to the rooms.
  await page.getByLabel(/^Webinar ammesso: Privacy/).uncheck({ force: true });
  await page.getByRole('button', { name: 'Genera il piano' }).click();

  // The plan: its figures, its editions.
  await page.waitForURL(/\/piani\/\d+$/, { timeout: 120_000 });
  const planId = Number(page.url().split('/').pop());
  await page.getByRole('heading', { level: 1, name: 'Piano 2027' }).waitFor();
  const plan = await call('GET', `/plans/${planId}`, undefined, admin);
  assert.equal(plan.people_served, PEOPLE);
  await page.getByText(new RegExp(`${PEOPLE} su ${PEOPLE} \\(100,0\\s%\\)`)).first().waitFor();
  await page.getByText(euro(plan.total_cents)).first().waitFor();
  await page.getByText(euro(plan.saving_cents)).first().waitFor();
  await page.getByText(/il piano costa al più lo \d+,\d\s%\s?più del miglior piano possibile/).waitFor();
  const editions = page.getByRole('table', { name: /Edizioni del piano/ });
  assert.equal(await editions.locator('tbody tr').count(), plan.editions.length);
  await editions.getByText(/Sala della Provincia|Teatro Ariston/).first().waitFor();
  await page.getByRole('img', { name: /Mappa dei comuni/ }).waitFor();
  assert.equal(await page.locator('svg line').count() > 0, true, 'the map draws where the people go');
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, 'piano-desktop');

  // An edit: a Sunday is refused in Italian, a weekday a week later is accepted and re-costed.
  const first = plan.editions[0];
  await editions.getByRole('button', { name: /^Modifica/ }).first().click();
  assert.equal(await page.getByLabel('Edizione da modificare').inputValue(), first.key);
  const start = first.dates[0];
  const sunday = plus(start, (7 - new Date(`${start}T12:00:00Z`).getUTCDay()) % 7 || 7);
  await page.getByLabel('Nuova data di inizio').fill(sunday);
  await page.getByRole('button', { name: 'Cambia la data' }).click();
  await page.getByRole('alert').getByText('La modifica viola le regole del piano').waitFor();
  await page.getByRole('alert').getByText(/data in un fine settimana/).first().waitFor();
  await page.locator('#modifica-data[aria-invalid="true"]').waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, 'piano-modifica-errore');
  const later = plus(start, 7);
  // A colleague renames the plan meanwhile: the edit is refused and the plan shown as it is now.
  await call('PATCH', `/plans/${planId}`, { name: 'Piano 2027 (rivisto)' }, admin);
  await call('PATCH', `/plans/${planId}`, { name: 'Piano 2027' }, admin);
  await page.getByLabel('Nuova data di inizio').fill(later);
  await page.getByRole('button', { name: 'Cambia la data' }).click();
  await page.getByRole('alert').getByText(/modificato nel frattempo/).waitFor();
  await page.waitForFunction((date) => document.querySelector('#modifica-data')?.value === date, start);
  await page.getByLabel('Nuova data di inizio').fill(later);
  await page.getByRole('button', { name: 'Cambia la data' }).click();
  await page.getByText(/^Piano ricalcolato: costo totale/).waitFor();
  const [y, m, d] = later.split('-');
  await editions.getByText(`${d}/${m}/${y}`).first().waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  // One person of Taggia moves to the other room's edition.
  await page.getByLabel('Comune', { exact: true }).selectOption({ label: 'Taggia' });
  await page.getByLabel('Quante persone').fill('1');
  await page.getByRole('button', { name: 'Sposta le persone' }).click();
  await page.getByText(/^Piano ricalcolato: costo totale/).waitFor();
  await editions.getByText(/Taggia 1/).waitFor();

  // A second plan with a dearer mileage, compared with the first.
  await page.goto(`${backend.url}/piani`);
  await page.getByText('1 piano').waitFor();
  await page.getByLabel('Rilevazione chiusa').selectOption({ label: 'Fabbisogni 2027' });
  await page.waitForFunction(() => document.querySelector('#param-eur_per_km')?.value !== '');
  await page.getByLabel('Nome del piano').fill('Rimborso alto');
  await page.getByLabel(/^Rimborso chilometrico/).fill('1');
  await page.getByRole('button', { name: 'Genera il piano' }).click();
  await page.waitForURL((url) => /\/piani\/\d+$/.test(url.pathname) && !url.pathname.endsWith(`/${planId}`), { timeout: 120_000 });
  await page.getByRole('heading', { level: 1, name: 'Rimborso alto' }).waitFor();
  await page.getByLabel('Altro piano della stessa rilevazione').selectOption({ label: 'Piano 2027' });
  await page.getByRole('button', { name: 'Confronta' }).click();
  const comparison = page.getByRole('table', { name: /«Rimborso alto» e «Piano 2027»/ });
  await comparison.getByRole('rowheader', { name: 'Costo totale' }).waitFor();
  await page.getByText(/Rimborso chilometrico: 1 €\/km → 0,35 €\/km/).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, 'piano-confronto');
  // A draft on a phone: the edit forms fit, the tables scroll in their own box.
  await page.setViewportSize({ width: 360, height: 800 });
  await noSidewaysScroll(page);
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, 'piano-bozza-360');
  await page.setViewportSize({ width: 1280, height: 900 });
  // Dropping its only edition leaves everyone unserved, with the reason in Italian.
  await page.getByRole('button', { name: 'Elimina l’edizione' }).click();
  await page.getByText(/^Piano ricalcolato: costo totale/).waitFor();
  const unserved = page.getByRole('table', { name: 'Fabbisogni non serviti' });
  await unserved.getByText('Tolte dall’ufficio con una modifica').first().waitFor();
  assert.equal(await unserved.locator('tbody tr').count(), DEMAND.length);
  // Nothing left to pay: the optimiser's bound no longer applies, and the page says so.
  await page.getByText(/È il limite del piano calcolato: dopo le modifiche il piano serve meno persone/).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, 'piano-non-servite');

  // The list shows both; then the first is approved and published.
  await page.goto(`${backend.url}/piani`);
  await page.getByText('2 piani').waitFor();
  await page.getByRole('link', { name: 'Piano 2027' }).click();
  await page.getByRole('heading', { level: 1, name: 'Piano 2027' }).waitFor();
  await page.getByRole('button', { name: 'Approva il piano' }).click();
  await page.getByText('Piano approvato: ora si può pubblicare.').waitFor();
  await page.getByRole('button', { name: 'Pubblica il piano' }).click();
  const dialog = page.getByRole('dialog', { name: 'Pubblicare il piano?' });
  await dialog.getByText(/crea nel catalogo i corsi/).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await dialog.getByRole('button', { name: 'Pubblica' }).click();
  await page.getByText('Piano pubblicato').first().waitFor();
  const published = await call('GET', `/plans/${planId}`, undefined, admin);
  await page.getByText(`Edizioni create: ${published.editions.length}`).waitFor();
  await page.getByText('Corsi creati nel catalogo: 1').waitFor();
  await page.getByText(/Messaggi ai referenti dei comuni messi in coda: [1-9]/).waitFor();
  assert.equal(published.status, 'published');
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, 'piano-pubblicato');

  // On a phone: the page does not scroll sideways, the tables do.
  await page.setViewportSize({ width: 360, height: 800 });
  await page.reload();
  await page.getByRole('heading', { level: 1, name: 'Piano 2027' }).waitFor();
  await noSidewaysScroll(page);
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, 'piano-360');
  await page.goto(`${backend.url}/piani`);
  await page.getByText('2 piani').waitFor();
  await page.getByLabel('Rilevazione chiusa').selectOption({ label: 'Fabbisogni 2027' });
  await page.waitForFunction(() => document.querySelector('#param-window_start')?.value !== '');
  await page.locator('summary', { hasText: 'Parametri per tema' }).click();
  await noSidewaysScroll(page);
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, 'piani-360');
  assert.deepEqual(page.errors, []);
}

/** The referente of Sanremo: where their people go, by name; no admin actions. */
async function referenteSteps(referente) {
  const ref = await newPage(browser);
  await signIn(ref, referente);
  await ref.getByRole('link', { name: 'Piani', exact: true }).click();
  await ref.getByRole('link', { name: 'Piano 2027' }).click();
  await ref.getByRole('heading', { name: 'Dove vanno le persone del vostro Comune' }).waitFor();
  await ref.getByText('Giulia Verdi').first().waitFor();
  await ref.getByText('Marco Neri').first().waitFor();
  await ref.getByText(/non ancora nominat/).first().waitFor();
  assert.equal(await ref.getByRole('button', { name: /Approva|Pubblica|Rinomina/ }).count(), 0);
  assert.deepEqual(await accessibilityViolations(ref), []);
  await screenshot(ref, 'piano-referente');
  await ref.setViewportSize({ width: 360, height: 800 });
  await noSidewaysScroll(ref);
  await screenshot(ref, 'piano-referente-360');
  assert.deepEqual(ref.errors, []);
}
