import http from 'node:http';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { expect, FrameLocator, Page, test } from '@playwright/test';
import { expectNoViolations } from './axe';
import { apiAs, asAdmin, DEFAULT_METHODS, latestEmailCode, navigate, prefillContact, signIn, signOut, TestUsers } from './helpers';

// The sample portal page (docs/embedding-sample.html) is served from another origin than
// Rekey's (http://127.0.0.1:18080): "localhost" and "127.0.0.1" are different origins.
const HOST_PORT = 18091;
const HOST_ORIGIN = `http://localhost:${HOST_PORT}`;
const SAMPLE = path.join(__dirname, '../../../docs/embedding-sample.html');
const MOUNT_SAMPLE = path.join(__dirname, '../../../docs/embedding-mount-sample.html');
const DIST = path.join(__dirname, '../../../dist');
const DEFAULT_BRANDING = { organisation_name: '', logo_url: '', accent_colour: '#0f5ea8' };

let host: http.Server;

/** The bundle page the same-page sample copies Rekey's assets from (docs/embedding.md). */
let mountedFrom = 'index.html';

/**
 * The same-page sample (docs/embedding-mount-sample.html) as a portal deploys it: with Rekey's
 * stylesheet and loader copied from the built bundle page, pointed at Rekey's server.
 */
async function mountPage() {
  const built = await readFile(path.join(DIST, mountedFrom), 'utf8');
  const rekey = 'http://127.0.0.1:18080/';
  const assets = [built.match(/<link rel="stylesheet"[^>]*>/)![0], built.match(/<script type="module">[\s\S]*?<\/script>/)![0]]
    .join('\n')
    .replaceAll('/__rekey_base__/', rekey)
    // Subresource integrity is for the server's own page; the copy loads the same files.
    .replace(/ integrity="[^"]*"/g, ' crossorigin="anonymous"');
  return (await readFile(MOUNT_SAMPLE, 'utf8'))
    .replace('<!-- Rekey\'s assets -->', assets)
    .replaceAll('https://sspr.contoso.example/', rekey);
}

test.beforeAll(async () => {
  host = http.createServer(async (req, res) => {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    res.end(req.url!.startsWith('/help/') ? await mountPage() : await readFile(SAMPLE));
  });
  await new Promise<void>((resolve) => host.listen(HOST_PORT, '127.0.0.1', resolve));
});

test.afterAll(async () => {
  await new Promise((resolve) => host.close(resolve));
});

const users = new TestUsers();

test.afterEach(async ({ baseURL }) => {
  await users.deleteAll(baseURL!);
  await asAdmin(baseURL!, async (put) => {
    await put('/settings/embedding', { allowed_origins: [] });
    await put('/settings/branding', DEFAULT_BRANDING);
    await put('/settings/sspr/methods', DEFAULT_METHODS);
    await put('/settings/sspr', { scope: 'none' });
  });
});

async function allow(baseURL: string, origins: string[]) {
  await asAdmin(baseURL, async (put) => put('/settings/embedding', { allowed_origins: origins }));
}

/** The portal page with Rekey framed; its events as the page heard them. */
async function openPortal(page: Page, baseURL: string) {
  await page.goto(`${HOST_ORIGIN}/embedding-sample.html?rekey=${encodeURIComponent(baseURL)}`);
  return page.frameLocator('#rekey-frame');
}

/** Reset on for everyone, the portal allowlisted, and a user with an email on file. */
async function userWhoCanReset(baseURL: string, who: string) {
  const name = `${who}@contoso.example`;
  const email = `${who}@home.example`;
  await users.create(baseURL, name);
  await prefillContact(baseURL, name, { email });
  await asAdmin(baseURL, async (put) => {
    await put('/settings/sspr', { scope: 'all' });
    await put('/settings/sspr/methods', DEFAULT_METHODS);
    await put('/settings/embedding', { allowed_origins: [HOST_ORIGIN] });
  });
  return { name, email };
}

