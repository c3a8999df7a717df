import { expect, Page, test } from '@playwright/test';
import { emailsTo, openSsprSettings, signIn, smsTo } from './helpers';

async function openSection(page: Page, name: string) {
  await page.getByRole('navigation', { name: 'Self-service password reset settings' }).getByRole('link', { name }).click();
  await expect(page.getByRole('heading', { name, level: 2 })).toBeVisible();
  // The saved values have arrived once the loading note is gone.
  await expect(page.getByText('Loading…')).toHaveCount(0);
}

async function setMethods(page: Page, on: Record<string, boolean>) {
  for (const [label, checked] of Object.entries(on)) {
    await page.getByRole('checkbox', { name: label }).setChecked(checked);
  }
}

const METHODS = {
  email: 'Email (code sent to an alternate address)',
  phone: 'Mobile phone (code by text message)',
  app: 'Authenticator app (code)',
  questions: 'Security questions',
};

test('an admin chooses authentication methods, guided by the rules as they type', async ({ page }) => {
  await signIn(page, 'global.admin@contoso.example');
  await openSsprSettings(page);
  await openSection(page, 'Authentication methods');
  await expect(page.getByRole('checkbox', { name: METHODS.email })).toBeEnabled();
  // Passkeys say where they belong (the public URL's domain); turned off, nothing is said.
  const passkeyDomain = page.getByText('Passkeys made here belong to localhost');
  await expect(passkeyDomain).toBeVisible();
  await page.getByRole('checkbox', { name: /^Passkey/ }).uncheck();
  await expect(passkeyDomain).toHaveCount(0);
  await page.getByRole('checkbox', { name: /^Passkey/ }).check();

  // The authenticator app alone is refused before anything is sent.
  await page.getByRole('radio', { name: '1' }).check();
  await setMethods(page, { [METHODS.email]: false, [METHODS.phone]: false, [METHODS.app]: true, [METHODS.questions]: false });
  const refusal = page.getByText('Allow enough methods besides the authenticator app');
  await expect(refusal).toBeVisible();
  await expect(page.getByRole('button', { name: 'Save' })).toBeDisabled();

  // Security questions make it valid; their settings appear under a heading of their own, and
  // their counts must be in order.
  await setMethods(page, { [METHODS.questions]: true });
  await expect(refusal).toHaveCount(0);
  const questions = page.getByRole('region', { name: 'Security questions' });
  await expect(questions.getByRole('heading', { name: 'Security questions', level: 3 })).toBeVisible();
  await expect(questions.getByLabel('Number of questions required to register')).toBeVisible();
  await page.getByLabel('Number of questions required to register').fill('3');
  await page.getByLabel('Number of questions required to reset').fill('4');
  await expect(page.getByText('Ask no more questions at reset than users register.')).toBeVisible();
  await page.getByLabel('Number of questions required to register').fill('5');
  await expect(page.getByText('Ask no more questions at reset than users register.')).toHaveCount(0);

  // An own question: checked as it is typed.
  await page.getByRole('button', { name: 'Add a question' }).click();
  await expect(page.getByText('This is too short.')).toBeVisible();
  await page.getByLabel('Custom question 1').fill('Name of your first manager?');
  await expect(page.getByText('This is too short.')).toHaveCount(0);
  await page.getByText(/Built-in questions \(24\)/).click();
  await expect(page.getByText('What was the name of your first pet?')).toBeVisible();

  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await page.reload();
  await expect(page.getByRole('checkbox', { name: METHODS.app })).toBeChecked();
  await expect(page.getByLabel('Custom question 1')).toHaveValue('Name of your first manager?');
  await page.getByRole('button', { name: 'Remove question 1' }).click();
  await expect(page.getByRole('checkbox', { name: METHODS.email })).not.toBeChecked();
  await expect(page.getByLabel('Number of questions required to register')).toHaveValue('5');

  // Back to the defaults, so the other tests start from them.
  await setMethods(page, { [METHODS.email]: true, [METHODS.phone]: true, [METHODS.app]: false, [METHODS.questions]: false });
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
});

test('registration, notifications and the helpdesk link are saved', async ({ page }) => {
  await signIn(page, 'password.admin@contoso.example');
  await openSsprSettings(page);

  await openSection(page, 'Registration');
  const days = page.getByLabel('Days before users are asked to reconfirm their authentication information');
  const target = (await days.inputValue()) === '90' ? '120' : '90';
  await days.fill('731');
  await expect(page.getByText('This number is outside the allowed range.')).toBeVisible();
  await days.fill(target);
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByText('Saved.')).toBeVisible();
  await page.reload();
  await expect(page.getByLabel('Days before users are asked to reconfirm their authentication information')).toHaveValue(target);

  await openSection(page, 'Customization');
  await page.getByRole('checkbox', { name: 'Customize helpdesk link' }).check();
  const contact = page.getByLabel('Custom helpdesk email or URL');
  await contact.fill('call the desk');
  await expect(page.getByText('Enter an email address or a web address starting with https://.')).toBeVisible();
  await contact.fill('https://help.contoso.example/password');
  const save = page.getByRole('button', { name: 'Save' });
  if (await save.isEnabled()) {
    await save.click();
    await expect(page.getByText('Saved.')).toBeVisible();
  }
  await page.reload();
  await expect(page.getByLabel('Custom helpdesk email or URL')).toHaveValue('https://help.contoso.example/password');

  await openSection(page, 'Notifications');
  await expect(page.getByRole('checkbox', { name: 'Notify users on password resets' })).toBeVisible();
  // The browser-test server delivers to the local sinks: the test messages really arrive.
  await expect(page.getByText('Messages come from Contoso IT <it@contoso.example>.')).toBeVisible();
  await page.getByLabel('Send to').fill('not an address');
  await page.getByRole('button', { name: 'Send test email' }).click();
  await expect(page.getByText('Enter an email address.')).toBeVisible();
  const since = Date.now();
  await page.getByLabel('Send to').fill('helpdesk@contoso.example');
  await page.getByRole('button', { name: 'Send test email' }).click();
  await expect(page.getByText('Queued. It should arrive within a minute.')).toBeVisible();
  await expect.poll(async () => (await emailsTo('helpdesk@contoso.example')).filter((m) => m.receivedAt >= since).length).toBe(1);
  await page.getByLabel('Mobile number for the test').fill('+1 425 555 0142');
  await page.getByRole('button', { name: 'Send test text message' }).click();
  await expect.poll(async () => (await smsTo('+14255550142')).length).toBeGreaterThan(0);
});

test('a Helpdesk admin sees every section read-only', async ({ page }) => {
  await signIn(page, 'helpdesk.admin@contoso.example');
  await openSsprSettings(page);
  for (const section of ['Authentication methods', 'Registration', 'Notifications', 'Customization']) {
    await openSection(page, section);
    await expect(page.getByText('Only Global admins and Password admins can change this setting.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Save' })).toHaveCount(0);
    await expect(page.getByRole('checkbox').first()).toBeDisabled();
  }
});
