import { expect, test } from "@playwright/test";
import { DEMO, goto, login } from "./helpers";

// What the browser islands add on top of the server-rendered pages. Without
// JavaScript the same pages work through their buttons (the other specs).
test.beforeEach(({}, info) => {
  test.skip(info.project.use.javaScriptEnabled === false, "islands need JavaScript");
});

test("picking a unit in the people filter applies it at once", async ({ page }, info) => {
  await login(page, info, DEMO.admin);
  await goto(page, info, "/admin/people");
  const unit = page.getByLabel("Unit", { exact: true });
  const value = await unit.locator("option").nth(1).getAttribute("value");
  await unit.selectOption(value!);
  await expect(page).toHaveURL(new RegExp(`unit=${value}`));
  await expect(page.getByLabel("Unit", { exact: true })).toHaveValue(value!);
});

test("leaving a questionnaire with unsaved answers asks first", async ({ page }, info) => {
  await login(page, info, DEMO.staff);
  await goto(page, info, "/tasks");
  await page.getByTestId("task-link").first().click();
  await expect(page.getByTestId("questionnaire")).toBeVisible();
  await page.locator("body[data-hydrated]").waitFor();
  const here = page.url();

  await page.getByTestId("questionnaire").getByRole("radio").first().check();
  const asked = page.waitForEvent("dialog").then(async (dialog) => {
    expect(dialog.type()).toBe("beforeunload");
    await dialog.dismiss();
  });
  await page.getByRole("link", { name: "Dashboard" }).first().click({ noWaitAfter: true });
  await asked;
  expect(page.url()).toBe(here);

  // Saving is not "leaving with unsaved answers".
  await page.getByTestId("save-draft").click();
  await expect(page.getByTestId("banner-saved")).toBeVisible();
});