/** The reset flow, by email, wherever Rekey is shown: a frame or the portal's own page. */
async function resetByEmail(rekey: Page | FrameLocator, name: string, email: string) {
  await rekey.getByLabel('Sign-in name').fill(name);
  await rekey.getByRole('button', { name: 'Next' }).click();
  await rekey.getByRole('radio', { name: 'I forgot my password' }).check();
  await rekey.getByRole('button', { name: 'Next' }).click();
  await rekey.getByRole('radio', { name: /^Email/ }).check();
  await rekey.getByLabel('Email address').fill(email);
  const since = Date.now();
  await rekey.getByRole('button', { name: 'Send code' }).click();
  await rekey.getByLabel('8-digit code').fill(await latestEmailCode(email, since));
  await rekey.getByRole('button', { name: 'Verify' }).click();
  await expect(rekey.getByRole('heading', { name: 'Choose a new password' })).toBeVisible();
  await rekey.getByLabel('New password', { exact: true }).fill('Tangerine-Kite-47');
  await rekey.getByLabel('Confirm new password').fill('Tangerine-Kite-47');
  await rekey.getByRole('button', { name: 'Reset password' }).click();
  await expect(rekey.getByRole('heading', { name: 'Your password has been reset' })).toBeVisible();
}

const heard = (page: Page) => page.evaluate(() => (window as any).rekeyEvents as { type: string; height?: number }[]);
const heardTypes = async (page: Page) => (await heard(page)).map((e) => e.type);

test('a portal on an allowlisted origin frames the reset flow, hears its events and the user resets inside it', async ({ page, baseURL }, testInfo) => {
  const { name, email } = await userWhoCanReset(baseURL!, `embed.${testInfo.project.name}`);

  const frame = await openPortal(page, baseURL!);
  await expect(frame.getByRole('heading', { name: 'Who are you?' })).toBeVisible();
  await expect.poll(() => heardTypes(page)).toContain('rekey:ready');
  // The portal sized its frame to Rekey's content.
  await expect.poll(async () => (await heard(page)).some((e) => e.type === 'rekey:resize' && e.height! > 100)).toBe(true);
  const fits = async () => {
    const last = (await heard(page)).filter((e) => e.type === 'rekey:resize').pop()!.height!;
    return (await page.locator('#rekey-frame').boundingBox())!.height === last;
  };
  await expect.poll(fits).toBe(true);
  // Only the reset flow is shown (?areas=reset): no way to sign in from inside the frame.
  await expect(frame.getByRole('link', { name: 'Back to sign in' })).toHaveCount(0);

  await resetByEmail(frame, name, email);
  await expect.poll(() => heardTypes(page)).toContain('rekey:reset-completed');
  await expect(page.getByText('Done. You can sign in to the intranet with your new password.')).toBeVisible();
  // Nothing else was posted (resize as often as the content changed height).
  for (const type of await heardTypes(page)) {
    expect(['rekey:ready', 'rekey:resize', 'rekey:reset-completed']).toContain(type);
  }
});

test('leaving the reset flow inside the frame tells the portal', async ({ page, baseURL }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'once is enough');
  await allow(baseURL!, [HOST_ORIGIN]);
  const frame = await openPortal(page, baseURL!);
  await frame.getByRole('button', { name: 'Cancel' }).click();
  await expect.poll(() => heardTypes(page)).toContain('rekey:cancelled');
  await expect(page.getByText('No change was made.')).toBeVisible();
});

test('a site that is not on the allowlist cannot frame Rekey', async ({ page, baseURL, request }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'once is enough');
  // Nobody at first; then another site, still not this one.
  const page1 = await request.get('/reset');
  expect(page1.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
  await allow(baseURL!, ['https://portal.contoso.example']);
  const page2 = await request.get('/reset');
  expect(page2.headers()['content-security-policy']).toContain("frame-ancestors 'self' https://portal.contoso.example");

  await openPortal(page, baseURL!);
  await expect(page.getByRole('heading', { name: 'Contoso intranet' })).toBeVisible();
  // The browser refuses to show it: no Rekey content and not a word from it.
  await page.waitForTimeout(2_000);
  const framed = page.frames().find((f) => f !== page.mainFrame())!;
  await expect(framed.getByRole('heading', { name: 'Who are you?' })).toHaveCount(0);
  expect(await heardTypes(page)).toEqual([]);
  // Nor may it read the API's answers: no CORS headers for it.
  const cors = await request.get('/api/branding', { headers: { origin: HOST_ORIGIN } });
  expect(cors.headers()['access-control-allow-origin']).toBeUndefined();
  await allow(baseURL!, [HOST_ORIGIN]);
  const allowed = await request.get('/api/branding', { headers: { origin: HOST_ORIGIN } });
  expect(allowed.headers()['access-control-allow-origin']).toBe(HOST_ORIGIN);
  expect(allowed.headers()['access-control-allow-credentials']).toBe('true');
});

