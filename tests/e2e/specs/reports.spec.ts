import { readFile } from 'node:fs/promises';
import { expect, test } from '@playwright/test';
import { expectNoViolations } from './axe';
import { apiAs, expectFits, navigate, signIn, signOut } from './helpers';

// Usage & insights: an admin sees who can reset and what self-service reset did, opens the
// users or events behind any number, reads each chart as a table, and downloads the figures.
// Other tests change the figures as they run, so these check that the page says what the API
// says and that each number leads to exactly what it counts; the API tests check the sums.

test('an admin reads who can reset, drills down to the users behind a number, and downloads a table', async ({ page, baseURL }, testInfo) => {
  await signIn(page, 'reports.reader@contoso.example');
  // Home: the two headline figures, and the way to the reports.
  await expect(page.getByText(/% of users can reset their own password/)).toBeVisible();
  await expect(page.getByText(/self-service resets and unlocks in the last 30 days/)).toBeVisible();
  await page.getByRole('link', { name: 'Open Usage & insights' }).click();
  await expect(page.getByRole('heading', { name: 'Usage & insights', level: 1 })).toBeVisible();

  // One group, nested membership counting: Engineering's two people.
  await page.getByLabel('Group').selectOption({ label: 'Engineering' });
  await expect(page.getByText(/of 2 users\)/)).toBeVisible();
  // Figures up to a minute old are served with their time; "Count again" counts now, as the
  // API does with fresh=true, so both see what the Users page will list.
  await expect(page.getByText(/^Counted at /)).toBeVisible();
  const api = await apiAs(baseURL!, 'reports.reader@contoso.example');
  const groups = await api.get('/groups?q=Engineering');
  await page.getByRole('button', { name: 'Count again' }).click();
  const report = await api.get(`/reports/registration?group=${groups.items[0].id}&fresh=true`);
  await api.dispose();
  // The headline's numbers lead to their users: the capable ones, and all of the group's.
  const capable = page.locator('.report .headline').getByRole('link');
  await expect(capable).toHaveText([String(report.in_scope.registered), String(report.users)]);
  await expect(capable.first()).toHaveAttribute('href', /sspr=true.*coverage=registered/);
  await expect(capable.last()).toHaveAttribute('href', new RegExp(`group=${groups.items[0].id}`));
  const coverage = page.getByRole('region', { name: 'Users covered by self-service reset' });
  const notRegistered = coverage.getByRole('row', { name: /^Not registered/ });
  await expect(notRegistered.getByRole('cell')).toHaveText(String(report.in_scope.not_registered));
  await expectNoViolations(page, 'reports, registration by group');
  await expectFits(page, 'reports');

  // The chart says in words what it draws.
  const chart = page.getByRole('figure', { name: 'Users covered by self-service reset' });
  await expect(chart.getByRole('img')).toHaveAttribute('aria-label', /^Users covered by self-service reset: \d+ in all/);

  // Its table downloads as CSV.
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    chart.getByRole('link', { name: 'Download table (CSV)' }).click(),
  ]);
  expect(download.suggestedFilename()).toBe('rekey-coverage.csv');
  const lines = (await readFile((await download.path())!, 'utf8')).trim().split('\r\n');
  expect(lines[0]).toBe('"State","Users"');
  expect(lines).toContain(`"Not registered",${report.in_scope.not_registered}`);

  // A number opens the users it counts, in the Users page, filtered.
  const covered = report.in_scope.registered + report.in_scope.partly + report.in_scope.not_registered;
  const outside = coverage.getByRole('row', { name: /^Not covered/ });
  await outside.getByRole('link').click();
  await expect(page.getByRole('heading', { name: 'Users', level: 1 })).toBeVisible();
  await expect(page.getByText('From a report: Not covered')).toBeVisible();
  const listed = page.getByRole('region', { name: 'Users' }).getByRole('row');
  // The header row, and one row per user the report counted outside the scope.
  await expect(listed).toHaveCount(1 + 2 - covered);
  const [users] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: 'Download these users (CSV)' }).click(),
  ]);
  const csv = (await readFile((await users.path())!, 'utf8')).trim().split('\n');
  expect(csv[0]).toMatch(/^sign_in_name,display_name,enabled,roles,registered,methods/);
  expect(csv).toHaveLength(1 + 2 - covered);
  testInfo.attach('reports', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
});

