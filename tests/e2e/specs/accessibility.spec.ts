import AxeBuilder from '@axe-core/playwright';
import { expect, Page, test } from '@playwright/test';
import { navigate, openSsprSettings, signIn } from './helpers';

/** WCAG 2.2 AA as axe-core checks it; every screen and state must come out clean. */
async function expectNoViolations(page: Page, screen: string) {
  const results = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'])
    .analyze();
  const summary = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(summary, screen).toEqual([]);
}

test('sign-in, with and without errors, has no accessibility violations', async ({ page }) => {
  await page.goto('/signin');
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await expectNoViolations(page, 'sign-in');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('This field is required.').first()).toBeVisible();
  await expectNoViolations(page, 'sign-in with field errors');
  await page.getByLabel('Sign-in name').fill('nobody@contoso.example');
  await page.getByLabel('Password').fill('wrong');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByRole('alert')).toContainText('incorrect');
  await expectNoViolations(page, 'sign-in refused');
});

test('admin screens have no accessibility violations', async ({ page }) => {
  await signIn(page, 'global.admin@contoso.example');
  for (const [link, heading] of [
    ['Home', /Welcome/],
    ['Users', 'Users'],
    ['Groups', 'Groups'],
    ['Org settings', 'Org settings'],
    ['Audit log', 'Audit log'],
  ] as const) {
    await navigate(page, link);
    await expect(page.getByRole('heading', { name: heading, level: 1 })).toBeVisible();
    await page.waitForLoadState('networkidle');
    await expectNoViolations(page, link);
  }
  await openSsprSettings(page);
  await page.getByRole('radio', { name: 'Selected', exact: true }).check();
  await expect(page.getByRole('radio', { name: 'SSPR pilot' })).toBeVisible();
  await expectNoViolations(page, 'SSPR settings with the group picker');
  const sections = page.getByRole('navigation', { name: 'Self-service password reset settings' });
  for (const section of ['Authentication methods', 'Registration', 'Notifications', 'Customization']) {
    await sections.getByRole('link', { name: section }).click();
    await expect(page.getByRole('heading', { name: section, level: 2 })).toBeVisible();
    await expect(page.getByText('Loading…')).toHaveCount(0);
    await expectNoViolations(page, section);
  }
  // With a rule broken and its message shown.
  await sections.getByRole('link', { name: 'Authentication methods' }).click();
  await page.getByRole('checkbox', { name: 'Email (code sent to an alternate address)' }).setChecked(false);
  await page.getByRole('checkbox', { name: 'Mobile phone (code by text message)' }).setChecked(false);
  await expect(page.getByText('Allow enough methods besides the authenticator app')).toBeVisible();
  await expectNoViolations(page, 'authentication methods refused');
});

test('the read-only SSPR panel has no accessibility violations', async ({ page }) => {
  await signIn(page, 'helpdesk.admin@contoso.example');
  await openSsprSettings(page);
  await expect(page.getByText('Only Global admins and Password admins can change this setting.')).toBeVisible();
  await expectNoViolations(page, 'read-only SSPR settings');
});

test.describe('in a browser set to Chinese', () => {
  test.use({ locale: 'zh-CN' });

  test('the language follows the browser', async ({ page }) => {
    await page.goto('/signin');
    await expect(page.getByRole('heading', { name: '登录' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
    await expectNoViolations(page, 'sign-in in Chinese');
  });
});
