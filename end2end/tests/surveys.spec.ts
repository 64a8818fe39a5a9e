import { expect, test, type Page, type TestInfo } from "@playwright/test";
import { DEMO, goto, login, logout, ready } from "./helpers";

// One whole loop: a trainer builds a framework and opens a survey, the staff member
// self-assesses (draft, reload, submit), the manager rates them, and the gap page
// and the heatmap show the hand-computed figures.
test.setTimeout(180_000);


async function addCompetency(page: Page, info: TestInfo, code: string, name: string) {
  const domain = page.getByTestId("domain").first();
  await domain.getByTestId("competency-add-open").click();
  const form = domain.getByTestId("competency-form").last();
  await form.getByLabel("Code").fill(code);
  await form.getByLabel("Competency").fill(name);
  for (let n = 1; n <= 5; n++) {
    await form.getByLabel(`Level ${n} descriptor`).fill(`${name}: level ${n} behaviour`);
  }
  await form.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("banner-saved")).toBeVisible();
  await expect(page.getByTestId("domain").first()).toContainText(code);
  await ready(page, info);
}

async function openTask(page: Page, info: TestInfo, campaign: string, subject: string) {
  await goto(page, info, "/tasks");
  const row = page.getByTestId("task-row").filter({ hasText: campaign }).filter({ hasText: subject });
  await row.getByTestId("task-link").click();
  await expect(page.getByTestId("questionnaire")).toBeVisible();
  await ready(page, info);
}