test('an admin reads the period\'s activity as charts and tables and opens the events behind a figure', async ({ page, baseURL }, testInfo) => {
  // Something to count: a reset begun for a name that matches nobody.
  await page.goto('/reset');
  await page.getByLabel('Sign-in name').fill(`nobody.${testInfo.project.name}@contoso.example`);
  await page.getByRole('button', { name: 'Next' }).click();
  await expect(page.getByRole('radio', { name: 'I forgot my password' })).toBeVisible();
  const api = await apiAs(baseURL!, 'global.admin@contoso.example');
  await signIn(page, 'password.admin@contoso.example');
  await navigate(page, 'Reports');
  await expect(page.getByRole('heading', { name: 'Activity' })).toBeVisible();
  await page.getByLabel('Period', { exact: true }).selectOption({ label: 'Last 7 days' });
  const begun = page.locator('.tile', { hasText: 'Resets begun' });
  await expect(begun.getByRole('link')).toHaveText(/^[1-9][\d,]*$/);

  // Each chart has its table: one row per day, or per week.
  const chart = page.getByRole('figure', { name: 'Self-service resets and unlocks' });
  await chart.getByText('Show as a table').click();
  const rows = chart.getByRole('region').getByRole('row');
  await expect(rows).toHaveCount(1 + 7);
  await expect(rows.first()).toHaveText(/Day.*Passwords reset.*Accounts unlocked.*Not finished/);
  await page.getByLabel('Show by').selectOption({ label: 'Week' });
  await expect(rows.first()).toContainText('Week');
  const weeks = await rows.count();
  expect(weeks === 2 || weeks === 3).toBeTruthy();
  // Begun and blocked are in the table, beside what the bars draw.
  await expect(rows.first()).toHaveText(/Not finished.*Resets begun.*Blocked by the daily limit/);
  // The helpdesk chart draws the two sums; its table has the events each is made of.
  const helpdesk = page.getByRole('figure', { name: 'Self-service next to the helpdesk' });
  await expect(helpdesk.locator('.legend li')).toHaveText(['Self-service', 'Helpdesk']);
  await helpdesk.getByText('Show as a table').click();
  const helpdeskRows = helpdesk.getByRole('region').getByRole('row');
  await expect(helpdeskRows.first()).toHaveText(/Self-service.*Helpdesk.*Passwords reset.*Accounts unlocked.*Helpdesk resets.*Helpdesk unlocks/);
  await expect(helpdeskRows.nth(1).getByRole('link')).toHaveCount(4);
  await expectNoViolations(page, 'reports, activity with a table open');
  await expectFits(page, 'reports activity');

  // Dates are checked as they are typed, by the rule the server applies.
  await page.getByLabel('Period', { exact: true }).selectOption({ label: 'Dates' });
  await page.getByLabel('From', { exact: true }).fill('2026-12-01');
  await page.getByLabel('To', { exact: true }).fill('2026-11-01');
  await expect(page.locator('#report-dates-error')).not.toBeEmpty();
  await expect(page.getByLabel('From', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  await page.getByLabel('Period', { exact: true }).selectOption({ label: 'Last 7 days' });

  // A figure opens exactly the events it counts, in the audit log.
  const figure = Number((await begun.getByRole('link').innerText()).replace(/,/g, ''));
  const period = await api.get('/reports/activity?days=7');
  await begun.getByRole('link').click();
  await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
  await expect(page.getByLabel('Action')).toHaveValue('reset_started');
  const events = await api.get(`/audit?action=reset_started&from=${period.from}&to=${period.to}&per_page=100`);
  expect(events.items.length).toBeGreaterThanOrEqual(Math.min(figure, 100));
  const table = page.getByRole('region', { name: 'Audit log' });
  await expect(table.getByRole('row').nth(1)).toContainText('Reset started');

  // The raw events of the period download as CSV, up to the stated limit.
  await page.goBack();
  await expect(page.getByText(/up to 100,000 rows/)).toBeVisible();
  const [rawEvents] = await Promise.all([
    page.waitForEvent('download'),
    page.getByRole('link', { name: "Download this period's events (CSV)" }).click(),
  ]);
  const raw = (await readFile((await rawEvents.path())!, 'utf8')).trim().split(/\r?\n/);
  expect(raw[0]).toBe('time_utc,actor,action,outcome,target,client_ip,user_agent,old_value,new_value');
  expect(raw.some((line) => line.includes('reset_started'))).toBeTruthy();

  // The blocked figure opens the abandoned resets stopped by the daily limit, and says so.
  await page.locator('.tile', { hasText: 'Blocked by the daily limit' }).getByRole('link').click();
  await expect(page.getByText('From a report: Detail: Blocked by the daily limit')).toBeVisible();
  await expectNoViolations(page, 'audit log from a report');
  await api.dispose();
  testInfo.attach('activity', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });
});

test('reports are not offered to a Helpdesk admin, and read in Chinese', async ({ page }) => {
  await signIn(page, 'helpdesk.admin@contoso.example');
  await expect(page.getByRole('button', { name: 'Sign out' })).toBeVisible();
  await expect(page.getByRole('link', { name: 'Reports' })).toHaveCount(0);
  await expect(page.getByText(/% of users can reset/)).toHaveCount(0);
  await signOut(page);

  await signIn(page, 'global.admin@contoso.example');
  await page.goto('/admin/reports');
  await page.getByRole('combobox', { name: 'Language' }).selectOption('zh-CN');
  await expect(page.getByRole('heading', { name: '使用情况和见解', level: 1 })).toBeVisible();
  await expect(page.getByRole('figure', { name: '自助重置覆盖的用户' })).toBeVisible();
});
