// What people walking the application found (issue #15), on the desktop and on a phone: the
// provider's register refuses hours it cannot read, names people in its errors, keeps its
// outcome by the button and waits for a session still to come; provider staff manage only
// their own provider's editions; an employee sees their own state instead of "Iscrizione",
// and what a concluded course came to, dated by the course; the dashboard counts the answers
// sent; the distance bands are in order; the outbox reads on a phone; addresses say the comune
// once; coordinates take the decimal comma; an empty required field is "campo obbligatorio".
// axe on every screen, no sideways scrolling at 360 px.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ADMIN, accessibilityViolations, newPage, screenshot, startBackend, startBrowser } from './harness.mjs';

let backend;
let browser;
let admin;
/** What every size shares: two providers, a venue, a course of each. */
let shared;

const HOUR = 3600 * 1000;
const DAY = 24 * HOUR;

async function call(method, path, body, token = admin) {
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

/** A codice fiscale with its check character. */
function taxCode(stem) {
  const odd = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
  const index = (c) => (/\d/.test(c) ? Number(c) : c.charCodeAt(0) - 65);
  const sum = [...stem].reduce((s, c, i) => s + (i % 2 === 0 ? odd[index(c)] : index(c)), 0);
  return stem + String.fromCharCode(65 + (sum % 26));
}

/** "15 marzo 2027", at Rome's time, as the screens write a day. */
const longDate = (date) =>
  new Intl.DateTimeFormat('it-IT', { timeZone: 'Europe/Rome', day: 'numeric', month: 'long', year: 'numeric' }).format(date);

const SIZES = [
  { name: 'desktop', viewport: { width: 1280, height: 900 } },
  { name: 'telefono', viewport: { width: 360, height: 800 } },
];

async function pageOfSize(size, who) {
  const page = await newPage(browser);
  await page.setViewportSize(size.viewport);
  await page.goto(`${backend.url}/accesso`);
  await page.getByLabel('Indirizzo e-mail').fill(who.email);
  await page.getByLabel('Password').fill(who.password);
  await page.getByRole('button', { name: 'Accedi' }).click();
  await page.getByRole('button', { name: 'Esci' }).waitFor();
  return page;
}

/** axe clean, no sideways scrolling on a phone, and a screenshot to look at. */
async function check(page, size, name) {
  assert.deepEqual(await accessibilityViolations(page), [], name);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= size.viewport.width, `${name}: no sideways scrolling (${width} px)`);
  await screenshot(page, `${name}-${size.name}`);
}

before(async () => {
  backend = await startBackend();
  browser = await startBrowser();
  ({ access_token: admin } = await call('POST', '/auth/login', ADMIN, null));
  const own = await call('POST', '/providers', { name: 'Ente nostro', tax_code: '00743110157', qualification_status: 'qualified', themes: ['privacy'] });
  const other = await call('POST', '/providers', { name: 'Ente altrui', tax_code: '01234567897', qualification_status: 'qualified', themes: ['privacy'] });
  // The venue's name and address already say the comune: the screens must not say it again.
  const venue = await call('POST', '/venues', { name: 'Sede della Provincia, Imperia', address: 'Viale Matteotti 147, Imperia', comune_istat_code: '008031', capacity: 30 });
  const course = (title, provider) =>
    call('POST', '/courses', { title, description: 'd', objectives: 'o', theme_code: 'privacy', provider_id: provider.id, hours: 4, modality: 'in_person',
      target_office_areas: ['tributi'], min_attendance_percent: 80, status: 'published' });
  const staff = { email: 'segreteria@ente-nostro.test', password: 'password-della-segreteria' };
  await call('POST', '/users', { ...staff, full_name: 'Sonia Segreteria', role: 'provider', provider_id: own.id });
  shared = { venue, staff, ours: await course('Privacy in comune', own), theirs: await course('Privacy altrove', other) };
});

after(async () => {
  await browser?.close();
  backend?.stop();
});

/**
 * One size's world: an edition whose session was two days ago (3 h 52 min) with three
 * people, one still to come, one of the other provider, one the employee completed ten
 * days ago and one they failed.
 */
