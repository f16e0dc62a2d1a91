/**
 * Debian's Chromium as every test, story run, benchmark and screenshot launches it
 * (TOOLCHAIN.md): its path (`CHROMIUM_PATH` points elsewhere) and the flags that keep it quiet
 * and offline. Playwright adds `--headless` itself; runners that pass the flags on as they
 * are add `--headless=new`.
 */
export const chromiumLaunchOptions = {
  executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-quic',
    '--no-first-run',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
  ],
};
