// The before/after report: 王建国 opens it for his hall, reads the sentences
// under the chart, exports the same figures as CSV, sees his people one by one
// and the other sources, and follows a course to its evaluation for his people
// (JavaScript on and off).
import { expect, test } from "@playwright/test";
import { DEMO, goto, login, logout, ready } from "./helpers";

test("a manager reads his unit's before/after report and exports it", async ({ page }, info) => {
  await login(page, info, DEMO.manager);
  await goto(page, info, "/gaps/heatmap");
  await page.getByRole("link", { name: "Before and after" }).click();
  await ready(page, info);
  await expect(page.getByTestId("provenance").first()).toContainText("基线");
  await expect(page.getByTestId("provenance").last()).toContainText("复评");
  await expect(page.getByTestId("change-chart")).toBeVisible();
  // His own unit only: the unit list offers the hall and nothing above it.
  await expect(page.locator("#f-unit option", { hasText: "服务大厅" })).toHaveCount(1);
  await expect(page.locator("#f-unit option", { hasText: "征缴科" })).toHaveCount(0);
  const sentence = page.getByTestId("change-sentence").first();
  await expect(sentence).toContainText(/(rose|fell) from \d\.\d to \d\.\d \(n = \d+/);
  await expect(page.getByTestId("change-row").first()).toBeVisible();
  // October's IT class against the colleagues who did not take it.
  await expect(
    page.getByTestId("change-sentence").filter({ hasText: "信息技术素养" }),
  ).toContainText(/People who took 社保经办系统实操 rose \d\.\d more than those who did not/);
  await expect(page.getByTestId("change-course").first()).toBeVisible();

  const href = await page.getByTestId("export-change").getAttribute("href");
  const csv = await page.request.get(href!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-disposition"]).toContain("gapwise-before-after.csv");
  const text = await csv.text();
  expect(text).toContain("unit,competency_code,competency,group,n,n_untrained,mean_before,mean_after");
  expect(text).toContain("IT_LITERACY");

  // Person by person, his own people, and the other sources.
  await expect(page.getByTestId("change-person").first()).toBeVisible();
  await expect(page.getByTestId("change-source").first()).toBeVisible();
  const people = await page.request.get(
    (await page.getByTestId("export-change-people").getAttribute("href"))!,
  );
  expect(people.status()).toBe(200);
  expect(await people.text()).toContain("employee_no,name,unit,competencies");

  // The course's evaluation, for his people, with the office's results.
  await page.getByTestId("change-course").first().getByRole("link").click();
  await ready(page, info);
  await expect(page.getByTestId("evaluation-scoped")).toBeVisible();
  await expect(page.getByTestId("evaluation-l1")).toBeVisible();
  await expect(page.getByTestId("evaluation-l4-row").first()).toBeVisible();
  await logout(page);
});

test("staff cannot open the before/after report", async ({ page }, info) => {
  await login(page, info, DEMO.staff);
  await goto(page, info, "/gaps/before-after");
  await expect(page.getByTestId("forbidden")).toBeVisible();
});