test("trainer builds a framework, staff and manager rate, gaps show the numbers", async ({ page }, info) => {
  const tag = `${info.project.name}-${Date.now() % 100000}`;
  const framework = `E2E framework ${tag}`;
  const campaign = `E2E survey ${tag}`;

  // Trainer: framework with two competencies, targets for front-desk clerks.
  await login(page, info, DEMO.trainer);
  await goto(page, info, "/frameworks");
  await page.getByTestId("framework-create").getByLabel("Name").fill(framework);
  await page.getByRole("button", { name: "Create framework" }).click();
  await expect(page.getByTestId("framework-title")).toContainText(framework);
  await ready(page, info);
  await page.getByTestId("domain-add").getByLabel("Domain").fill("Service capability");
  await page.getByTestId("domain-add").getByRole("button", { name: "Add a domain" }).click();
  await expect(page.getByTestId("domain")).toHaveCount(1);
  await ready(page, info);
  await addCompetency(page, info, "CASE", "Case handling");
  await addCompetency(page, info, "DIGITAL", "Digital skills");

  await page.getByRole("link", { name: "Target profiles" }).click();
  await expect(page.getByTestId("targets-grid")).toBeVisible();
  await ready(page, info);
  await page.getByLabel("Case handling – 窗口经办员 – required level").selectOption("4");
  await page.getByLabel("Case handling – 窗口经办员 – importance").selectOption("2");
  await page.getByLabel("Digital skills – 窗口经办员 – required level").selectOption("3");
  await page.getByTestId("save-targets").click();
  await expect(page.getByTestId("banner-saved")).toBeVisible();
  await ready(page, info);

  // Trainer: the survey, about 李娜 only, self + manager. An anonymity threshold
  // under 3 is refused next to the field.
  await goto(page, info, "/campaigns/new");
  const form = page.getByTestId("campaign-form");
  await form.getByLabel("Title").fill(campaign);
  await form.getByLabel("Framework").selectOption({ label: `${framework} v1` });
  await form.getByLabel("Opens").fill("2026-11-01T08:00");
  await form.getByLabel("Closes").fill("2027-06-30T18:00");
  await form.getByLabel("Peer ratings").selectOption("none");
  await form.getByLabel("Anonymity threshold").fill("2");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("error-anonymity_threshold")).toHaveText(
    "Enter a number from 3 to 10.",
  );
  await ready(page, info);
  const again = page.getByTestId("campaign-form");
  await again.getByLabel("Title").fill(campaign);
  await again.getByLabel("Framework").selectOption({ label: `${framework} v1` });
  await again.getByLabel("Opens").fill("2026-11-01T08:00");
  await again.getByLabel("Closes").fill("2027-06-30T18:00");
  await again.getByLabel("Peer ratings").selectOption("none");
  await again.getByLabel("Anonymity threshold").fill("3");
  await again.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("banner-saved")).toBeVisible();
  await ready(page, info);
  const campaignId = new URL(page.url()).pathname.split("/").pop();
  await page.getByTestId("audience-person").getByLabel("Employee number").fill(DEMO.staff);
  await page.getByTestId("audience-person").getByRole("button", { name: "Add" }).click();
  await expect(page.getByTestId("audience-count")).toHaveText("People covered: 1");
  await ready(page, info);
  // Opening needs the confirmation box.
  await page.getByTestId("change-state").click();
  await expect(page.getByTestId("error-confirm")).toHaveText("This field is required.");
  await page.getByTestId("state-form").getByLabel("Yes, I am sure").check();
  await page.getByTestId("change-state").click();
  await expect(page.getByTestId("campaign-state").first()).toHaveText("open");
  await logout(page);

  // Staff: self-assessment, saved as a draft, resumed after a reload, submitted.
  await login(page, info, DEMO.staff);
  await openTask(page, info, campaign, "Yourself");
  await page.getByTestId("rate-CASE").getByLabel(/^4/).check();
  await page.getByTestId("save-draft").click();
  await expect(page.getByTestId("banner-saved")).toBeVisible();
  await page.reload();
  await ready(page, info);
  await expect(page.getByTestId("rate-CASE").getByLabel(/^4/)).toBeChecked();
  await expect(page.getByTestId("task-status")).toHaveText("draft saved");
  // Submitting with a competency left out is refused, next to that competency.
  await page.getByTestId("submit-task").click();
  await expect(page.getByTestId("rate-DIGITAL")).toContainText("This field is required.");
  await page.getByTestId("rate-CASE").getByLabel(/^4/).check();
  await page.getByTestId("rate-DIGITAL").getByLabel(/^3/).check();
  await page.getByTestId("submit-task").click();
  await expect(page.getByTestId("banner-submitted")).toBeVisible();
  await expect(page.getByTestId("submitted-note")).toBeVisible();
  await expect(page.getByTestId("submit-task")).toHaveCount(0);
  await logout(page);

  // Manager: rates 李娜.
  await login(page, info, DEMO.manager);
  await openTask(page, info, campaign, "李娜");
  await page.getByTestId("rate-CASE").getByLabel(/^2/).check();
  await page.getByTestId("rate-DIGITAL").getByLabel(/^3/).check();
  await page.getByTestId("submit-task").click();
  await expect(page.getByTestId("banner-submitted")).toBeVisible();

  // Heatmap for the service hall: only 李娜 is in this survey, one person under
  // the threshold of 3, so the unit's cells are withheld.
  await goto(page, info, `/gaps/heatmap?campaign=${campaignId}`);
  const hall = page.getByTestId("heat-row").filter({ hasText: "服务大厅" });
  await expect(hall.getByTestId("heat-cell").nth(0)).toContainText("n<3");
  await expect(hall.getByTestId("heat-cell").nth(0)).not.toContainText("1.43");
  await logout(page);

  // Staff: their own gap page for this survey.
  // Case handling: (0.2×4 + 0.5×2) / 0.7 = 2.57, target 4 → gap 1.43; digital: 3 vs 3 → 0.
  await login(page, info, DEMO.staff);
  await goto(page, info, `/gaps/me?campaign=${campaignId}`);
  await expect(page.getByTestId("provenance")).toContainText(`${framework} v1`);
  await expect(page.getByTestId("radar")).toBeVisible();
  await expect(page.getByTestId("gap-CASE").getByTestId("current")).toHaveText("2.57");
  await expect(page.getByTestId("gap-CASE").getByTestId("gap")).toHaveText("1.43");
  await expect(page.getByTestId("gap-DIGITAL").getByTestId("gap")).toHaveText("0.00");
});

test("staff cannot open the heatmap or someone else's gaps", async ({ page }, info) => {
  await login(page, info, DEMO.staff);
  await goto(page, info, "/gaps/heatmap");
  await expect(page.getByTestId("forbidden")).toBeVisible();
});

test("the demo heatmap tells its story at once", async ({ page }, info) => {
  await login(page, info, DEMO.manager);
  await goto(page, info, "/gaps/heatmap");
  await expect(page.getByTestId("provenance")).toContainText("基线");
  await expect(page.getByTestId("heat-row").filter({ hasText: "服务大厅" })).toBeVisible();
  await goto(page, info, "/gaps/priorities");
  await expect(page.getByTestId("priorities")).toBeVisible();
});
