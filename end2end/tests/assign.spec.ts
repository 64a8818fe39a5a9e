import { expect, test } from "@playwright/test";
import { DEMO, login } from "./helpers";

// The JavaScript-on run assigns and withdraws; the run without gives the same
// course back (the withdrawn assignment returns) and withdraws it again.
test("the manager assigns a course by hand, moves its due date and withdraws it", async ({ page }, info) => {
  await login(page, info, DEMO.manager);
  await page.getByTestId("nav-team-progress").click();
  await page.getByTestId("assign-course").click();
  const option = page.locator("#field-course option", { hasText: "ARC-DIG-01" });
  await page.locator("#field-course").selectOption((await option.getAttribute("value"))!);
  await page.getByLabel("Employee number").fill(DEMO.staff);
  const due = new Date(Date.now() + 30 * 86400_000).toISOString().slice(0, 10);
  await page.getByLabel("Due date").fill(due);
  await page.getByLabel("Why (shown to the person)").fill("档案科借调前需掌握扫描规范");
  await page.getByTestId("assign").click();
  await expect(page.getByTestId("assigned-notice")).toContainText("1 people assigned");

  const row = page.locator('[data-testid="progress-row"][data-person="S0001"][data-code="ARC-DIG-01"]');
  await row.getByTestId("stage").click();
  await expect(page.getByTestId("assignment-title")).toContainText("李娜");
  await expect(page.getByTestId("assignment-status")).toHaveText("open");
  const later = new Date(Date.now() + 60 * 86400_000).toISOString().slice(0, 10);
  await page.getByLabel("Due date").fill(later);
  await page.getByLabel("Note (optional)").fill("借调推迟");
  await page.getByTestId("save-due").click();
  await expect(page.getByTestId("banner-saved")).toBeVisible();
  await expect(page.getByTestId("history")).toContainText("借调推迟");

  // Withdrawing asks for the tick first.
  await page.getByText("Withdraw this assignment").first().click();
  await page.getByTestId("withdraw").click();
  await expect(page.getByTestId("error-confirm")).toHaveText("This field is required.");
  if (!(await page.getByLabel("Yes, I am sure").isVisible())) {
    await page.getByText("Withdraw this assignment").first().click();
  }
  await page.getByLabel("Yes, I am sure").check();
  await page.getByTestId("withdraw").click();
  await expect(page.getByTestId("assignment-status")).toHaveText("withdrawn");
});