test('an admin sets the organisation name and accent colour, checked as typed, and the sign-in page shows them', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'once is enough');
  await signIn(page, 'global.admin@contoso.example');
  await navigate(page, 'Org settings');
  await page.getByRole('tab', { name: 'Security & privacy' }).click();
  await page.getByRole('link', { name: /^Branding/ }).click();
  await expect(page.getByRole('heading', { name: 'Branding' })).toBeVisible();
  await expect(page.getByLabel('Accent colour', { exact: true })).toHaveValue('#0f5ea8');
  await expectNoViolations(page, 'branding settings');

  await page.getByLabel('Organisation name').fill('Fabrikam Research');
  const accent = page.getByLabel('Accent colour', { exact: true });
  // Yellow: white text on it is unreadable.
  await accent.fill('#ffd700');
  await expect(page.getByText(/White text on this colour is hard to read/)).toBeVisible();
  await expect(page.getByText(/too low/)).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save' })).toBeDisabled();
  // An unreadable accent is not previewed.
  await expect(page.locator('.sample-button')).toHaveCount(0);
  await expectNoViolations(page, 'branding settings with errors');
  await accent.fill('#7a1f5c');
  await expect(page.getByText(/readable \(AA\)/)).toBeVisible();
  await expect(page.getByLabel('Pick the accent colour')).toHaveValue('#7a1f5c');
  await expect(page.locator('.sample-button')).toHaveCSS('background-color', 'rgb(122, 31, 92)');
  await page.getByLabel('Logo address').fill('http://cdn.example/logo.png');
  await expect(page.getByText('Enter a web address starting with https://.')).toBeVisible();
  await page.getByLabel('Logo address').fill('');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();

  await signOut(page);
  await page.goto('/signin');
  await expect(page.locator('.signin-header')).toContainText('Fabrikam Research');
  await expect(page.getByRole('button', { name: 'Sign in' })).toHaveCSS('background-color', 'rgb(122, 31, 92)');
});

test('an admin lists the origins that may embed Rekey, checked as typed', async ({ page, baseURL }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'once is enough');
  await signIn(page, 'global.admin@contoso.example');
  await navigate(page, 'Org settings');
  await page.getByRole('tab', { name: 'Security & privacy' }).click();
  await page.getByRole('link', { name: /^Embedding/ }).click();
  await expect(page.getByRole('heading', { name: 'Embedding' })).toBeVisible();
  await expect(page.getByText(/may show Rekey in a frame/)).toBeVisible();
  const origins = page.getByLabel('Allowed origins');
  await expect(page.getByText(/Plain http only for localhost, 127\.0\.0\.1 and \[::1\]/)).toBeVisible();
  // Plain http only for local addresses: the wrong entry is named by the line it is on,
  // blank lines counted.
  await origins.fill('https://portal.contoso.example\n\nhttp://portal.contoso.example');
  await expect(page.getByText(/Line 3: Enter origins like https:\/\/portal.contoso.example/)).toBeVisible();
  await expect(page.getByText(/Line 1:/)).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Save' })).toBeDisabled();
  await expectNoViolations(page, 'embedding settings with an error');
  // What is obviously the same origin is taken as meant: a trailing slash, capitals, the
  // scheme's default port.
  await origins.fill(`https://Portal.Contoso.Example:443/\n\n${HOST_ORIGIN.toUpperCase()}/\n[::1]`);
  await expect(page.getByText(/Line 4:/)).toBeVisible();
  await origins.fill(`https://Portal.Contoso.Example:443/\n\n${HOST_ORIGIN.toUpperCase()}/\nhttp://[::1]:3000`);
  await expect(page.getByText(/Line \d:/)).toHaveCount(0);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await expect(origins).toHaveValue(`https://portal.contoso.example\n${HOST_ORIGIN}\nhttp://[::1]:3000`);
  const api = await apiAs(baseURL!, 'global.admin@contoso.example');
  expect((await api.get('/settings/embedding')).settings.allowed_origins).toEqual([
    'https://portal.contoso.example',
    HOST_ORIGIN,
    'http://[::1]:3000',
  ]);
  await api.dispose();
});

