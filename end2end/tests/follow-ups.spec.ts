import { expect, test } from "@playwright/test";
import { DEMO, goto, login, logout, ready } from "./helpers";

// 王建国 is asked, a month after two of his colleagues finished 主动服务与延伸服务,
// how they now do: he answers one follow-up (JavaScript on) and another (off),
// after being told what is missing. The trainer then reads level 3 of
// 社保经办系统实操 from the course's evaluation page.
test("a manager answers a behaviour follow-up and the trainer reads level 3", async ({ page }, info) => {
  await login(page, info, DEMO.manager);
  await page.getByTestId("nav-follow-ups").click();
  await ready(page, info);
  const open = page.getByTestId("follow-ups-open").getByTestId("follow-up-row");
  const before = await open.count();
  expect(before).toBeGreaterThan(0);
  await open.first().getByRole("link").click();
  await ready(page, info);
  await expect(page.getByTestId("follow-up-intro")).toContainText("-day follow-up");
  const questions = page.getByTestId("follow-up-competency");
  const n = await questions.count();
  expect(n).toBeGreaterThan(0);

  // Sent blank: each question says it is needed; nothing is saved.
  await page.getByRole("button", { name: "Send my answers" }).click();
  await expect(page.locator('[data-testid^="error-level"]').first()).toContainText("This field is required.");
  await ready(page, info);

  for (let i = 0; i < n; i++) {
    const q = questions.nth(i);
    await q.locator('input[name^="level"][value="3"]').check();
    await q.locator('input[name^="frequency"][value="4"]').check();
  }
  await page.getByRole("button", { name: "Send my answers" }).click();
  await expect(page.getByTestId("banner-thanks")).toBeVisible();
  await expect(page.getByTestId("follow-ups-done").getByTestId("follow-up-row").first()).toBeVisible();
  await expect(open).toHaveCount(before - 1);
  await logout(page);

  await login(page, info, DEMO.trainer);
  await goto(page, info, "/courses?q=SI-SYS-101");
  await page.getByTestId("course-row").getByRole("link").first().click();
  await ready(page, info);
  await page.getByTestId("course-quizzes-link").click();
  await ready(page, info);
  await page.getByTestId("evaluation-link").click();
  await ready(page, info);
  await expect(page.getByTestId("evaluation-l3")).toContainText("30 days");
  await page.getByTestId("evaluation-l3").getByRole("link").click();
  await ready(page, info);
  const rows = page.getByTestId("behaviour-row");
  await expect(rows.first()).toBeVisible();
  await expect(page.getByTestId("behaviour-sentences")).toContainText(/IT literacy|信息技术素养/);
  await expect(page.getByTestId("behaviour-sentences")).toContainText("days after the course: from");
  await expect(page.getByTestId("behaviour-plans").locator("li").first()).toBeVisible();
  await logout(page);
});
