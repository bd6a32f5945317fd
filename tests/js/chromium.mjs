// Debian's chromium for the tests that drive the portal (playwright-core):
// headless, WebGL through SwiftShader, nothing fetched from elsewhere.

import { chromium } from 'playwright-core';

export function launchChromium() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless=new', '--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader',
      '--disable-gpu-sandbox', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--disable-quic', '--no-first-run'],
  });
}

// Waits until the portal's MapLibre map has drawn every tile it asked for.
export async function mapIdle(page) {
  await page.waitForFunction(() => {
    const portal = window.lanternPortal;
    return portal && document.getElementById('map').dataset.state === 'idle' &&
      portal.map.loaded() && portal.map.areTilesLoaded();
  }, null, { timeout: 180000 });
}
