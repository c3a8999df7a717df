import { expect, Page, test } from '@playwright/test';
import { PASSWORD, asAdmin, expectFits } from './helpers';

// The language: browser default (accessibility.spec.ts checks zh-CN), `?lang=` override, the
// remembered switch, `<html lang>`; and every main screen at 360×640, in English (no sideways
// scrolling, targets of 44 px) and in the pseudo-locale, whose strings are ~40% longer.

test('?lang= overrides the browser, and the switch is remembered', async ({ page }) => {
  await page.goto('/signin?lang=zh-CN');
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  // An override is for that visit only.
  await page.goto('/signin');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  // The pseudo-locale is not on offer.
  await expect(page.getByRole('option')).toHaveText(['English', '简体中文']);
});

test('Chinese sets the helpdesk line without the spaces English puts between sentences', async ({ page, baseURL }) => {
  const helpdesk = async (contact: string) =>
    asAdmin(baseURL!, async (put) => {
      await put('/settings/sspr/customization', { custom_helpdesk: contact !== '', helpdesk_contact: contact });
    });
  await helpdesk('helpdesk@contoso.example');
  try {
    await page.goto('/reset?lang=zh-CN');
    await expect(page.locator('.helpdesk')).toHaveText('需要帮助？请联系技术支持：helpdesk@contoso.example');
    await page.goto('/reset?lang=en');
    await expect(page.locator('.helpdesk')).toHaveText('Need help? Contact your helpdesk: helpdesk@contoso.example');
  } finally {
    await helpdesk('');
  }
});

/**
 * Visible controls that are cut off: text wider than the box, or a box past the screen edge
 * (unless it sits in a box that scrolls sideways, as wide tables do).
 */
function clippedControls(page: Page) {
  return page.evaluate(() => {
    const inScroller = (el: HTMLElement) => {
      for (let p = el.parentElement; p; p = p.parentElement) {
        if (['auto', 'scroll'].includes(getComputedStyle(p).overflowX)) return true;
      }
      return false;
    };
    return [...document.querySelectorAll<HTMLElement>('button, a.button-link, select, [role="tab"]')]
      .filter((el) => {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.right <= 0) return false;
        return el.scrollWidth > el.clientWidth + 1 || (box.right > window.innerWidth + 0.5 && !inScroller(el));
      })
      .map((el) => el.outerHTML.slice(0, 120));
  });
}

/** Visible controls under 44 px high or wide; links inside running text are exempt. */
function smallTargets(page: Page) {
  return page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>('button, select, summary, a, input:not([type="checkbox"]):not([type="radio"]):not([type="hidden"])')]
      .filter((el) => {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.right <= 0) return false;
        if (el.tagName === 'A' && getComputedStyle(el).display === 'inline') return false;
        return box.height < 44 || box.width < 44;
      })
      .map((el) => `${el.outerHTML.slice(0, 120)} (${Math.round(el.getBoundingClientRect().width)}×${Math.round(el.getBoundingClientRect().height)})`),
  );
}

const PUBLIC = ['/signin', '/reset'];
const SIGNED_IN = [
  '/account',
  '/account/security-info',
  '/account/password',
  '/admin',
  '/admin/users',
  '/admin/users/new',
  '/admin/users/import',
  '/admin/groups',
  '/admin/settings/org',
  '/admin/settings/org/security/password-policy',
  '/admin/settings/org/security/password-expiry',
  '/admin/settings/org/security/sspr',
  '/admin/settings/org/security/sspr/methods',
  '/admin/settings/org/security/sspr/registration',
  '/admin/settings/org/security/sspr/notifications',
  '/admin/settings/org/security/sspr/customization',
  '/admin/audit',
];

/** Opens every main screen (signed out, then as the Global admin) and runs `check` on it. */
async function walk(page: Page, query: string, check: (screen: string) => Promise<void>) {
  const open = async (path: string) => {
    await page.goto(`${path}${query}`);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    await page.waitForLoadState('networkidle');
    await check(path);
  };
  for (const path of PUBLIC) await open(path);
  // Signed in through the API: the page's cookie jar is the browser's.
  const session = await page.request.post('/api/session', {
    data: { sign_in_name: 'global.admin@contoso.example', password: PASSWORD },
  });
  expect(session.status()).toBe(200);
  const found = await (await page.request.get('/api/users?q=adele.vance')).json();
  for (const path of [...SIGNED_IN, `/admin/users/${found.items[0].id}`]) await open(path);
}

test.describe('at 360×640', () => {
  test.use({ viewport: { width: 360, height: 640 } });
  test.beforeEach(({}, testInfo) => test.skip(testInfo.project.name !== 'phone', 'a phone-size walk'));

  test('every main screen fits, with targets of at least 44 px', async ({ page }) => {
    await walk(page, '', async (screen) => {
      await expectFits(page, screen);
      expect.soft(await smallTargets(page), `${screen}: small targets`).toEqual([]);
    });
  });

  test('every main screen holds its layout in the pseudo-locale', async ({ page }) => {
    await walk(page, '?lang=qps', async (screen) => {
      // The strings are stretched and accented: "[Šîĝñ·· îñ·]" (a user's page is headed by a name).
      await expect(page.getByText(/^\[.+\]$/).first(), screen).toBeVisible();
      await expectFits(page, screen);
      expect.soft(await clippedControls(page), `${screen}: clipped controls`).toEqual([]);
    });
  });
});
