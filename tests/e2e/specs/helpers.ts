import { expect, Page } from '@playwright/test';

export const PASSWORD = 'Rekey-demo-2026';

export async function signIn(page: Page, name: string, start = '/') {
  await page.goto(start);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  await page.getByLabel('Sign-in name').fill(name);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** On a phone the navigation sits behind the Menu button. */
export async function navigate(page: Page, link: string) {
  // Wait for the admin frame; at phone width the navigation is hidden until Menu is pressed.
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  const nav = page.getByRole('navigation', { name: 'Admin centre' });
  const menu = page.getByRole('button', { name: 'Menu' });
  if ((await menu.isVisible()) && (await menu.getAttribute('aria-expanded')) === 'false') {
    await menu.click();
  }
  await nav.getByRole('link', { name: link, exact: true }).click();
}

/** Settings › Org settings › Security & privacy › Self-service password reset. */
export async function openSsprSettings(page: Page) {
  await navigate(page, 'Org settings');
  await expect(page.getByRole('heading', { name: 'Org settings' })).toBeVisible();
  await page.getByRole('tab', { name: 'Security & privacy' }).click();
  await page.getByRole('link', { name: /Self-service password reset/ }).click();
  await expect(page.getByRole('heading', { name: 'Self-service password reset' })).toBeVisible();
}

/** Chooses a scope and saves, unless it is already the saved one. */
export async function saveScope(page: Page, scope: 'None' | 'All') {
  await page.getByRole('radio', { name: scope, exact: true }).check();
  const save = page.getByRole('button', { name: 'Save' });
  if (await save.isEnabled()) {
    await save.click();
    await expect(page.getByText('Saved.')).toBeVisible();
  }
}