async function world(size) {
  const d = size.name === 'desktop';
  const now = Date.now();
  const window = { enrolment_opens_at: new Date(now - 40 * DAY).toISOString(), enrolment_closes_at: new Date(now + DAY).toISOString() };
  const edition = async (course, title, starts, minutes) =>
    call('POST', `/courses/${course.id}/editions`, { title, delivery: 'in_person', capacity: 10, status: 'open', self_enrolment: true, ...window,
      sessions: [{ starts_at: new Date(starts).toISOString(), ends_at: new Date(starts + minutes * 60000).toISOString(), venue_id: shared.venue.id }] });
  const person = async (given, family, stem, email) =>
    call('POST', '/employees', { given_name: given, family_name: family, tax_code: taxCode(stem), office_area: 'tributi', job_profile: 'istruttore',
      comune_istat_code: '008031', ...(email ? { email } : {}) });
  const people = d
    ? [['Anna', 'Bianchi', 'BNCNNA80A41E290'], ['Bruno', 'Conti', 'CNTBRN81B12E290'], ['Carla', 'Dotti', 'DTTCRL82C43E290']]
    : [['Elena', 'Fabbri', 'FBBLNE80A41E290'], ['Franco', 'Galli', 'GLLFNC81B12E290'], ['Gina', 'Longo', 'LNGGNI82C43E290']];
  const employee = { email: d ? 'ilaria.moro@comune.test' : 'luisa.neri@comune.test', password: 'password-della-dipendente' };
  const [given, family, stem] = d ? ['Ilaria', 'Moro', 'MROLRI80A41E290'] : ['Luisa', 'Neri', 'NRELSU80A41E290'];
  await call('POST', '/users', { ...employee, full_name: `${given} ${family}`, role: 'employee', comune_istat_code: '008031' });
  await person(given, family, stem, employee.email);
  const { access_token: token } = await call('POST', '/auth/login', employee, null);

  const past = await edition(shared.ours, `Registro ${size.name}`, now - 2 * DAY, 232);
  for (const [g, f, s] of people) await call('POST', '/enrolments', { edition_id: past.id, employee_id: (await person(g, f, s)).id });
  const future = await edition(shared.ours, `Prossima ${size.name}`, now + 10 * DAY, 240);
  await call('POST', '/enrolments', { edition_id: future.id }, token);
  const theirs = await edition(shared.theirs, `Altrui ${size.name}`, now + 12 * DAY, 240);
  // Completed ten days ago: the register is written today, the course ended then.
  const doneStarts = now - 10 * DAY;
  const done = await edition(shared.ours, `Conclusa ${size.name}`, doneStarts, 240);
  const failed = await edition(shared.theirs, `Non superata ${size.name}`, now - 20 * DAY, 240);
  for (const [e, hours] of [[done, 4], [failed, 1]]) {
    const enrolment = await call('POST', '/enrolments', { edition_id: e.id }, token);
    const [session] = (await call('GET', `/editions/${e.id}/sessions`)).items;
    await call('PUT', `/sessions/${session.id}/attendance`, { records: [{ enrolment_id: enrolment.id, present: true, hours }] });
  }
  await call('PATCH', `/editions/${failed.id}`, { status: 'closed' });
  await call('PATCH', `/editions/${failed.id}`, { status: 'completed' });
  const sessionOf = async (e) => (await call('GET', `/editions/${e.id}/sessions`)).items[0];
  return {
    people: people.map(([g, f]) => `${f} ${g}`),
    employee,
    past,
    future,
    theirs,
    doneEnds: new Date(doneStarts + 4 * HOUR),
    pastSession: await sessionOf(past),
    futureSession: await sessionOf(future),
  };
}

const worlds = {};

