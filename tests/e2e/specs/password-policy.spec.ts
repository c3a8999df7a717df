import { expect, test } from '@playwright/test';
import { asAdmin, navigate, signIn } from './helpers';

test.afterEach(async ({ baseURL }) => {
  await asAdmin(baseURL!, async (put) => {
    await put('/settings/password-policy', { min_length: 8, custom_banned: [] });
  });
});

test('an admin sets the password policy, checked as they type, and it is kept', async ({ page }) => {
  await signIn(page, 'global.admin@contoso.example');
  await navigate(page, 'Org settings');
  await page.getByRole('tab', { name: 'Security & privacy' }).click();
  await page.getByRole('link', { name: /Password policy/ }).click();
  await expect(page.getByRole('heading', { name: 'Password policy', level: 1 })).toBeVisible();
  await expect(page.getByText('Loading…')).toHaveCount(0);

  const banned = page.getByLabel('Banned passwords, one per line');
  await banned.fill('abc');
  await banned.blur();
  await expect(page.getByText('This is too short.')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save' })).toBeDisabled();
  await banned.fill('contoso\nfabrikam');
  await page.getByLabel('Minimum password length').fill('12');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Minimum password length')).toHaveValue('12');
  await expect(page.getByLabel('Banned passwords, one per line')).toHaveValue('contoso\nfabrikam');
});
