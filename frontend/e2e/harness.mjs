// Starts the real backend (with the built SPA) on a free port and a fresh SQLite database,
// and a headless Debian Chromium driven by playwright-core. No browser is downloaded.
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import AxeBuilder from '@axe-core/playwright';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..', '..');
export const ADMIN = { email: 'admin@e2e.test', password: 'password-e2e-admin' };
export const ARTIFACTS = join(root, 'tests', 'artifacts', 'e2e');

function freePort() {
  return new Promise((ok, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => ok(port));
    });
  });
}

/** Runs `cabina serve` until `stop()`; resolves once /api/v1/status answers 200. */
export async function startBackend() {
  const port = await freePort();
  const data = mkdtempSync(join(tmpdir(), 'cabina-e2e-'));
  const binary = process.env.CABINA_BIN ?? join(root, 'target', 'debug', 'cabina');
  const child = spawn(binary, ['serve'], {
    env: {
      ...process.env,
      CABINA_LISTEN: `127.0.0.1:${port}`,
      CABINA_PUBLIC_URL: `http://127.0.0.1:${port}`,
      CABINA_DATABASE_URL: `sqlite://${join(data, 'cabina.db')}?mode=rwc`,
      CABINA_DATA_DIR: data,
      CABINA_FRONTEND_DIR: join(root, 'frontend', 'dist'),
      CABINA_ADMIN_EMAIL: ADMIN.email,
      CABINA_ADMIN_PASSWORD: ADMIN.password,
      CABINA_LOG: 'warn',
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let attempt = 0; attempt < 300; attempt++) {
    if (child.exitCode !== null) throw new Error(`cabina exited with ${child.exitCode}`);
    try {
      if ((await fetch(`${url}/api/v1/status`)).ok) break;
    } catch {
      /* not listening yet */
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, stop: () => child.kill('SIGTERM') };
}

export async function startBrowser() {
  mkdirSync(ARTIFACTS, { recursive: true });
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking',
      '--disable-component-update', '--disable-sync'],
  });
}

/** A page that fails the test on any uncaught script error. */
export async function newPage(browser) {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'it-IT' });
  const page = await context.newPage();
  page.errors = [];
  page.on('pageerror', (e) => page.errors.push(e.message));
  return page;
}

/** Serious or critical accessibility violations (axe-core, WCAG 2.1 A/AA). */
export async function accessibilityViolations(page) {
  const result = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`);
}

export async function screenshot(page, name) {
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}
