import { expect, test } from "@playwright/test";
import { DEMO, goto, login, logout, ready } from "./helpers";

// 李娜 (JavaScript on) or 王建国 (off) sat in the pension course's sessions and
// have not answered its reaction form yet: each answers it once, after being
// told what is missing; the trainer then reads the figures, by session too.
test("a learner answers the reaction form and the trainer reads level 1", async ({ page }, info) => {
  const js = info.project.use.javaScriptEnabled !== false;
  await login(page, info, js ? DEMO.staff : DEMO.manager);
  await goto(page, info, "/learning");
  const card = page.locator('[data-testid="my-course"][data-code="POL-PEN-2026"]');
  await card.getByTestId("reaction-link").click();
  await ready(page, info);
  const items = page.getByTestId("reaction-item");
  await expect(items).toHaveCount(10);

  // Sent blank: each rating says it is needed; nothing is saved.
  await page.getByRole("button", { name: "Send my answers" }).click();
  await expect(page.locator('[data-testid^="error-a"]').first()).toContainText("This field is required.");
  await ready(page, info);

  for (let i = 0; i < 10; i++) {
    const item = page.getByTestId("reaction-item").nth(i);
    const radios = await item.locator('input[type="radio"]').count();
    if (radios === 11) await item.locator('input[value="9"]').check();
    else if (radios === 5) await item.locator('input[value="4"]').check();
    else if (i === 8) await item.locator("textarea").fill("希望增加上机练习的时间。");
  }
  await page.getByRole("button", { name: "Send my answers" }).click();
  await expect(page.getByTestId("banner-thanks")).toBeVisible();
  await expect(page.getByTestId("reaction-done")).toBeVisible();
  await goto(page, info, "/learning");
  await expect(card.getByTestId("reaction-answered")).toBeVisible();
  await logout(page);

  await login(page, info, DEMO.trainer);
  await goto(page, info, "/courses?q=POL-PEN-2026");
  await page.getByTestId("course-row").getByRole("link").first().click();
  await ready(page, info);
  await page.getByTestId("course-quizzes-link").click();
  await ready(page, info);
  await page.getByTestId("reaction-report-link").click();
  await ready(page, info);
  // The hall's runs and those who completed the course on their own.
  await expect(page.getByTestId("reaction-answered-count")).toHaveText(/^[1-9]\d$/);
  await expect(page.getByTestId("reaction-index")).toContainText("(n = ");
  await expect(page.getByTestId("reaction-item-row")).toHaveCount(8);
  await expect(page.getByTestId("reaction-comment").filter({ hasText: "希望增加上机练习的时间。" }).first()).toBeVisible();
  // The same report as CSV, with the comments (enough learners answered).
  const csv = await page.request.get((await page.getByTestId("reaction-csv").getAttribute("href"))!);
  expect(csv.status()).toBe(200);
  const text = await csv.text();
  expect(text).toContain("record,scope,item,wording,kind,n,mean,reaction_index");
  expect(text).toContain("希望增加上机练习的时间。");
  const sessions = page.getByTestId("reaction-session");
  await expect(sessions).toHaveCount(2);
  await sessions.first().getByRole("link").click();
  await ready(page, info);
  await expect(page.getByTestId("reaction-scope")).toContainText("服务大厅三楼会议室");

  // The form editor leads to the office template, with the demo office's own item.
  await page.getByTestId("reaction-setup-link").click();
  await ready(page, info);
  await page.getByTestId("template-link").click();
  await ready(page, info);
  await expect(page.getByTestId("template-help")).toBeVisible();
  await expect(page.getByTestId("setup-item")).toHaveCount(11);
  await expect(page.getByTestId("setup-item").last()).toContainText("窗口经办工作");
  await logout(page);
});
