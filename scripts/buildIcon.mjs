// Renders media/icon.png (128×128, the Marketplace icon) from media/citelens.svg with headless Chromium.
// Run by `npm run package`; where Chromium is missing, the committed PNG is kept.
import { existsSync, readFileSync } from 'node:fs';
const chromium = '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.log('buildIcon: no Chromium here; keeping the committed media/icon.png');
  process.exit(0);
}
const { chromium: pw } = await import('playwright-core');
const svg = readFileSync('media/citelens.svg', 'utf8').replace('stroke="currentColor"', 'stroke="#ffffff"');
const browser = await pw.launch({ executablePath: chromium, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
await page.setContent(`<html><body style="margin:0;background:transparent"><div style="width:128px;height:128px;border-radius:24px;background:linear-gradient(135deg,#2b4c7e,#1e2a3a);display:flex;align-items:center;justify-content:center">${svg.replace('width="24" height="24"', 'width="92" height="92"')}</div></body></html>`);
await page.screenshot({ path: 'media/icon.png', omitBackground: true, clip: { x: 0, y: 0, width: 128, height: 128 } });
await browser.close();
console.log('buildIcon: wrote media/icon.png');
