import { expect, test } from '@playwright/test';
import { AD_URL } from '../playwright.config';
import { apiAs, DEFAULT_METHODS, directoryAccepts, expectFits, forgotByEmail, PASSWORD, signIn, signOut } from './helpers';

// The server at AD_URL is connected by flags to a Samba AD domain controller (e2e-ad.sh) as a
// delegated service account; it has one account of its own, the break-glass admin. Every
// password set here must land in AD: checked by binding to AD itself, as any application would.
const ADMIN = 'rekey.admin';
const CA_FILE = `${process.env.TMPDIR ?? '/tmp'}/rekey-e2e-ad/samba/ca.pem`;

function adAccepts(person: string, password: string): boolean {
  return directoryAccepts('ldaps://127.0.0.1', CA_FILE, `${person}@contoso.example`, password);
}

test.use({ baseURL: AD_URL });
test.skip(({ isMobile }) => !isMobile, 'journeys of a person on their phone');

test.beforeAll(async () => {
  const api = await apiAs(AD_URL, ADMIN);
  await api.send('PUT', '/settings/sspr', { scope: 'all' }, 200);
  await api.send('PUT', '/settings/sspr/methods', DEFAULT_METHODS, 200);
  await api.dispose();
});

test('a person resets on their phone and Active Directory takes the new password', async ({ page }) => {
  const person = 'megan.bowen';
  // The email AD holds for her counts as registered.
  const email = `${person}@contoso.example`;
  const fresh = 'Harbour-lantern-AD-31';
  await forgotByEmail(page, person, email);
  // AD's domain policy is on the page before anything is typed, and checked as it is typed.
  await expect(page.getByText("Your organisation's directory also refuses your last 24 passwords.")).toBeVisible();
  await page.getByLabel('New password', { exact: true }).fill('plain lowercase words only');
  await page.getByLabel('Confirm new password').fill('plain lowercase words only');
  await page.getByRole('button', { name: 'Reset password' }).click();
  await expect(page.getByText(/at least three of/).first()).toBeVisible();
  await expectFits(page, "the directory's rules");
  await page.getByLabel('New password', { exact: true }).fill(fresh);
  await page.getByLabel('Confirm new password').fill(fresh);
  await page.getByRole('button', { name: 'Reset password' }).click();
  await expect(page.getByRole('heading', { name: 'Your password has been reset' })).toBeVisible();

  expect(adAccepts(person, fresh)).toBe(true);
  expect(adAccepts(person, PASSWORD)).toBe(false);
});

test('after an admin reset with "must change", the person changes it at sign-in and AD takes it', async ({ page }) => {
  const person = 'lee.gu';
  const fresh = 'Copper-kettle-AD-58';
  // Lee signs in once, so Rekey knows her; the admin then resets with "must change".
  await (await apiAs(AD_URL, person)).dispose();
  const admin = await apiAs(AD_URL, ADMIN);
  const found = await admin.get(`/users?q=${person}`);
  const result = await admin.send('POST', `/users/${found.items[0].id}/password`, { require_change: true }, 200);
  await admin.dispose();
  const temporary = result.temporary_password as string;
  // AD itself now refuses a sign-in until the password is changed.
  expect(adAccepts(person, temporary)).toBe(false);

  await signIn(page, person, '/', { password: temporary });
  await expect(page.getByRole('heading', { name: 'Change your password' })).toBeVisible();
  await expect(page.getByText('An administrator set your password.')).toBeVisible();
  await page.getByLabel('Current password').fill(temporary);
  await page.getByLabel('New password', { exact: true }).fill(fresh);
  await page.getByLabel('Confirm new password').fill(fresh);
  await page.getByRole('button', { name: 'Change password' }).click();
  // Changed: sign-in goes on (here to the reminder to check security info).
  await expect(page.getByRole('heading', { name: 'Keep your account secure' })).toBeVisible();
  await signOut(page);

  expect(adAccepts(person, fresh)).toBe(true);
  expect(adAccepts(person, temporary)).toBe(false);
});
