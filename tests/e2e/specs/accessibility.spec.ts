import { expect, test } from '@playwright/test';
import { expectNoViolations } from './axe';
import { navigate, openSsprSettings, signIn } from './helpers';

// Each check runs in the light and the dark theme (axe.ts).

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
  // The password is emptied for the next try, without blaming the person for it.
  await expect(page.getByLabel('Password')).toHaveValue('');
  await expect(page.getByText('This field is required.')).toHaveCount(0);
  await expect(page.getByLabel('Sign-in name')).toHaveValue('nobody@contoso.example');
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

test('password settings and the change-password form have no accessibility violations', async ({ page }) => {
  await signIn(page, 'global.admin@contoso.example');
  for (const item of ['Password policy', 'Password expiration']) {
    await navigate(page, 'Org settings');
    await page.getByRole('tab', { name: 'Security & privacy' }).click();
    await page.getByRole('link', { name: new RegExp(item) }).click();
    await expect(page.getByRole('heading', { name: item, level: 1 })).toBeVisible();
    await expect(page.getByText('Loading…')).toHaveCount(0);
    await expectNoViolations(page, item);
  }
  // Unsaved: the sentence on what the policy would do.
  await page.getByRole('radio', { name: 'Passwords expire after a number of days' }).check();
  await expect(page.getByRole('status').filter({ hasText: /users covered/ })).toBeVisible();
  await expectNoViolations(page, 'password expiration with its impact');
  await page.getByRole('link', { name: 'Change password' }).click();
  await expect(page.getByRole('heading', { name: 'Change password' })).toBeVisible();
  await page.getByRole('button', { name: 'Change password' }).click();
  await expect(page.getByText('This field is required.').first()).toBeVisible();
  await expectNoViolations(page, 'change password with field errors');
});

test('user management screens have no accessibility violations', async ({ page }) => {
  await signIn(page, 'global.admin@contoso.example');
  await navigate(page, 'Users');
  await page.getByLabel('Admin role').selectOption({ label: 'User admin' });
  await expect(page.getByText('1 in all')).toBeVisible();
  await expectNoViolations(page, 'users, filtered');
  await page.getByRole('link', { name: 'user.admin@contoso.example' }).click();
  await expect(page.getByRole('heading', { name: 'Uma User-Admin', level: 1 })).toBeVisible();
  await expectNoViolations(page, 'a user');
  await page.getByRole('button', { name: 'Reset password' }).click();
  const dialog = page.getByRole('dialog', { name: 'Reset password for Uma User-Admin' });
  await dialog.getByRole('radio', { name: 'Type a password' }).check();
  await dialog.getByRole('button', { name: 'Reset password' }).click();
  await expect(dialog.getByText('This field is required.')).toBeVisible();
  await expectNoViolations(page, 'reset password with a field error');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await page.getByRole('link', { name: 'All users' }).click();
  await page.getByRole('link', { name: 'New user' }).click();
  await page.getByRole('button', { name: 'Create user' }).click();
  await expect(page.getByText('This field is required.').first()).toBeVisible();
  await expectNoViolations(page, 'new user with field errors');
  await page.getByRole('link', { name: 'All users' }).click();
  await page.getByRole('link', { name: 'Import users' }).click();
  await page.getByLabel('Users as CSV').fill('sign_in_name,display_name\nnew.person@contoso.example,\n');
  await page.getByRole('button', { name: 'Check' }).click();
  await expect(page.getByRole('region', { name: 'Problems found' })).toBeVisible();
  await expectNoViolations(page, 'import with problems');
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