for (const size of SIZES) {
  test(`the provider's register refuses what it cannot read and names people (${size.name})`, async () => {
    const w = (worlds[size.name] = await world(size));
    const page = await pageOfSize(size, shared.staff);

    // The catalogue offers management of their own provider's editions only.
    await page.goto(`${backend.url}/catalogo`);
    await page.getByRole('link', { name: new RegExp(`^Iscrizioni e presenze.*Privacy in comune, Prossima ${size.name}$`) }).waitFor();
    await page.getByText(`Altrui ${size.name}`).waitFor();
    assert.equal(await page.getByRole('link', { name: new RegExp(`^Iscrizioni e presenze.*Altrui ${size.name}$`) }).count(), 0);
    // The venue says Imperia once.
    await page.getByText('Sede della Provincia, Imperia', { exact: true }).first().waitFor();
    assert.equal(await page.getByText(/Imperia, Imperia/).count(), 0);
    await check(page, size, 'catalogo-ente');

    // From the edition to its register; the way back names the course and the edition.
    await page.goto(`${backend.url}/edizioni/${w.past.id}`);
    await page.getByRole('link', { name: /Sessione del/ }).click();
    await page.getByRole('heading', { level: 1, name: 'Registro della sessione' }).waitFor();
    const trail = page.getByRole('navigation', { name: 'Percorso' });
    for (const name of ['Corsi', 'Privacy in comune', `Registro ${size.name}`]) await trail.getByRole('link', { name, exact: true }).waitFor();
    await trail.getByText(/^Registro del \d+ \w+ \d{4}$/).waitFor();
    await page.getByText('Durata: 3 h 52 min').waitFor();

    // Hours it cannot read, or more than the session, are refused by the field: nothing is sent.
    let sent = 0;
    page.on('request', (r) => r.method() === 'PUT' && r.url().includes('/attendance') && sent++);
    const [first, second, third] = w.people;
    for (const name of w.people) await page.getByLabel(`Presente: ${name}`).check();
    assert.equal(await page.getByLabel(`Ore: ${first}`).inputValue(), '3 h 52 min');
    await page.getByLabel(`Ore: ${first}`).fill('abc');
    await page.getByLabel(`Ore: ${second}`).fill('9');
    await page.getByRole('button', { name: 'Salva il registro' }).click();
    await page.getByText('Correggere le ore di 2 persone: nulla è stato inviato.').waitFor();
    assert.equal(sent, 0, 'nothing sent');
    assert.equal(await page.getByLabel(`Ore: ${first}`).getAttribute('aria-invalid'), 'true');
    await page.getByRole('link', { name: `Ore di ${first}` }).waitFor();
    assert.equal(await page.getByText('al massimo 3 h 52 min, la durata della sessione').count(), 2, 'by the field and in the list');
    // The outcome is by the button and has the focus: on a phone it is in sight.
    await nextToTheButton(page, size);
    await check(page, size, 'registro-ore-errate');

    // The API's problems name the person, never "records/1".
    await page.getByLabel(`Ore: ${first}`).fill('2,5');
    await page.getByLabel(`Ore: ${second}`).fill('3 h');
    await page.route('**/api/v1/sessions/*/attendance', (route) =>
      route.request().method() === 'PUT'
        ? route.fulfill({ status: 422, contentType: 'application/problem+json',
            body: JSON.stringify({ type: 'about:blank', title: 'Unprocessable Entity', status: 422, detail: 'La richiesta contiene campi non validi.',
              errors: [{ pointer: '#/records/1/hours', detail: 'al massimo la durata della sessione' }] }) })
        : route.continue(),
    );
    await page.getByRole('button', { name: 'Salva il registro' }).click();
    await page.getByRole('link', { name: `Ore di ${second}` }).waitFor();
    assert.equal(await page.getByText(/records/).count(), 0);
    await page.unroute('**/api/v1/sessions/*/attendance');
    // A refusal of the session itself (409) shows its reason by the button.
    await page.route('**/api/v1/sessions/*/attendance', (route) =>
      route.request().method() === 'PUT'
        ? route.fulfill({ status: 409, contentType: 'application/problem+json',
            body: JSON.stringify({ type: 'about:blank', title: 'Conflict', status: 409, detail: 'La sessione non si è ancora svolta: il registro si compila dopo.' }) })
        : route.continue(),
    );
    await page.getByRole('button', { name: 'Salva il registro' }).click();
    await page.getByText('La sessione non si è ancora svolta: il registro si compila dopo.').waitFor();
    await nextToTheButton(page, size);
    await page.unroute('**/api/v1/sessions/*/attendance');

    await page.getByRole('button', { name: 'Salva il registro' }).click();
    await page.getByText('Registro salvato: 3 presenti, 0 assenti.').waitFor();
    const register = await call('GET', `/sessions/${w.pastSession.id}/attendance`);
    const hours = Object.fromEntries(register.entries.map((e) => [e.employee_name, e.hours]));
    assert.deepEqual([hours[first], hours[second], hours[third]], [2.5, 3, 232 / 60]);
    await page.reload();
    assert.equal(await page.getByLabel(`Ore: ${first}`).inputValue(), '2 h 30 min');

    // A session still to come is shown, not filled.
    await page.goto(`${backend.url}/sessioni/${w.futureSession.id}`);
    await page.getByText('La sessione non si è ancora svolta').waitFor();
    assert.equal(await page.getByRole('button', { name: 'Salva il registro' }).isDisabled(), true);
    assert.equal(await page.getByRole('checkbox').first().isDisabled(), true);
    await check(page, size, 'registro-sessione-futura');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });

  test(`an employee sees their own state and what a course came to (${size.name})`, async () => {
    const w = worlds[size.name];
    const page = await pageOfSize(size, w.employee);

    // Enrolled: the state, not "Iscrizione"; elsewhere the enrolment is offered.
    await page.goto(`${backend.url}/catalogo`);
    const card = (title) => page.locator('.card-bg', { has: page.getByText(title) });
    await card(`Prossima ${size.name}`).getByText('Iscrizione confermata').waitFor();
    assert.equal(await card(`Prossima ${size.name}`).getByRole('link', { name: /^Iscrizione/ }).count(), 0);
    await card(`Altrui ${size.name}`).getByRole('link', { name: /^Iscrizione/ }).waitFor();
    await check(page, size, 'catalogo-dipendente');
    await page.goto(`${backend.url}/catalogo/corsi/${shared.ours.id}`);
    await card(`Prossima ${size.name}`).getByText('Iscrizione confermata').waitFor();
    assert.equal(await card(`Prossima ${size.name}`).getByRole('link', { name: /^Iscrizione/ }).count(), 0);
    await card(`Prossima ${size.name}`).getByText('Sede della Provincia, Viale Matteotti 147, Imperia', { exact: true }).waitFor();

    // I miei corsi: the failed course says so, with no cancel; the completed one is dated by the course.
    await page.goto(`${backend.url}/i-miei-corsi`);
    const failed = card(`Non superata ${size.name}`);
    await failed.getByText('Non completato', { exact: true }).waitFor();
    await failed.getByText(/Non completato: presenze insufficienti \(1 h di frequenza/).waitFor();
    assert.equal(await failed.getByRole('button', { name: /Annulla iscrizione/ }).count(), 0);
    assert.equal(await failed.getByText('Confermata', { exact: true }).count(), 0);
    await card(`Conclusa ${size.name}`).getByText(`Completato il ${longDate(w.doneEnds)}, con 4 h di frequenza.`).waitFor();
    await card(`Prossima ${size.name}`).getByRole('button', { name: /Annulla iscrizione/ }).waitFor();
    await card(`Prossima ${size.name}`).getByText('Sede della Provincia, Viale Matteotti 147, Imperia', { exact: true }).first().waitFor();
    await check(page, size, 'i-miei-corsi-esiti');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  });
}

/** The outcome of the last save is just above the Save button and has the focus (in sight on a phone). */
async function nextToTheButton(page, size) {
  const outcome = page.locator('.cabina-outcome');
  await page.waitForFunction(() => document.activeElement?.classList.contains('cabina-outcome'), null, { timeout: 2000 });
  const button = await page.getByRole('button', { name: 'Salva il registro' }).boundingBox();
  const box = await outcome.boundingBox();
  assert.ok(button.y - (box.y + box.height) < 40 && button.y >= box.y + box.height - 1, 'the outcome sits right above the button');
  assert.ok(box.y >= 0 && box.y < size.viewport.height, `the outcome is in sight (${Math.round(box.y)})`);
}

test('the office reads the demand sent, the bands in order, the outbox, places and required fields, at both sizes', async () => {
  // Imperia sent its answer (2 people); the farthest comune is still filling in (10).
  const { items: comuni } = await call('GET', '/comuni?limit=200');
  const far = comuni.reduce((a, b) => ((b.distance_km ?? 0) > (a.distance_km ?? 0) ? b : a));
  const campaign = await call('POST', '/campaigns', { year: 2031, title: 'Fabbisogni di prova', opens_on: '2031-01-15', closes_on: '2031-02-28',
    instructions: 'Indicare le persone da formare.', themes: ['privacy'], status: 'open' });
  await call('POST', '/needs', { campaign_id: campaign.id, comune_istat_code: '008031', theme_code: 'privacy', office_area: 'tributi', headcount: 2 });
  await call('PUT', `/campaigns/${campaign.id}/responses/008031`, { status: 'submitted' });
  await call('POST', '/needs', { campaign_id: campaign.id, comune_istat_code: far.istat_code, theme_code: 'privacy', office_area: 'tributi', headcount: 10 });

  for (const size of SIZES) {
    const page = await pageOfSize(size, ADMIN);
    // The dashboard counts what was sent, and says what is still being filled in.
    await page.getByText('persone da formare nelle risposte inviate', { exact: false }).waitFor();
    const dashboard = await page.locator('#cruscotto').locator('..').innerText();
    assert.match(dashboard, /2 persone da formare nelle risposte inviate\s+da 1 comune su 66; altre 10 nelle risposte ancora in compilazione\./);
    await page.getByRole('list', { name: 'Persone da formare per tema' }).getByText('2', { exact: true }).waitFor();
    await check(page, size, 'cruscotto-inviate');

    // The summary by distance reads nearest first, whatever the headcounts.
    await page.goto(`${backend.url}/campagne/${campaign.id}`);
    const bands = page.getByRole('table', { name: 'Per distanza dal capoluogo' }).getByRole('rowheader');
    await bands.first().waitFor();
    const names = await bands.allInnerTexts();
    assert.equal(names[0], '0–10 km');
    assert.equal(names.length, 2);
    await page.getByText(/12 persone da formare in tutte le righe inserite: 2 nelle risposte inviate da 1 comune su 66, 10 nelle risposte ancora in compilazione/).waitFor();

    // The outbox: every message readable without scrolling sideways, on a phone too.
    await page.goto(`${backend.url}/messaggi`);
    await page.getByRole('heading', { level: 1, name: 'Posta in uscita' }).waitFor();
    await page.getByRole('table', { name: 'Messaggi' }).getByRole('rowheader').first().waitFor();
    const overflow = await page.locator('.table-responsive').evaluate((box) => box.scrollWidth - box.clientWidth);
    assert.ok(overflow <= 1, `the messages fit the screen (${overflow} px over)`);
    await check(page, size, 'posta-in-uscita');

    // Coordinates with the decimal comma.
    await page.goto(`${backend.url}/comuni/008031`);
    await page.getByText(/latitudine 43,\d+, longitudine 7,\d+|latitudine 43,\d+, longitudine 8,\d+/).waitFor();

    // An empty required field is "campo obbligatorio", not a length rule.
    await page.goto(`${backend.url}/gestione/sedi`);
    await page.getByRole('button', { name: 'Registra la sede' }).click();
    await page.getByRole('link', { name: 'Nome' }).waitFor();
    assert.ok((await page.getByText('campo obbligatorio').count()) >= 2, 'by the field and in the list');
    assert.equal(await page.getByText(/da 1 a \d+ caratteri/).count(), 0);
    await check(page, size, 'sede-campi-obbligatori');
    assert.deepEqual(page.errors, []);
    await page.context().close();
  }
});
