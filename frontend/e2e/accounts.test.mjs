// Accounts for everyone, in the browser, on the desktop and on a phone: the admin invites an
// employee from the Employees screen, the employee opens the link from the message (read
// here from the outbox, as the admin can), chooses a password and signs in; a used link is
// refused in Italian; the whole comune is invited and the report names who already signs in
// and who has no e-mail; "password dimenticata" answers the same for any address and its
// link sets a password that works; a short or mismatched password is refused before
// anything is sent. axe on every screen.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { ADMIN, accessibilityViolations, newPage, screenshot, startBackend, startBrowser } from './harness.mjs';

let backend;
let browser;
let admin;

before(async () => {
  backend = await startBackend();
  browser = await startBrowser();
  ({ access_token: admin } = await call('POST', '/auth/login', ADMIN));
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
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${await response.clone().text()}`);
  return response.status === 204 || response.status === 202 ? undefined : response.json();
}

/** A codice fiscale with its check character. */
function taxCode(stem) {
  const odd = [1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23];
  const index = (c) => (/\d/.test(c) ? Number(c) : c.charCodeAt(0) - 65);
  const sum = [...stem].reduce((s, c, i) => s + (i % 2 === 0 ? odd[index(c)] : index(c)), 0);
  return stem + String.fromCharCode(65 + (sum % 26));
}

/** The newest password link the outbox holds for `recipient` (what the admin reads in "Posta in uscita"). */
async function linkFor(recipient) {
  const { items } = await call('GET', '/outbox?limit=200', undefined, admin);
  const message = items.find((m) => m.recipient === recipient);
  assert.ok(message, `a message to ${recipient}`);
  const link = message.body.match(/https?:\/\/\S+\/imposta-password#[A-Za-z0-9_-]{43}/)?.[0];
  assert.ok(link, `a link in: ${message.body}`);
  return link;
}

const SIZES = [
  { name: 'desktop', viewport: { width: 1280, height: 900 } },
  { name: 'telefono', viewport: { width: 360, height: 800 } },
];

async function pageOfSize(size) {
  const page = await newPage(browser);
  await page.setViewportSize(size.viewport);
  return page;
}

async function signIn(page, { email, password }) {
  await page.goto(`${backend.url}/accesso`);
  await page.getByLabel('Indirizzo e-mail').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Accedi' }).click();
  await page.getByRole('button', { name: 'Esci' }).waitFor();
}

/** axe clean, no sideways scrolling on a phone, and a screenshot to look at. */
async function check(page, size, name) {
  assert.deepEqual(await accessibilityViolations(page), [], name);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= size.viewport.width, `${name}: no sideways scrolling (${width} px)`);
  await screenshot(page, `${name}-${size.name}`);
}

/** What the header says about who is signed in. */
async function header(page) {
  return page.locator('.it-header-slim-wrapper').innerText();
}

/** Each size its comune and its people (codici fiscali: stems without the check character). */
const COMUNI = {
  desktop: { code: '008031', name: 'Imperia', people: [['Giulia', 'Verdi', 'VRDGLI80A41E290'], ['Luca', 'Neri', 'NRELCU80A01E290'], ['Anna', 'Gialli', 'GLLNNA80A41E290']] },
  telefono: { code: '008055', name: 'Sanremo', people: [['Chiara', 'Russo', 'RSSCHR82B45I138'], ['Paolo', 'Ferrari', 'FRRPLA79C12I138'], ['Elena', 'Esposito', 'SPSLNE85D50I138']] },
};

for (const size of SIZES) {
  test(`an invited employee chooses a password and signs in (${size.name})`, async () => {
    const comune = COMUNI[size.name];
    // Giulia and Luca have an e-mail, Anna none.
    const [giulia, luca, anna] = comune.people.map(([given, family, stem], i) => ({
      given_name: given,
      family_name: family,
      tax_code: taxCode(stem),
      ...(i < 2 ? { email: `${given}.${family}@comune.test`.toLowerCase() } : {}),
    }));
    for (const person of [giulia, luca, anna]) {
      await call('POST', '/employees', { ...person, office_area: 'tributi', job_profile: 'istruttore', comune_istat_code: comune.code }, admin);
    }
    const giuliaName = `${giulia.given_name} ${giulia.family_name}`;

    // The admin picks the comune and invites Giulia from her row, after a question.
    const office = await pageOfSize(size);
    await signIn(office, ADMIN);
    await office.goto(`${backend.url}/dipendenti`);
    await office.getByLabel('Comune', { exact: true }).selectOption({ label: comune.name });
    await office.getByText('3 dipendenti', { exact: true }).waitFor();
    await office.getByRole('cell', { name: giulia.email }).waitFor();
    await office.getByText('Senza e-mail', { exact: true }).waitFor(); // Anna's row: nothing to invite with
    // Areas and profiles by their names, never the API's codes.
    await office.getByRole('cell', { name: 'Istruttore', exact: true }).first().waitFor();
    assert.doesNotMatch(await office.locator('table').innerText(), /\btributi\b|\bistruttore\b/);
    await check(office, size, 'dipendenti-inviti');
    await office.getByRole('button', { name: `Invita ${giuliaName}` }).click();
    const dialog = office.getByRole('dialog', { name: `Invitare ${giuliaName}?` });
    await dialog.waitFor();
    assert.match(await dialog.innerText(), new RegExp(`${giulia.email}.*14 giorni`, 's'));
    await check(office, size, 'invito-conferma');
    await dialog.getByRole('button', { name: 'Invia l’invito' }).click();
    await office.getByText('1 invito inviato.').waitFor();
    // The list, read again, says she is invited and offers to send the link again.
    await office.getByText('Invitato, non ancora entrato', { exact: true }).waitFor();
    await office.getByRole('button', { name: `Invita di nuovo ${giuliaName}` }).waitFor();

    // Giulia opens the link in her own browser: the secret leaves the address bar at once.
    const link = await linkFor(giulia.email);
    const own = await pageOfSize(size);
    await own.goto(link);
    await own.getByRole('heading', { level: 1, name: 'Imposta la password' }).waitFor();
    assert.equal(new URL(own.url()).hash, '', 'the secret is out of the address bar');
    assert.equal(await own.evaluate(() => location.hash), '');
    await own.getByLabel('Nuova password', { exact: true }).fill('una-password-lunga');
    await own.getByLabel('Ripetete la nuova password').fill('una-password-lunga');
    await check(own, size, 'imposta-password');
    await own.getByRole('button', { name: 'Imposta la password' }).click();
    await own.getByRole('heading', { level: 1, name: 'Accedi' }).waitFor();
    await own.getByRole('status').getByText('Password impostata: ora potete accedere').waitFor();
    await check(own, size, 'accesso-password-impostata');
    await own.getByLabel('Indirizzo e-mail').fill(giulia.email);
    await own.getByLabel('Password').fill('una-password-lunga');
    await own.getByRole('button', { name: 'Accedi' }).click();
    await own.getByRole('button', { name: 'Esci' }).waitFor();
    assert.match(await header(own), new RegExp(`${giuliaName} · Dipendente`));
    await screenshot(own, `dipendente-dentro-${size.name}`);

    // The same link a second time: refused in Italian, with the way to a new one.
    const again = await pageOfSize(size);
    await again.goto(link);
    await again.getByLabel('Nuova password', { exact: true }).fill('un-altra-password-lunga');
    await again.getByLabel('Ripetete la nuova password').fill('un-altra-password-lunga');
    await again.getByRole('button', { name: 'Imposta la password' }).click();
    const refusal = again.getByRole('alert');
    await refusal.getByText('Link non valido o scaduto').waitFor();
    assert.match(await refusal.innerText(), /il collegamento non è valido o è scaduto/);
    await again.getByRole('link', { name: 'Password dimenticata?' }).waitFor();
    assert.equal(await again.getByLabel('Nuova password', { exact: true }).count(), 0, 'no form for a spent link');
    await check(again, size, 'link-usato');

    // The whole comune: Luca is invited, Giulia already signs in, Anna has no e-mail. On the
    // phone the comune's referente does it, for their own comune.
    let inviter = office;
    if (size.name === 'telefono') {
      const referente = { email: `referente.${size.name}@comune.test`, password: 'password-del-referente' };
      await call('POST', '/users', { ...referente, full_name: 'Rita Referente', role: 'referente', comune_istat_code: comune.code }, admin);
      inviter = await pageOfSize(size);
      await signIn(inviter, referente);
      await inviter.goto(`${backend.url}/dipendenti`);
      assert.equal(await inviter.getByLabel('Comune', { exact: true }).count(), 0, 'a referente sees only their comune');
      await inviter.getByText('3 dipendenti', { exact: true }).waitFor();
    }
    await inviter.getByRole('button', { name: /^Invita tutti i dipendenti/ }).click();
    const all = inviter.getByRole('dialog', { name: /^Invitare tutti i dipendenti/ });
    await all.waitFor();
    assert.match(await all.innerText(), new RegExp(`Comune di ${comune.name}`));
    await all.getByRole('button', { name: 'Invia gli inviti' }).click();
    const report = inviter.locator('.alert', { hasText: `Comune di ${comune.name}` });
    await report.getByText("1 invito inviato; 1 dipendente accede già; 1 senza e-mail: aggiungete l'indirizzo e invitate di nuovo.").waitFor();
    const reportText = await report.innerText();
    assert.match(reportText, new RegExp(`Accedono già: ${giuliaName}\\.`));
    assert.match(reportText, new RegExp(`Senza e-mail: ${anna.given_name} ${anna.family_name}\\.`));
    // Giulia's row says she signs in (no button); Luca's offers to send his link again.
    await inviter.getByText('Accede', { exact: true }).waitFor();
    assert.equal(await inviter.getByRole('button', { name: `Invita ${giuliaName}` }).count(), 0);
    await inviter.getByRole('button', { name: `Invita di nuovo ${luca.given_name} ${luca.family_name}` }).waitFor();
    await check(inviter, size, 'inviti-resoconto');
    await linkFor(luca.email);
    for (const p of [office, own, again, inviter]) assert.deepEqual(p.errors, []);
  });
}

for (const size of SIZES) {
  test(`a forgotten password: the same answer for anyone, a link that works (${size.name})`, async () => {
    const person = { email: `marco.blu.${size.name}@comune.test`, password: 'password-dimenticata-ormai' };
    await call('POST', '/users', { ...person, full_name: 'Marco Blu', role: 'employee', comune_istat_code: COMUNI[size.name].code }, admin);

    const page = await pageOfSize(size);
    await page.goto(`${backend.url}/accesso`);
    await page.getByRole('link', { name: 'Password dimenticata?' }).click();
    await page.getByRole('heading', { level: 1, name: 'Password dimenticata' }).waitFor();
    await check(page, size, 'password-dimenticata');
    await page.getByLabel('Indirizzo e-mail').fill(`nessuno.${size.name}@altrove.test`);
    await page.getByRole('button', { name: 'Invia il link' }).click();
    const answer = page.getByRole('status');
    await answer.getByText("Se l'indirizzo corrisponde a un account attivo, riceverete un messaggio con un link valido un'ora").waitFor();
    const unknown = await answer.innerText();
    await check(page, size, 'password-dimenticata-inviata');

    const known = await pageOfSize(size);
    await known.goto(`${backend.url}/password-dimenticata`);
    await known.getByLabel('Indirizzo e-mail').fill(person.email);
    await known.getByRole('button', { name: 'Invia il link' }).click();
    await known.getByRole('status').getByText('Richiesta ricevuta').waitFor();
    assert.equal(await known.getByRole('status').innerText(), unknown, 'nothing tells a known address from an unknown one');

    const own = await pageOfSize(size);
    await own.goto(await linkFor(person.email));
    await own.getByLabel('Nuova password', { exact: true }).fill('password-nuova-e-lunga');
    await own.getByLabel('Ripetete la nuova password').fill('password-nuova-e-lunga');
    await own.getByRole('button', { name: 'Imposta la password' }).click();
    await own.getByText('Password impostata: ora potete accedere').waitFor();
    await own.getByLabel('Indirizzo e-mail').fill(person.email);
    await own.getByLabel('Password').fill('password-nuova-e-lunga');
    await own.getByRole('button', { name: 'Accedi' }).click();
    await own.getByRole('button', { name: 'Esci' }).waitFor();
    assert.match(await header(own), /Marco Blu · Dipendente/);
    const old = await fetch(`${backend.url}/api/v1/auth/login`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(person),
    });
    assert.equal(old.status, 401, 'the old password no longer opens the account');
    for (const p of [page, known, own]) assert.deepEqual(p.errors, []);
  });
}

for (const size of SIZES) {
  test(`a short or mismatched password is refused in Italian before anything is sent (${size.name})`, async () => {
    const page = await pageOfSize(size);
    const sent = [];
    page.on('request', (r) => r.url().includes('/account-passwords') && sent.push(r.url()));

    // Without the secret the page explains, it offers no form.
    await page.goto(`${backend.url}/imposta-password`);
    await page.getByText('Manca il codice del link').waitFor();
    assert.equal(await page.getByLabel('Nuova password', { exact: true }).count(), 0);
    await check(page, size, 'imposta-password-senza-link');

    // A link of the right shape (the API would refuse it, but nothing must reach the API).
    // (By way of another page: going to a fragment alone would stay in the same document.)
    await page.goto(`${backend.url}/accesso`);
    await page.goto(`${backend.url}/imposta-password#${'x'.repeat(43)}`);
    const password = page.getByLabel('Nuova password', { exact: true });
    const confirmation = page.getByLabel('Ripetete la nuova password');
    await password.fill('corta');
    await confirmation.fill('corta');
    await page.getByRole('button', { name: 'Imposta la password' }).click();
    await page.getByRole('alert').getByText('almeno 12 caratteri').waitFor();
    assert.equal(await password.getAttribute('aria-invalid'), 'true');
    assert.match(await password.locator('xpath=..').innerText(), /almeno 12 caratteri/, 'the message is next to the field');
    assert.equal(await confirmation.getAttribute('aria-invalid'), null);

    await password.fill('una-password-lunga');
    await confirmation.fill('una-password-lungA');
    await page.getByRole('button', { name: 'Imposta la password' }).click();
    await page.getByRole('alert').getByText('non coincide con la nuova password').waitFor();
    assert.equal(await confirmation.getAttribute('aria-invalid'), 'true');
    assert.equal(await password.getAttribute('aria-invalid'), null);
    assert.match(await confirmation.locator('xpath=..').innerText(), /non coincide con la nuova password/);
    await check(page, size, 'imposta-password-errori');
    assert.deepEqual(sent, [], 'nothing was sent to the API');
    assert.deepEqual(page.errors, []);
  });
}
