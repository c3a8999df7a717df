import { expect, test } from '@playwright/test';
import { asAdmin, navigate, openSsprSettings, saveScope, signIn } from './helpers';

// Reset switched on here must not leak into later specs (their users would meet the wizard).
test.afterEach(async ({ baseURL }) => {
  await asAdmin(baseURL!, async (put) => put('/settings/sspr', { scope: 'none' }));
});

test('a Global admin turns reset on for a selected group, and it survives a reload', async ({ page }) => {
  await signIn(page, 'global.admin@contoso.example');
  await expect(page.getByRole('heading', { name: 'Welcome, Gloria Admin' })).toBeVisible();
  await openSsprSettings(page);
  await saveScope(page, 'None');

  await page.getByRole('radio', { name: 'Selected', exact: true }).check();
  await expect(page.getByText('You have unsaved changes.')).toBeVisible();
  // Selected needs a group: the shared rule says so before anything is sent.
  await expect(page.getByText('Choose a group for Selected.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save' })).toBeDisabled();

  await page.getByRole('searchbox', { name: 'Search for a group' }).fill('pilot');
  await expect(page.getByRole('radio', { name: 'Sales' })).toHaveCount(0);
  await page.getByRole('radio', { name: 'SSPR pilot' }).check();
  await expect(page.getByText('Selected group: SSPR pilot')).toBeVisible();
  await expect(page.getByText('Choose a group for Selected.')).toHaveCount(0);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await expect(page.getByText('You have unsaved changes.')).toHaveCount(0);

  await page.reload();
  await expect(page.getByRole('radio', { name: 'Selected', exact: true })).toBeChecked();
  await expect(page.getByText('Selected group: SSPR pilot')).toBeVisible();
  await expect(page.getByText(/Last changed .* by global\.admin@contoso\.example/)).toBeVisible();

  // The change is in the audit log, with who did it.
  await navigate(page, 'Audit log');
  const row = page.getByRole('row').filter({ hasText: 'Self-service password reset settings changed' }).first();
  await expect(row).toContainText('global.admin@contoso.example');
  // In plain words: the field, what it was and what it became.
  await expect(row.locator('.plain-changes')).toContainText(/scope: \w+ → selected/);

  // The home page tells the state at a glance.
  await navigate(page, 'Home');
  await expect(page.getByText('On for members of SSPR pilot.')).toBeVisible();
});

test('discarding unsaved changes restores the saved state', async ({ page }) => {
  await signIn(page, 'global.admin@contoso.example');
  await openSsprSettings(page);
  await saveScope(page, 'None');
  await page.getByRole('radio', { name: 'All', exact: true }).check();
  await expect(page.getByText('You have unsaved changes.')).toBeVisible();
  await page.getByRole('button', { name: 'Discard changes' }).click();
  await expect(page.getByRole('radio', { name: 'None', exact: true })).toBeChecked();
  await expect(page.getByText('You have unsaved changes.')).toHaveCount(0);
});

test('a Password admin may change the setting', async ({ page }) => {
  await signIn(page, 'password.admin@contoso.example');
  await openSsprSettings(page);
  await saveScope(page, 'None');
  await page.getByRole('radio', { name: 'All', exact: true }).check();
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await page.reload();
  await expect(page.getByRole('radio', { name: 'All', exact: true })).toBeChecked();
});

test('a Helpdesk admin sees the setting read-only, with the reason', async ({ page }) => {
  await signIn(page, 'helpdesk.admin@contoso.example');
  await openSsprSettings(page);
  await expect(page.getByText('Only Global admins and Password admins can change this setting.')).toBeVisible();
  await expect(page.getByRole('radio', { name: 'All', exact: true })).toBeDisabled();
  await expect(page.getByRole('button', { name: 'Save' })).toHaveCount(0);
});

test('a user without an admin role never reaches the admin centre', async ({ page }) => {
  await signIn(page, 'megan.bowen@contoso.example');
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible();
  await page.goto('/admin/settings/org/security/sspr');
  await expect(page.getByRole('heading', { name: 'My account' })).toBeVisible();
  await expect(page).toHaveURL(/\/account$/);
});
