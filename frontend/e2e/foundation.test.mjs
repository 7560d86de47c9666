// A new user's first minutes, in the browser: the public pages, the admin's login, and
// editing a comune's contacts; every screen checked with axe.
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

test('a visitor finds the comuni of the Province in Italian', async () => {
  const page = await newPage(browser);
  await page.goto(backend.url);
  assert.equal(await page.getAttribute('html', 'lang'), 'it');
  await page.getByRole('heading', { level: 1, name: 'Formazione del personale dei comuni' }).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, 'home');

  await page.getByRole('navigation', { name: 'Navigazione principale' }).getByRole('link', { name: 'Comuni' }).click();
  await page.getByText('66 comuni').waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, 'comuni');

  await page.getByLabel('Cerca per nome').fill('sanremo');
  await page.getByText('1 comune', { exact: true }).waitFor();
  await page.getByRole('link', { name: 'Sanremo' }).click();
  await page.getByRole('heading', { level: 1, name: 'Sanremo' }).waitFor();
  assert.match(await page.locator('main').innerText(), /54\.267/);
  assert.doesNotMatch(await page.locator('main').innerText(), /PEC/, 'contacts are for signed-in users');
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, 'comune-anonimo');
  assert.deepEqual(page.errors, []);
});

test('on a phone the menu opens from its button, reads clearly and leads to every screen', async () => {
  const page = await newPage(browser);
  await page.setViewportSize({ width: 360, height: 800 });
  await page.goto(backend.url);
  const toggle = page.getByRole('button', { name: 'Apri il menu di navigazione' });
  await toggle.waitFor();
  const menu = page.getByRole('navigation', { name: 'Navigazione principale' });
  assert.equal(await menu.getByRole('link', { name: 'Comuni' }).isVisible(), false, 'folded away on a phone');

  await toggle.click();
  const comuni = menu.getByRole('link', { name: 'Comuni' });
  await comuni.waitFor();
  // Readable: the link's colour is not the colour of the panel behind it.
  const [colour, panel] = await comuni.evaluate((link) => {
    let node = link;
    let background = 'rgba(0, 0, 0, 0)';
    while (node && background === 'rgba(0, 0, 0, 0)') {
      background = getComputedStyle(node).backgroundColor;
      node = node.parentElement;
    }
    return [getComputedStyle(link).color, background];
  });
  assert.notEqual(colour, panel, `link ${colour} on ${panel}`);
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, 'menu-telefono');

  await comuni.click();
  await page.getByText('66 comuni').waitFor();
  await comuni.waitFor({ state: 'hidden' }); // the menu closes on a choice
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 360, `no sideways scrolling (${width} px)`);
  assert.deepEqual(page.errors, []);
});

test('the admin logs in and keeps a comune\'s contacts up to date', async () => {
  const page = await newPage(browser);
  await page.goto(`${backend.url}/accesso`);
  assert.deepEqual(await accessibilityViolations(page), []);

  await page.getByLabel('Indirizzo e-mail').fill(ADMIN.email);
  await page.getByLabel('Password').fill('password-sbagliata');
  await page.getByRole('button', { name: 'Accedi' }).click();
  await page.getByRole('alert').getByText('E-mail o password non corrette.').waitFor();
  await screenshot(page, 'accesso-errato');

  await page.getByLabel('Password').fill(ADMIN.password);
  await page.getByRole('button', { name: 'Accedi' }).click();
  await page.getByText('Amministratore (Provincia)').first().waitFor();

  await page.goto(`${backend.url}/comuni/008031`);
  await page.getByRole('heading', { level: 1, name: 'Imperia' }).waitFor();
  await page.getByLabel('PEC del comune').fill('non è una pec');
  await page.getByRole('button', { name: 'Salva i contatti' }).click();
  await page.getByText('indirizzo e-mail non valido').waitFor();
  assert.equal(await page.getByLabel('PEC del comune').getAttribute('aria-invalid'), 'true');
  await screenshot(page, 'contatti-errore');

  await page.getByLabel('PEC del comune').fill('protocollo@pec.comune.imperia.it');
  await page.getByLabel('Telefono').fill('+39 0183 7011');
  await page.getByRole('button', { name: 'Salva i contatti' }).click();
  await page.getByText('Contatti salvati.').waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, 'contatti-salvati');

  // What was saved is what the API now says.
  const response = await fetch(`${backend.url}/api/v1/comuni/008031`, {
    headers: { Authorization: `Bearer ${await page.evaluate(() => sessionStorage.getItem('cabina.token'))}` },
  });
  const comune = await response.json();
  assert.equal(comune.contacts.pec, 'protocollo@pec.comune.imperia.it');
  assert.equal(comune.contacts.phone, '+39 0183 7011');
  assert.deepEqual(page.errors, []);
});

test('the API reference is served locally at /docs', async () => {
  const page = await newPage(browser);
  await page.goto(`${backend.url}/docs/`);
  await page.getByRole('heading', { name: /cabina API/ }).waitFor();
  await page.getByText('/comuni/{istat_code}').first().waitFor();
  await screenshot(page, 'docs');
  assert.deepEqual(page.errors, []);
});

