import { expect, type Page, type TestInfo } from "@playwright/test";

export const PASSWORD = "gapwise-demo";

export const DEMO = {
  admin: "A0001",
  trainer: "T0001",
  manager: "M0001",
  staff: "S0001",
} as const;

/** With JavaScript on, clicks before hydration are lost: wait for it. */
export async function ready(page: Page, info: TestInfo) {
  if (info.project.use.javaScriptEnabled !== false) {
    await page.locator("body[data-hydrated]").waitFor();
  }
}

export async function goto(page: Page, info: TestInfo, url: string) {
  await page.goto(url);
  await ready(page, info);
}

export async function login(page: Page, info: TestInfo, employeeNo: string, password = PASSWORD) {
  await goto(page, info, "/login");
  await page.getByLabel("Employee number").fill(employeeNo);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page.getByTestId("dashboard-title")).toBeVisible();
  await ready(page, info);
}

export async function logout(page: Page) {
  await page.getByTestId("logout").click();
  await expect(page.getByRole("button", { name: "Sign in" })).toBeVisible();
}
