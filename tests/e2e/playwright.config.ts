import { defineConfig, devices } from '@playwright/test';

// Debian's Chromium (installed by scripts/bootstrap.sh); Playwright's own download is not used.
const chromium = {
  executablePath: '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
  ],
};

export const ROOT_URL = 'http://127.0.0.1:18080';
export const SUBPATH_URL = 'http://127.0.0.1:18081/portal/sspr';
// A server with only a break-glass admin of its own, and an OpenLDAP beside it to connect.
export const DIRECTORY_URL = 'http://127.0.0.1:18082';
// A server connected by flags to a Samba AD domain controller beside it.
export const AD_URL = 'http://127.0.0.1:18083';

export default defineConfig({
  testDir: './specs',
  // The specs share one server and its settings, so they run one at a time.
  workers: 1,
  fullyParallel: false,
  retries: 0,
  timeout: 60_000,
  expect: { timeout: 10_000 },
  reporter: [['list']],
  use: {
    baseURL: ROOT_URL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: chromium,
  },
  projects: [
    { name: 'desktop', use: { ...devices['Desktop Chrome'], viewport: { width: 1280, height: 800 }, launchOptions: chromium } },
    {
      name: 'phone',
      use: {
        viewport: { width: 390, height: 844 },
        deviceScaleFactor: 3,
        isMobile: true,
        hasTouch: true,
        userAgent: devices['Pixel 7'].userAgent,
        launchOptions: chromium,
      },
    },
  ],
  // Started in this order, each once its url answers: the delivery sinks first, so the Rekey
  // servers (pointed at them by e2e-server.sh) find them up.
  webServer: [
    { command: 'node sinks.mjs', url: 'http://127.0.0.1:18090/health', reuseExistingServer: !process.env.CI, timeout: 30_000 },
    { command: './e2e-server.sh 18080', url: `${ROOT_URL}/healthz`, reuseExistingServer: false, timeout: 60_000 },
    // Locks a name after 3 failed sign-ins (not 10), so the lockout's own screens are reached
    // without adding much to the one client address's count of failures.
    { command: 'REKEY_LOCKOUT_THRESHOLD=3 ./e2e-server.sh 18081 /portal/sspr', url: 'http://127.0.0.1:18081/healthz', reuseExistingServer: false, timeout: 60_000 },
    { command: './e2e-directory.sh 18082', url: `${DIRECTORY_URL}/healthz`, reuseExistingServer: false, timeout: 60_000 },
    { command: './e2e-ad.sh 18083', url: `${AD_URL}/healthz`, reuseExistingServer: false, timeout: 90_000 },
  ],
});
