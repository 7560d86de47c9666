// Training happening, in the browser: an employee enrols themselves and waits, a referente
// cancels a colleague's seat so the employee is promoted, the provider's trainer records attendance,
// the provider's trainer records attendance, the employee downloads the certificate and answers the questionnaire, anyone verifies
// the certificate. axe on every screen.
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
    headers: { 'Content-Type': method === 'PATCH' ? 'application/merge-patch+json' : 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
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

const day = 24 * 3600 * 1000;

/** A session as "I miei corsi" writes it: "lunedì 15 marzo 2027, 09:30–12:30", Rome's time. */
function sessionText(starts, hours) {
  const date = new Intl.DateTimeFormat('it-IT', { timeZone: 'Europe/Rome', weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });
  const clock = new Intl.DateTimeFormat('it-IT', { timeZone: 'Europe/Rome', hour: '2-digit', minute: '2-digit' });
  const ends = new Date(starts.getTime() + hours * 3600 * 1000);
  return date.format(starts) === date.format(ends)
    ? `${date.format(starts)}, ${clock.format(starts)}–${clock.format(ends)}`
    : `${date.format(starts)}, ${clock.format(starts)} – ${date.format(ends)}, ${clock.format(ends)}`;
}

test('an employee waits, is promoted, attends, gets the certificate and gives feedback', async () => {
  const { access_token: admin } = await call('POST', '/auth/login', ADMIN);
  const provider = await call('POST', '/providers', { name: 'Ente di prova', tax_code: '00743110157', qualification_status: 'qualified', themes: ['privacy'] }, admin);
  const venue = await call('POST', '/venues', { name: 'Sala della Provincia', address: 'Viale Matteotti 147', comune_istat_code: '008031', capacity: 30 }, admin);
  const course = await call('POST', '/courses', { title: 'Privacy in comune', description: 'd', objectives: 'o', theme_code: 'privacy', provider_id: provider.id,
    hours: 3, modality: 'in_person', target_office_areas: ['tributi'], min_attendance_percent: 80, status: 'published' }, admin);
  const now = Date.now();
  const starts = new Date(now + 10 * day);
  const edition = await call('POST', `/courses/${course.id}/editions`, { title: 'Edizione unica', delivery: 'in_person', capacity: 1, status: 'open', self_enrolment: true,
    enrolment_opens_at: new Date(now - day).toISOString(), enrolment_closes_at: new Date(now + 5 * day).toISOString(),
    sessions: [{ starts_at: starts.toISOString(), ends_at: new Date(starts.getTime() + 3 * 3600 * 1000).toISOString(), venue_id: venue.id }] }, admin);
  const employee = { email: 'anna.bianchi@comune.imperia.test', password: 'password-della-dipendente' };
  await call('POST', '/users', { ...employee, full_name: 'Anna Bianchi', role: 'employee', comune_istat_code: '008031' }, admin);
  await call('POST', '/employees', { given_name: 'Anna', family_name: 'Bianchi', email: employee.email, tax_code: 'BNCNNA80A41E290Q',
    office_area: 'tributi', job_profile: 'istruttore', comune_istat_code: '008031' }, admin);
  const trainer = { email: 'docente@ente.test', password: 'password-del-docente' };
  await call('POST', '/users', { ...trainer, full_name: 'Davide Docente', role: 'provider', provider_id: provider.id }, admin);
  const referente = { email: 'referente@comune.imperia.test', password: 'password-del-referente' };
  await call('POST', '/users', { ...referente, full_name: 'Rita Referente', role: 'referente', comune_istat_code: '008031' }, admin);
  await call('POST', '/employees', { given_name: 'Mario', family_name: 'Rossi', tax_code: 'RSSMRA85T10A562S', office_area: 'tributi', job_profile: 'istruttore', comune_istat_code: '008031' }, admin);

  // The referente takes the only seat for Mario Rossi.
  const ref = await newPage(browser);
  ref.on('dialog', (d) => d.accept());
  await signIn(ref, referente);
  await ref.goto(`${backend.url}/edizioni/${edition.id}`);
  await ref.getByLabel('Cerca per nome o codice fiscale').fill('Rossi');
  await ref.getByRole('button', { name: 'Cerca' }).click();
  await ref.getByRole('button', { name: 'Iscrivi', exact: true }).click();
  await ref.getByText('Mario Rossi: iscrizione confermata.').waitFor();
  assert.deepEqual(await accessibilityViolations(ref), []);

  // Anna enrols herself from the catalogue and waits.
  const emp = await newPage(browser);
  emp.on('dialog', (d) => d.accept());
  await signIn(emp, employee);
  await emp.goto(`${backend.url}/catalogo`);
  await emp.getByRole('link', { name: /^Iscrizione.*Privacy in comune/ }).click();
  await emp.getByRole('button', { name: 'Iscrivimi a questa edizione' }).click();
  await emp.getByText("Anna Bianchi: posti esauriti, in lista d'attesa al 1° posto.").waitFor();
  assert.deepEqual(await accessibilityViolations(emp), []);
  await screenshot(emp, 'iscrizione-lista-attesa');

  // The referente cancels Mario's seat: Anna is promoted.
  await ref.reload();
  await ref.getByRole('button', { name: "Annulla l'iscrizione di Mario Rossi" }).click();
  await ref.getByText(/Iscrizione di Mario Rossi annullata/).waitFor();
  await emp.getByRole('link', { name: 'I miei corsi' }).click();
  await emp.getByText('Confermata').waitFor();
  // Every session in Italian at Rome's time, the place, and what the enrolment waits for.
  await emp.getByText(sessionText(starts, 3)).waitFor();
  await emp.getByText('Sala della Provincia, Viale Matteotti 147, Imperia').waitFor();
  await emp.getByText('In attesa: il corso non è ancora iniziato.').waitFor();
  // Cancelling asks first; keeping the seat changes nothing.
  await emp.getByRole('button', { name: /^Annulla iscrizione.*Privacy in comune/ }).click();
  await emp.getByRole('dialog', { name: "Annullare l'iscrizione?" }).waitFor();
  assert.deepEqual(await accessibilityViolations(emp), []);
  await emp.getByRole('button', { name: "Mantieni l'iscrizione" }).click();
  await emp.getByRole('dialog').waitFor({ state: 'hidden' });
  await emp.getByText('Confermata').waitFor();

  // The provider's trainer opens the register before the session: shown, not fillable.
  const adm = await newPage(browser);
  await signIn(adm, trainer);
  await adm.goto(`${backend.url}/edizioni/${edition.id}`);
  await adm.getByRole('link', { name: /Sessione del/ }).click();
  await adm.getByText('La sessione non si è ancora svolta').waitFor();
  assert.equal(await adm.getByRole('button', { name: 'Salva il registro' }).isDisabled(), true);
  assert.equal(await adm.getByLabel('Presente: Bianchi Anna').isDisabled(), true);
  // The session takes place (moved two days back for the test); then the trainer records it.
  const held = new Date(now - 2 * day);
  await call('PATCH', `/editions/${edition.id}`, { sessions: [{ starts_at: held.toISOString(), ends_at: new Date(held.getTime() + 3 * 3600 * 1000).toISOString(), venue_id: venue.id }] }, admin);
  await adm.goto(`${backend.url}/edizioni/${edition.id}`);
  await adm.getByRole('link', { name: /Sessione del/ }).click();
  await adm.getByLabel('Presente: Bianchi Anna').check();
  await adm.getByRole('button', { name: 'Salva il registro' }).click();
  await adm.getByText('Registro salvato: 1 presente, 0 assenti.').waitFor();
  assert.deepEqual(await accessibilityViolations(adm), []);
  await screenshot(adm, 'registro-presenze');
  const sheet = adm.waitForEvent('download');
  await adm.getByRole('button', { name: 'Scarica il foglio firme (PDF)' }).click();
  assert.match((await sheet).suggestedFilename(), /foglio-firme-sessione-\d+\.pdf/);

  // Anna downloads her certificate and answers the questionnaire.
  await emp.reload();
  await emp.getByText('Completata').waitFor();
  await emp.getByText(/Completato il \d+ \w+ \d{4}, con 3 h di frequenza\./).waitFor();
  // A completed course cannot be cancelled: the button is not offered.
  assert.equal(await emp.getByRole('button', { name: /Annulla iscrizione/ }).count(), 0);
  const certificate = emp.waitForEvent('download');
  await emp.getByRole('button', { name: /Scarica l'attestato/ }).click();
  const file = (await certificate).suggestedFilename();
  assert.match(file, /^attestato-IM-\d{4}-\d{6}-[0-9A-F]{10}\.pdf$/);
  // Nothing is answered for her: sending with a score missing names it and sends nothing.
  await emp.getByLabel('Docente').selectOption('5');
  await emp.getByLabel('Commento (facoltativo)').fill('Molto chiaro.');
  await emp.getByRole('button', { name: 'Invia il questionario' }).click();
  await emp.getByText('scegliere un voto da 1 a 5').first().waitFor();
  assert.equal(await emp.getByText('scegliere un voto da 1 a 5').count(), 3, 'the three unanswered questions');
  for (const question of ['Contenuti', 'Organizzazione', 'Utilità per il lavoro']) await emp.getByLabel(question).selectOption('4');
  assert.deepEqual(await accessibilityViolations(emp), []);
  await screenshot(emp, 'i-miei-corsi');
  await emp.getByRole('button', { name: 'Invia il questionario' }).click();
  await emp.getByRole('button', { name: 'Invia il questionario' }).waitFor({ state: 'detached' });
  await emp.getByText('Grazie: il questionario è stato inviato, in forma anonima.').waitFor();

  // A live webinar is "Online"; Anna cancels it from her courses, after confirming.
  const webinar = await call('POST', '/courses', { title: 'Webinar sulla privacy', description: 'd', objectives: 'o', theme_code: 'privacy', provider_id: provider.id,
    hours: 2, modality: 'live_webinar', target_office_areas: ['tributi'], min_attendance_percent: 80, status: 'published' }, admin);
  const live = new Date(now + 20 * day);
  const online = await call('POST', `/courses/${webinar.id}/editions`, { title: 'Edizione online', delivery: 'live_webinar', capacity: 50, status: 'open', self_enrolment: true,
    access_url: 'https://webinar.example/privacy', enrolment_opens_at: new Date(now - day).toISOString(), enrolment_closes_at: new Date(now + 15 * day).toISOString(),
    sessions: [{ starts_at: live.toISOString(), ends_at: new Date(live.getTime() + 2 * 3600 * 1000).toISOString() }] }, admin);
  const { access_token: anna } = await call('POST', '/auth/login', employee);
  await call('POST', '/enrolments', { edition_id: online.id }, anna);
  await emp.reload();
  await emp.getByText(sessionText(live, 2)).waitFor();
  await emp.getByText('Online', { exact: true }).waitFor();
  await emp.getByRole('button', { name: /^Annulla iscrizione.*Webinar sulla privacy/ }).click();
  await emp.getByRole('dialog').getByRole('button', { name: 'Annulla iscrizione' }).click();
  await emp.getByText('Iscrizione a «Webinar sulla privacy» annullata.').waitFor();
  await emp.getByText('Annullata', { exact: true }).waitFor();
  await emp.getByText('Iscrizione annullata.').waitFor();
  assert.deepEqual(await accessibilityViolations(emp), []);
  await screenshot(emp, 'i-miei-corsi-annullata');

  // Anyone verifies the certificate.
  const visitor = await newPage(browser);
  await visitor.goto(`${backend.url}/verifica`);
  await visitor.getByLabel("Numero dell'attestato").fill(file.replace('attestato-', '').replace('.pdf', ''));
  await visitor.getByRole('button', { name: 'Verifica' }).click();
  await visitor.getByText(/valido\./).waitFor();
  await visitor.getByText(/A\. B\. ha completato «Privacy in comune»/).waitFor();
  assert.deepEqual(await accessibilityViolations(visitor), []);
  for (const p of [ref, emp, adm, visitor]) assert.deepEqual(p.errors, []);
});
