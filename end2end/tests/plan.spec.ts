import { expect, test } from "@playwright/test";
import { DEMO, goto, login } from "./helpers";

const nextYear = new Date().getFullYear() + 1;

// Both runs edit the first line of next year's draft, each to its own head count,
// and find the figure back in the table, the printable form and the CSV link.
test("the trainer edits next year's draft plan and prints it for approval", async ({ page }, info) => {
  const people = info.project.use.javaScriptEnabled === false ? "45" : "44";
  await login(page, info, DEMO.trainer);
  await page.getByTestId("nav-plan").click();
  await expect(page.getByTestId("plan-status")).toContainText("approved");
  await goto(page, info, `/plan?year=${nextYear}`);
  await expect(page.getByTestId("plan-status")).toContainText("draft");
  // The first line taught in a room (an online line has no sessions: "—").
  await expect(page.getByTestId("plan-line").first()).toBeVisible();
  const sessions = await page.getByTestId("line-sessions").allTextContents();
  const n = sessions.findIndex((t) => t.includes("×"));
  expect(n).toBeGreaterThanOrEqual(0);
  const line = page.getByTestId("plan-line").nth(n);

  await page.getByTestId("edit-line").nth(n).click();
  const form = page.getByTestId("line-form").nth(n);
  await form.getByLabel("People").fill(people);
  await form.getByLabel("Sessions").fill("");
  await form.getByLabel("5", { exact: true }).check();
  await form.getByTestId("save-line").click();
  await expect(page.getByTestId("banner-saved")).toBeVisible();
  await expect(line.getByTestId("line-people")).toHaveText(people);
  // Blank sessions are recounted: the people over the seats per session, rounded up.
  const [count, seats] = (await line.getByTestId("line-sessions").innerText()).match(/\d+/g)!.map(Number);
  expect(count).toBe(Math.ceil(Number(people) / seats));
  await expect(page.getByTestId("plan-csv")).toHaveAttribute("href", `/export/plan.csv?year=${nextYear}`);

  // Each line leads back to the accepted proposals that justify it.
  const why = await page.getByTestId("plan-justify").first().getAttribute("href");
  expect(why).toContain("/proposals?status=accepted&course=");

  await page.getByTestId("plan-print").click();
  await expect(page.getByTestId("plan-print-page")).toContainText(`training plan for ${nextYear}`);
  await expect(page.getByTestId("plan-print-page").getByTestId("line-people").nth(n)).toHaveText(people);
  await expect(page.getByTestId("plan-print-page")).toContainText("Approved by");

  await page.goto(why!);
  await expect(page.getByTestId("proposal").first()).toBeVisible();
});

test("staff cannot open the plan; the admin sets a position's own hours", async ({ page }, info) => {
  await login(page, info, DEMO.staff);
  await expect(page.getByTestId("nav-plan")).toHaveCount(0);
  await page.goto("/plan");
  await expect(page.getByTestId("plan-lines")).toHaveCount(0);

  await page.context().clearCookies();
  await login(page, info, DEMO.admin);
  await page.getByTestId("nav-training-rules").click();
  const hours = info.project.use.javaScriptEnabled === false ? "60" : "56";
  await page.getByLabel("CLERK · 综合文员").fill(hours);
  await page.getByLabel("Seats per classroom session").fill("0");
  await page.getByTestId("save-rules").click();
  await expect(page.getByTestId("error-class_size")).toContainText("from 1 to 500");
  await page.getByLabel("Seats per classroom session").fill("30");
  await page.getByLabel("CLERK · 综合文员").fill(hours);
  await page.getByTestId("save-rules").click();
  await expect(page.getByTestId("banner-saved")).toBeVisible();
  await expect(page.getByLabel("CLERK · 综合文员")).toHaveValue(hours);
});
