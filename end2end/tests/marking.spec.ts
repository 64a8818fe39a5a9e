import { expect, test } from "@playwright/test";
import { DEMO, goto, login, logout, ready } from "./helpers";

test("the trainer finds the wrongly keyed question, marks an essay and reads the learning gain", async ({ page }, info) => {
  await login(page, info, DEMO.trainer);
  await goto(page, info, "/courses?q=SEC-DATA-01");
  await page.getByTestId("course-row").getByRole("link").first().click();
  await ready(page, info);
  await page.getByTestId("course-quizzes-link").click();
  await page.getByTestId("quiz-row").filter({ hasText: "结业测验" }).getByTestId("edit-quiz").click();
  await ready(page, info);
  await page.getByTestId("item-analysis-link").click();
  await ready(page, info);
  const flagged = page.getByTestId("item-row").filter({ hasText: "可能已被泄露" });
  await expect(flagged.getByTestId("item-flag")).toContainText("Discriminates negatively");
  await expect(page.getByTestId("items-waiting")).toBeVisible();

  // The results: each learner's counted attempt with score, result and time taken.
  await goto(page, info, new URL(page.url()).pathname.replace(/\/items$/, ""));
  await page.getByTestId("results-link").click();
  await expect(page.getByTestId("result-row")).toHaveCount(12);
  await expect(page.getByTestId("results-submitted")).toHaveText("12");
  await expect(page.getByTestId("results-csv")).toBeVisible();

  // The marking queue (a mark out of range is refused by the server: tested in Rust).
  await goto(page, info, "/marking");
  const essay = page.getByTestId("essay").first();
  await expect(essay.getByTestId("essay-answer")).not.toBeEmpty();
  await essay.getByLabel(/Mark \(0 to 5\)/).fill("4");
  await essay.getByLabel("Comment for the learner (optional)").fill("要点基本齐全。");
  await essay.getByRole("button", { name: "Save mark" }).click();
  await expect(page.getByTestId("banner-marked")).toBeVisible();

  await goto(page, info, "/courses?q=POL-PEN-2026");
  await page.getByTestId("course-row").getByRole("link").first().click();
  await ready(page, info);
  await page.getByTestId("course-quizzes-link").click();
  await ready(page, info);
  await page.getByTestId("gain-link").click();
  await expect(page.getByTestId("gain-group").first()).toContainText("Whole test");
  await expect(page.getByTestId("gain-person")).toHaveCount(12);
  // Level 2: the paired test in a sentence, the pass rates and the two runs.
  // (Other tests may add attempts at these tests first: no fixed counts.)
  await expect(page.getByTestId("gain-sentence").first()).toContainText(/^Whole test: scores (rose|fell) from \d+% to \d+% \(\d+ learners with both tests, [+-][\d.]+ points, 95 % CI/);
  await expect(page.getByTestId("gain-p").first()).toHaveText(/^(< 0\.001|[01]\.\d{3})$/);
  await expect(page.getByTestId("pre-pass")).toContainText(/\d+ of 1\d passed/);
  await expect(page.getByTestId("post-pass")).toContainText(/\d+ of \d+ passed/);
  const runs = page.getByTestId("run");
  await expect(runs).toHaveCount(2);
  await expect(runs.first()).toContainText("服务大厅三楼会议室");
  await expect(runs.last()).toContainText("县人社局二楼培训室");
  // The course's evaluation page: both levels side by side, with their n.
  await page.goBack();
  await ready(page, info);
  await page.getByTestId("evaluation-link").click();
  await expect(page.getByTestId("evaluation-index")).toContainText("(n = ");
  await expect(page.getByTestId("evaluation-l2-sentence")).toContainText(/\d+ learners with both tests/);
  await logout(page);
});
