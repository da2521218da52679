// Renders media/icon.png (128×128, the Marketplace icon) from media/citelens.svg with headless Chromium.
// Run by hand (`npm run icon`) after changing the SVG, and commit the PNG: packaging uses the committed
// file, so building and testing never rewrite a tracked file.
import { existsSync, readFileSync } from 'node:fs';
const chromium = '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error('buildIcon: no Chromium at /usr/bin/chromium (apt-get install chromium, or run scripts/setupCodeServer.sh)');
  process.exit(1);
}
const { chromium: pw } = await import('playwright-core');
const svg = readFileSync('media/citelens.svg', 'utf8').replace('stroke="currentColor"', 'stroke="#ffffff"');
const browser = await pw.launch({ executablePath: chromium, args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'] });
const page = await browser.newPage({ viewport: { width: 128, height: 128 } });
await page.setContent(`<html><body style="margin:0;background:transparent"><div style="width:128px;height:128px;border-radius:24px;background:linear-gradient(135deg,#2b4c7e,#1e2a3a);display:flex;align-items:center;justify-content:center">${svg.replace('width="24" height="24"', 'width="92" height="92"')}</div></body></html>`);
await page.screenshot({ path: 'media/icon.png', omitBackground: true, clip: { x: 0, y: 0, width: 128, height: 128 } });
await browser.close();
console.log('buildIcon: wrote media/icon.png');
