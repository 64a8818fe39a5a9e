import { expect, test } from "@playwright/test";
import { DEMO, PASSWORD, goto, login } from "./helpers";

const NAV: Record<keyof typeof DEMO, { shown: string[]; hidden: string[] }> = {
  admin: { shown: ["nav-dashboard", "nav-people", "nav-units", "nav-positions", "nav-roster"], hidden: ["nav-team"] },
  trainer: { shown: ["nav-dashboard", "nav-directory"], hidden: ["nav-people", "nav-team"] },
  manager: { shown: ["nav-dashboard", "nav-team"], hidden: ["nav-people", "nav-roster"] },
  staff: { shown: ["nav-dashboard"], hidden: ["nav-team", "nav-directory", "nav-people", "nav-roster"] },
};

for (const role of Object.keys(DEMO) as (keyof typeof DEMO)[]) {
  test(`${role} signs in and sees their navigation`, async ({ page }, info) => {
    await login(page, info, DEMO[role]);
    const nav = page.getByTestId("main-nav");
    for (const id of NAV[role].shown) await expect(nav.getByTestId(id)).toBeVisible();
    for (const id of NAV[role].hidden) await expect(nav.getByTestId(id)).toHaveCount(0);
  });
}

test("wrong password shows one message for unknown user and wrong password", async ({ page }, info) => {
  await goto(page, info, "/login");
  await page.getByLabel("Employee number").fill("NOBODY");
  await page.getByLabel("Password").fill("whatever-123");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("form-error")).toContainText("Employee number or password is incorrect.");
});

test("a staff member opening an admin page gets the 403 page", async ({ page }, info) => {
  await login(page, info, DEMO.staff);
  const response = await page.goto("/admin/people");
  expect(response?.status()).toBe(403);
  await expect(page.getByTestId("forbidden")).toBeVisible();
});

test("a visitor is sent to sign in first", async ({ page }) => {
  await page.goto("/admin/units");
  await expect(page).toHaveURL(/\/login\?next=/);
});

test("signing out ends the session", async ({ page }, info) => {
  await login(page, info, DEMO.manager);
  await page.getByTestId("logout").click();
  await expect(page).toHaveURL(/\/login/);
  await page.goto("/team");
  await expect(page).toHaveURL(/\/login\?next=/);
});

test("the language switch changes the interface to Chinese and back", async ({ page }, info) => {
  await login(page, info, DEMO.trainer);
  await page.getByTestId("lang-switch").click();
  await expect(page.getByTestId("nav-dashboard")).toHaveText("首页");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh");
  await page.getByTestId("lang-switch").click();
  await expect(page.getByTestId("nav-dashboard")).toHaveText("Dashboard");
});

test("a session left open on a shared PC can be ended from another", async ({ browser, page }, info) => {
  // An account no other test signs in with, one per project (they run in parallel).
  const who = info.project.use.javaScriptEnabled === false ? "QX0005" : "QX0004";
  // At the office PC: not kept, so the cookie dies with the browser.
  await login(page, info, who);
  const office = (await page.context().cookies()).find((c) => c.name === "gapwise_session");
  expect(office?.expires).toBe(-1);

  // At home, kept signed in.
  const home = await browser.newContext({ javaScriptEnabled: info.project.use.javaScriptEnabled });
  const homePage = await home.newPage();
  await goto(homePage, info, "/login");
  await homePage.getByLabel("Employee number").fill(who);
  await homePage.getByLabel("Password").fill(PASSWORD);
  await homePage.getByTestId("remember").check();
  await homePage.getByRole("button", { name: "Sign in" }).click();
  await expect(homePage.getByTestId("dashboard-title")).toBeVisible();
  const kept = (await home.cookies()).find((c) => c.name === "gapwise_session");
  expect(kept?.expires).toBeGreaterThan(Date.now() / 1000 + 6 * 24 * 3600);

  await goto(homePage, info, "/account");
  const sessions = homePage.getByTestId("sessions").getByTestId("session");
  await expect(sessions).toHaveCount(2);
  const other = sessions.filter({ hasNotText: "this browser" });
  await other.getByTestId("end-session").click();
  await expect(homePage.getByText("The session was ended.")).toBeVisible();
  await expect(homePage.getByTestId("sessions").getByTestId("session")).toHaveCount(1);

  // The office PC is signed out.
  await page.goto("/team");
  await expect(page).toHaveURL(/\/login\?next=/);
  await home.close();
});
