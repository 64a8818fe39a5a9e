import { expect, test } from "@playwright/test";
import { DEMO, goto, login, logout } from "./helpers";

// Each project (JavaScript on, then off) finishes one of 李娜's two demo courses.
test("李娜 completes a course; her manager sees it; the certificate verifies", async ({ page }, info) => {
  await login(page, info, DEMO.staff);
  await goto(page, info, "/learning");
  // The course not yet overdue first (the learning test wants the overdue one open).
  const open = page.getByTestId("my-course").filter({ has: page.getByTestId("start") });
  const onTime = open.filter({ hasNot: page.getByTestId("overdue") });
  await expect(open.first()).toBeVisible();
  const card = (await onTime.count()) > 0 ? onTime.first() : open.first();
  await expect(card.getByTestId("why")).toBeVisible();
  await expect(card.getByTestId("progress")).toContainText("lessons done");
  const code = await card.getAttribute("data-code");
  expect(code).toBeTruthy();
  await card.getByTestId("start").click();

  // Lesson by lesson until the course is complete and the certificate shows.
  for (let i = 0; i < 30; i++) {
    await expect(page.getByTestId("lesson-title").or(page.getByTestId("certificate"))).toBeVisible();
    if (await page.getByTestId("certificate").isVisible()) break;
    await page.getByTestId("mark-done").click();
  }
  await expect(page.getByTestId("banner-completed")).toBeVisible();
  await expect(page.getByTestId("holder")).toContainText("李娜");
  const certificate = (await page.getByTestId("code").textContent())!.trim();
  const verifyUrl = (await page.getByTestId("verify-url").getAttribute("href"))!;
  expect(verifyUrl).toContain(`/verify/${certificate}`);

  await goto(page, info, "/learning");
  const done = page.locator(`[data-testid="my-course"][data-code="${code}"]`);
  await expect(done.getByTestId("completed")).toBeVisible();
  await page.getByRole("link", { name: "My learning-hours record" }).click();
  await expect(page.getByTestId("transcript")).toContainText(certificate);
  await logout(page);

  // The manager's team view shows her course completed.
  await login(page, info, DEMO.manager);
  await page.getByTestId("nav-team-progress").click();
  await expect(page.getByTestId("unit-summary")).toContainText("服务大厅");
  await page.getByLabel("Stage").selectOption("completed");
  await page.getByRole("button", { name: "Filter" }).click();
  const row = page.locator(`[data-testid="progress-row"][data-person="S0001"][data-code="${code}"]`);
  await expect(row.getByTestId("stage")).toHaveText("completed");
  await expect(row.getByTestId("percent")).toContainText("lessons done");
  await logout(page);

  // Anyone can check the code, signed in or not.
  await goto(page, info, new URL(verifyUrl, "http://x").pathname);
  await expect(page.getByTestId("valid")).toBeVisible();
  await expect(page.getByTestId("verified-name")).toHaveText("李娜");
  await goto(page, info, "/verify");
  await page.getByLabel("Verification code").fill("ABCD-EFGH-JKMN");
  await page.getByRole("button", { name: "Check" }).click();
  await expect(page.getByTestId("not-valid")).toBeVisible();
});
