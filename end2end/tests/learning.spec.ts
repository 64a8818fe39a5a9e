import { expect, test } from "@playwright/test";
import { DEMO, login } from "./helpers";

test("李娜 sees why each course is hers, which one is overdue, and starts one", async ({ page }, info) => {
  await login(page, info, DEMO.staff);
  await page.getByTestId("nav-learning").click();
  const cards = page.getByTestId("my-course");
  // Two from the demo; the proposals test may add one for her in parallel.
  await expect(cards.nth(1)).toBeVisible();
  await expect(cards.first().getByTestId("overdue")).toBeVisible();
  await expect(cards.first()).toContainText("your position needs");
  await expect(cards.first()).toContainText("王建国");
  await page.getByTestId("start").first().click();
  await expect(page.getByTestId("lesson-title")).toBeVisible();
});
