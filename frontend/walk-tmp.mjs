import { chromium } from 'playwright-core';
const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
const base = 'http://127.0.0.1:8099';
const who = JSON.parse(process.argv[2]);
const page = await (await browser.newContext({ viewport: { width: 360, height: 800 }, locale: 'it-IT' })).newPage();
await page.goto(`${base}/accesso`);
await page.fill('input[type=email]', who.email);
await page.fill('input[type=password]', who.password);
await page.click('button[type=submit]');
await page.waitForTimeout(1200);
for (const path of who.paths) {
  await page.goto(base + path);
  await page.waitForTimeout(1500);
  const w = await page.evaluate(() => document.documentElement.scrollWidth);
  const name = path.replace(/\//g, '_') || 'home';
  await page.screenshot({ path: `/tmp/shot/wide${name}.png`, fullPage: false });
  console.log(path, w);
}
await browser.close();