test('a host page configures Rekey at runtime and gives it an element to mount into', async ({ page }, testInfo) => {
  test.skip(testInfo.project.name !== 'desktop', 'once is enough');
  // The page as a portal would write it: a JSON block and a host element with data attributes.
  await page.route('**/*', async (route) => {
    if (route.request().resourceType() !== 'document') return route.continue();
    const response = await route.fetch();
    const html = (await response.text())
      .replace('</head>', '<script type="application/json" id="rekey-config">{"areas": ["reset"], "theme": "dark"}</script></head>')
      .replace('<body class="rekey">', '<body class="rekey"><div id="rekey" data-language="zh-CN"></div>');
    await route.fulfill({ response, body: html });
  });
  await page.goto('/');
  // Only the reset flow: "/" opens it, and sign-in is not there.
  await expect(page).toHaveURL(/\/reset$/);
  await expect(page.locator('#rekey h1')).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', /^zh/);
  await expect(page.locator('html')).toHaveAttribute('data-rekey-theme', 'dark');
  await expect(page.locator('body')).toHaveCSS('background-color', 'rgb(20, 23, 27)');
  await expect(page.locator('#rekey a[href$="/signin"]')).toHaveCount(0);
  await page.goto('/signin');
  await expect(page.locator('#rekey h1')).not.toHaveText(/登录|Sign in/);
});

// Either bundle may be mounted: the user bundle holds every user flow, the reset bundle only
// the reset flow and is lighter.
for (const [bundle, built] of [['user', 'index.html'], ['reset', 'reset.html']]) {
  test(`a portal mounts the reset flow (${bundle} bundle) on its own page from another origin; the user resets there and the portal keeps its looks`, async ({ page, baseURL }, testInfo) => {
    mountedFrom = built;
    const { name, email } = await userWhoCanReset(baseURL!, `mount.${bundle}.${testInfo.project.name}`);

    await page.goto(`${HOST_ORIGIN}/help/password/`);
    const rekey = page.locator('#rekey');
    await expect(rekey.getByRole('heading', { name: 'Who are you?' })).toBeVisible();
    // Rekey's routes live under the portal's path.
    await expect(page).toHaveURL(`${HOST_ORIGIN}/help/password/reset`);
    // Rekey's styles stop at its element: the portal's heading and button keep the browser's.
    const portalHeading = page.getByRole('heading', { name: 'Contoso intranet' });
    await expect(portalHeading).toHaveCSS('font-size', '32px');
    await expect(page.getByRole('button', { name: 'Search the intranet' })).not.toHaveCSS('min-height', '44px');
    await expect(rekey.getByRole('heading', { name: 'Who are you?' })).toHaveCSS('font-size', '25.6px');
    await expectNoViolations(page, `reset flow (${bundle} bundle) mounted on a portal page`);

    await resetByEmail(page, name, email);
    // The user can sign in with the new password.
    const signIn = await page.request.post(`${baseURL}/api/session`, {
      data: { sign_in_name: name, password: 'Tangerine-Kite-47' },
    });
    expect(signIn.status()).toBe(200);

    // The admin centre is another bundle, which the portal's page does not hold: not found there
    // (rather than loading the same page again and again).
    await page.goto(`${HOST_ORIGIN}/help/password/admin`);
    await expect(rekey.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await expect(page).toHaveURL(`${HOST_ORIGIN}/help/password/admin`);
  });
}
