import { expect, type Locator, test } from "@playwright/test";
import { DEMO, goto, login, logout, ready } from "./helpers";

/** Answers whatever the question in `form` asks (a typed answer is `typed`). */
async function answerAnything(form: Locator, typed: string) {
  if ((await form.getByRole("radio").count()) > 0) {
    await form.getByRole("radio").first().check();
  } else if ((await form.getByRole("checkbox").count()) > 0) {
    await form.getByRole("checkbox").first().check();
  } else if ((await form.getByRole("combobox").count()) > 0) {
    await form.getByRole("combobox").first().selectOption({ index: 1 });
  } else if ((await form.getByRole("spinbutton").count()) > 0) {
    await form.getByRole("spinbutton").first().fill("1");
  } else {
    await form.getByRole("textbox").first().fill(typed);
  }
}

test("李娜 takes the post-test: each answer gets a receipt, and submitting shows what was stored", async ({ page }, info) => {
  await login(page, info, DEMO.staff);
  await goto(page, info, "/courses?q=POL-PEN-2026");
  await page.getByTestId("course-row").getByRole("link").first().click();
  await ready(page, info);
  await page.getByTestId("course-quizzes-link").click();
  await ready(page, info);
  const post = page.getByTestId("quiz-row").filter({ hasText: "课后测" });
  await post.getByRole("button", { name: "Start" }).click();
  await expect(page.getByTestId("attempt-progress")).toHaveText("Question 1 of 6");
  await expect(page.getByTestId("time-left")).toContainText("Time left: 19 min");
  await ready(page, info);
  // With JavaScript the clock counts down; without, it shows the time as of the page load.
  const shown = await page.getByTestId("countdown").innerText();
  expect(shown).toMatch(/^(19:5\d|20:00)$/);
  if (info.project.use.javaScriptEnabled !== false) {
    await expect.poll(() => page.getByTestId("countdown").innerText(), { timeout: 5000 }).not.toBe(shown);
  }

  // Answer whatever the first question asks.
  const form = page.getByTestId("answer-form");
  await answerAnything(form, "15");
  await form.getByRole("button", { name: "Save and next" }).click();
  await expect(page.getByTestId("receipt")).toContainText("receipt no. 1");
  await expect(page.getByTestId("attempt-progress")).toHaveText("Question 2 of 6");
  await ready(page, info);

  await page.getByTestId("submit-form").getByLabel("Yes, I am sure").check();
  await page.getByTestId("submit-attempt").click();
  await expect(page.getByTestId("attempt-stored")).toBeVisible();
  await expect(page.getByTestId("attempt-answered")).toHaveText("1 of 6 questions answered.");
  await expect(page.getByTestId("attempt-last-receipt")).toContainText("receipt no. 1");
  await expect(page.getByTestId("attempt-time")).toContainText(/^Time taken: \d+ min \d\d s$/);
  await expect(page.getByTestId("attempt-score")).toBeVisible();
  await logout(page);
});

test("the trainer sees the post-test's rules and what the bank holds for them", async ({ page }, info) => {
  await login(page, info, DEMO.trainer);
  await goto(page, info, "/courses?q=POL-PEN-2026");
  await page.getByTestId("course-row").getByRole("link").first().click();
  await ready(page, info);
  await page.getByTestId("course-quizzes-link").click();
  await page.getByTestId("quiz-row").filter({ hasText: "课后测" }).getByTestId("edit-quiz").click();
  await expect(page.getByTestId("quiz-rule")).toContainText("POLICY");
  await expect(page.getByTestId("quiz-rule")).toContainText("6 at random");
});

test("with JavaScript, Save stores the answer in place and shows its receipt; without, the page reloads with it", async ({ page }, info) => {
  await login(page, info, DEMO.staff);
  await goto(page, info, "/courses?q=SVC-ETQ-01");
  await page.getByTestId("course-row").getByRole("link").first().click();
  await ready(page, info);
  await page.getByTestId("course-quizzes-link").click();
  await ready(page, info);
  const practice = page.getByTestId("quiz-row").filter({ hasText: "练习" });
  // The other project's run may have left the attempt open: resume it then.
  await practice
    .getByRole("button", { name: "Start" })
    .or(practice.getByRole("link", { name: "Resume attempt" }))
    .click();
  await expect(page.getByTestId("attempt-progress")).toHaveText(/^Question 1 of/);
  await ready(page, info);
  const form = page.getByTestId("answer-form");
  await answerAnything(form, "首问负责制");
  const before = page.url();
  await form.getByRole("button", { name: "Save answer", exact: true }).click();
  if (info.project.use.javaScriptEnabled !== false) {
    await expect(page.getByTestId("receipt-in-place")).toContainText("receipt no.");
    expect(page.url()).toBe(before);
  } else {
    await expect(page.getByTestId("receipt")).toContainText("receipt no.");
    expect(page.url()).toContain("saved=");
  }
  await logout(page);
});
