// Who decides a published edition: a provider's secretary proposes more seats from the
// course screen, the Province's clerk approves it on a phone; the edition changes only
// then, and both screens pass axe.
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

async function call(path, { method = 'GET', token, body } = {}) {
  const response = await fetch(`${backend.url}/api/v1${path}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body ? { 'content-type': 'application/json' } : {}),
    },
    body: body ? JSON.stringify(body) : undefined,
  });
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
  return response.status === 204 ? undefined : response.json();
}

async function login(email, password) {
  return (await call('/auth/login', { method: 'POST', body: { email, password } })).access_token;
}

const STAFF = { email: 'segreteria@ente.e2e.test', password: 'password-e2e-ente' };

/** A provider whose staff must propose, its published course and an open edition of 20 seats. */
async function catalogue() {
  const admin = await login(ADMIN.email, ADMIN.password);
  const provider = await call('/providers', {
    method: 'POST',
    token: admin,
    body: { name: 'Formazione Riviera', tax_code: '00743110157', qualification_status: 'qualified', themes: ['privacy'] },
  });
  await call('/users', {
    method: 'POST',
    token: admin,
    body: { ...STAFF, full_name: 'Sara Segreteria', role: 'provider', provider_id: provider.id },
  });
  const venue = await call('/venues', {
    method: 'POST',
    token: admin,
    body: { name: 'Sala della Provincia', address: 'Viale Matteotti 147', comune_istat_code: '008031', capacity: 40 },
  });
  const course = await call('/courses', {
    method: 'POST',
    token: admin,
    body: {
      title: 'Privacy per gli sportelli', theme_code: 'privacy', provider_id: provider.id, modality: 'in_person',
      hours: 6, description: 'Il trattamento dei dati allo sportello.', objectives: 'Trattare i dati correttamente.',
      status: 'published',
    },
  });
  const at = (days, hour) => {
    const d = new Date(Date.now() + days * 86400000);
    d.setUTCHours(hour, 0, 0, 0);
    return d.toISOString();
  };
  const edition = await call(`/courses/${course.id}/editions`, {
    method: 'POST',
    token: admin,
    body: {
      title: 'Edizione di Imperia', delivery: 'in_person', capacity: 20, status: 'open', self_enrolment: true,
      enrolment_opens_at: at(-1, 8), enrolment_closes_at: at(20, 18),
      sessions: [{ starts_at: at(30, 8), ends_at: at(30, 12), venue_id: venue.id }],
    },
  });
  return { admin, course, edition };
}

async function signIn(page, { email, password }) {
  await page.goto(`${backend.url}/accesso`);
  await page.getByLabel('Indirizzo e-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Accedi' }).click();
  await page.getByRole('button', { name: 'Esci' }).waitFor();
}

test('a provider proposes more seats and the Province approves them from a phone', async () => {
  const { admin, course, edition } = await catalogue();

  // The provider's secretary, at a desk.
  const desk = await newPage(browser);
  await signIn(desk, STAFF);
  await desk.goto(`${backend.url}/gestione/corsi/${course.id}`);
  const seats = desk.getByLabel('Posti: Edizione di Imperia');
  await seats.fill('28');
  await desk.getByRole('button', { name: 'Proponi i posti di Edizione di Imperia' }).click();
  const form = desk.getByRole('region', { name: 'Proponi una modifica: Edizione di Imperia' });
  await form.waitFor();
  assert.equal(await form.getByLabel('Posti').inputValue(), '28', 'the form starts from what was typed');
  // Without a reason the API refuses, in Italian, next to the field.
  await form.getByRole('button', { name: 'Invia la proposta' }).click();
  await desk.locator('#proposta-reason[aria-invalid="true"]').waitFor();
  assert.doesNotMatch(await desk.locator('main').innerText(), /\breason\b/);
  assert.deepEqual(await accessibilityViolations(desk), []);
  await screenshot(desk, 'proposta-ente');
  await form.getByLabel('Motivo della modifica').fill('Lista d’attesa lunga: la sala ne tiene 40.');
  await form.getByRole('button', { name: 'Invia la proposta' }).click();
  await desk.getByText('Proposta per «Edizione di Imperia» inviata alla Provincia').waitFor();
  assert.equal((await call(`/editions/${edition.id}`, { token: admin })).capacity, 20, 'nothing changes yet');
  assert.deepEqual(desk.errors, []);

  // The Province's clerk, on a phone.
  const phone = await newPage(browser);
  await phone.setViewportSize({ width: 360, height: 800 });
  await signIn(phone, ADMIN);
  await phone.goto(`${backend.url}/gestione/proposte`);
  await phone.getByText('1 proposta da decidere').waitFor();
  const card = phone.getByRole('region', { name: /Privacy per gli sportelli – Edizione di Imperia/ });
  assert.match(await card.innerText(), /Posti: da 20 a 28/);
  assert.match(await card.innerText(), /Lista d’attesa lunga/);
  assert.deepEqual(await accessibilityViolations(phone), []);
  await screenshot(phone, 'proposte-telefono');
  assert.equal(
    await phone.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth + 1),
    true,
    'nothing overflows the phone screen',
  );
  await card.getByLabel('Nota per l’ente (facoltativa)').fill('Va bene, confermate la sala.');
  await card.getByRole('button', { name: /^Approva/ }).click();
  const dialog = phone.getByRole('dialog', { name: 'Approvare la modifica?' });
  await dialog.getByRole('button', { name: 'Approva e applica' }).click();
  await phone.getByText(/Approvata la modifica di «Privacy per gli sportelli – Edizione di Imperia»/).waitFor();
  await phone.getByText('Nessuna proposta da decidere.').waitFor();
  assert.equal((await call(`/editions/${edition.id}`, { token: admin })).capacity, 28, 'applied on approval');
  assert.deepEqual(phone.errors, []);

  // The secretary sees the decision and the note.
  await desk.goto(`${backend.url}/gestione/proposte`);
  await desk.getByLabel('Tutte').check({ force: true });
  const decided = desk.getByRole('region', { name: /Edizione di Imperia/ });
  assert.match(await decided.innerText(), /Approvata/);
  assert.match(await decided.innerText(), /Va bene, confermate la sala\./);
  assert.deepEqual(await accessibilityViolations(desk), []);
  await screenshot(desk, 'proposte-ente-decisa');
});