test('a visitor browses the public catalogue and finds the calendar feed', async () => {
  // The admin publishes a course with an edition, through the API.
  const call = async (method, path, body, token) => {
    const response = await fetch(`${backend.url}/api/v1${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
    return response.json();
  };
  const { access_token: token } = await call('POST', '/auth/login', ADMIN);
  const provider = await call('POST', '/providers', { name: 'Formazione Ligure', tax_code: '00743110157', qualification_status: 'qualified', themes: ['privacy'] }, token);
  const venue = await call('POST', '/venues', { name: 'Sala della Provincia', address: 'Viale Matteotti 147', comune_istat_code: '008031', capacity: 40 }, token);
  const course = await call('POST', '/courses', { title: 'Privacy nei comuni', theme_code: 'privacy', provider_id: provider.id, hours: 6, modality: 'in_person', status: 'published' }, token);
  await call('POST', `/courses/${course.id}/editions`, {
    title: 'Edizione di Imperia', delivery: 'in_person', capacity: 30, status: 'open',
    enrolment_opens_at: '2027-02-01T08:00:00Z', enrolment_closes_at: '2027-03-01T08:00:00Z',
    sessions: [{ starts_at: '2027-03-15T08:30:00Z', ends_at: '2027-03-15T12:30:00Z', venue_id: venue.id }],
  }, token);

  const page = await newPage(browser);
  await page.goto(`${backend.url}/catalogo`);
  await page.getByRole('heading', { level: 2, name: 'Privacy nei comuni' }).waitFor();
  assert.match(await page.locator('main').innerText(), /15 marzo 2027/);
  await page.getByLabel('Più vicine a').selectOption({ label: 'Sanremo' });
  await page.getByText(/Sala della Provincia, Imperia \(\d+,\d km\)/).waitFor();
  await page.getByLabel('Tema').selectOption({ label: 'Sicurezza: preposti' });
  await page.getByText('0 edizioni: provate a togliere qualche filtro.').waitFor();
  const feed = await page.getByRole('link', { name: 'abbonatevi al calendario delle edizioni' }).getAttribute('href');
  const calendar = await (await fetch(`${backend.url}${feed}`)).text();
  assert.match(calendar, /BEGIN:VCALENDAR/);
  assert.match(calendar, /SUMMARY:Privacy nei comuni – Edizione di Imperia/);
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, 'catalogo');

  // The course's own public page, with what search engines read embedded in it.
  await page.getByLabel('Tema').selectOption({ label: 'Tutti i temi' });
  await page.getByRole('link', { name: 'Privacy nei comuni', exact: true }).click();
  await page.getByRole('heading', { level: 1, name: 'Privacy nei comuni' }).waitFor();
  const main = await page.locator('main').innerText();
  assert.match(main, /Formazione Ligure/);
  assert.match(main, /Durata\s+6 h\s/);
  assert.match(main, /Sala della Provincia, Viale Matteotti 147, Imperia/);
  const linkedData = JSON.parse(await page.locator('script[type="application/ld+json"]').textContent());
  assert.equal(linkedData['@type'], 'Course');
  assert.equal(linkedData.name, 'Privacy nei comuni');
  assert.equal(linkedData.hasCourseInstance[0]['@type'], 'CourseInstance');
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, 'catalogo-corso');
  assert.deepEqual(page.errors, []);
});

test('a referente imports staff from a spreadsheet, seeing bad rows before anything is written', async () => {
  const call = async (method, path, body, token) => {
    const response = await fetch(`${backend.url}/api/v1${path}`, {
      method,
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify(body),
    });
    assert.ok(response.ok, `${method} ${path}: ${response.status}`);
    return response.json();
  };
  const { access_token: admin } = await call('POST', '/auth/login', ADMIN);
  const referente = { email: 'referente@comune.dolceacqua.test', password: 'password-del-referente' };
  await call('POST', '/users', { ...referente, full_name: 'Maria Referente', role: 'referente', comune_istat_code: '008029' }, admin);

  const page = await newPage(browser);
  await page.goto(`${backend.url}/accesso`);
  await page.getByLabel('Indirizzo e-mail').fill(referente.email);
  await page.getByLabel('Password').fill(referente.password);
  await page.getByRole('button', { name: 'Accedi' }).click();
  await page.getByText('Referente del comune').first().waitFor();
  await page.getByRole('link', { name: 'Dipendenti' }).click();
  await page.getByRole('heading', { level: 1, name: 'Dipendenti' }).waitFor();

  const csv = 'Codice fiscale;Nome;Cognome;Area;Profilo\nRSSMRA85T10A562S;Mario;Rossi;Tributi;Istruttore direttivo\nRSSMRA85T10A562T;Anna;Bianchi;Tributi;Istruttori\n';
  await page.getByLabel('File CSV dei dipendenti').setInputFiles({ name: 'personale.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
  await page.getByRole('cell', { name: 'codice fiscale non valido' }).waitFor();
  await page.getByText('«Istruttore direttivo» → Funzionari ed EQ').waitFor();
  assert.equal(await page.getByRole('button', { name: /Importa/ }).isDisabled(), true, 'nothing to import while rows are wrong');
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, 'import-anteprima');

  const fixed = csv.split('\n').slice(0, 2).join('\n') + '\n';
  await page.getByLabel('File CSV dei dipendenti').setInputFiles({ name: 'personale.csv', mimeType: 'text/csv', buffer: Buffer.from(fixed) });
  await page.getByRole('button', { name: 'Importa 1 riga' }).click();
  await page.getByText('Importazione completata: 1 nuovo, 0 aggiornati.').waitFor();
  await page.getByRole('rowheader', { name: 'Rossi Mario' }).waitFor();
  assert.deepEqual(await accessibilityViolations(page), []);
  await screenshot(page, 'import-completato');
  assert.deepEqual(page.errors, []);
});
