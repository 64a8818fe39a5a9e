// Takes the README screenshots from a running server (demo data loaded).
// plain script: `node screenshots.mjs http://127.0.0.1:3000`; `ONLY=a.png,b.png`
// retakes just those.
import { chromium } from "@playwright/test";

const base = process.argv[2] ?? "http://127.0.0.1:3000";
const out = new URL("./screenshots/", import.meta.url).pathname;

async function main() {
  const browser = await chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run"],
  });
  const only = process.env.ONLY?.split(",");
  const shot = async (who, path, file, lang = "en-GB", setup) => {
    if (only && !only.includes(file)) return;
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 }, locale: lang });
    await page.goto(`${base}/login`);
    await page.locator("#field-employee_no").fill(who);
    await page.locator("#field-password").fill("gapwise-demo");
    await page.locator("form[data-testid=login-form] button").click();
    await page.waitForSelector("[data-testid=dashboard-title]");
    await page.goto(`${base}${path}`);
    if (setup) await setup(page);
    await page.screenshot({ path: `${out}${file}`, fullPage: false });
    await page.close();
  };
  await shot("A0001", "/", "dashboard-admin.png");
  await shot("A0001", "/admin/people", "people-zh.png", "zh-CN");
  await shot("M0001", "/team", "team-manager.png");
  await shot("A0001", "/admin/roster", "roster-preview.png", "en-GB", async (page) => {
    const csv = "employee_no,name,unit,position,manager,roles\nQX9001,陈静,HALL,FRONT_DESK,M0001,staff\nQX9002,,NO_SUCH_UNIT,FRONT_DESK,M0001,boss\nQX9003,Li Na 李娜,服务大厅,窗口经办员,M0001,staff;trainer\n";
    await page.locator("#roster-file").setInputFiles({ name: "roster.csv", mimeType: "text/csv", buffer: Buffer.from(csv) });
    await page.locator("form[data-testid=roster-form] button").click();
    await page.waitForSelector("[data-testid=roster-table]");
  });
  await shot("M0001", "/gaps/heatmap", "heatmap-manager.png", "zh-CN");
  await shot("S0001", "/gaps/me", "gaps-staff.png");
  await shot("T0001", "/gaps/priorities", "priorities-trainer.png");
  await shot("S0001", "/learning", "learning-staff.png");
  await shot("M0001", "/team/progress", "team-progress-manager.png", "zh-CN");
  await shot("T0001", "/team/progress?stage=completed", "certificate.png", "zh-CN", async (page) => {
    await page.locator("[data-testid=progress-row] td a").first().click();
    await page.waitForSelector("[data-testid=transcript]");
    await page.locator("[data-testid=transcript-line] a[href^='/certificates/']").first().click();
    await page.waitForSelector("[data-testid=certificate]");
  });
  await shot("T0001", "/courses?q=SVC-CMP-02", "sign-in-sheet.png", "zh-CN", async (page) => {
    await page.getByRole("link", { name: "投诉处理与情绪管理" }).first().click();
    await page.locator("[data-testid=sheet-link]").first().click();
    await page.waitForSelector("[data-testid=sheet]");
  });
  await shot("S0001", "/tasks", "tasks-staff.png", "en-GB", async (page) => {
    await page.locator("[data-testid=task-link]").first().click();
    await page.waitForSelector("[data-testid=questionnaire]");
  });
  await shot("S0001", "/courses", "courses-staff.png", "zh-CN");
  await shot("T0001", "/courses?q=SI-SYS-101", "lesson-trainer.png", "en-GB", async (page) => {
    await page.locator("[data-testid=course-row] a").first().click();
    await page.locator("[data-testid=lesson-link]").first().click();
    await page.waitForSelector("[data-testid=lesson-body]");
  });
  await shot("M0001", "/proposals", "proposals-manager.png");
  await shot("T0001", "/bank", "bank-zh.png", "zh-CN");
  await shot("T0001", "/bank/import", "bank-import.png", "en-GB", async (page) => {
    const gift = "$CATEGORY: 养老/政策\n\n::认证:: 领取养老金的人员每年需要进行资格认证吗？ {T}\n\n::坏题:: 没有闭合 { =对\n\n::年限:: 最低累计缴费年限（年） {#15:0}\n";
    await page.locator("#bank-file").setInputFiles({ name: "题库.gift", mimeType: "text/plain", buffer: Buffer.from(gift) });
    await page.locator("form[data-testid=bank-upload] button").click();
    await page.waitForSelector("[data-testid=import-skipped]");
  });
  await shot("S0001", "/courses?q=SVC-ETQ-01", "attempt-zh.png", "zh-CN", async (page) => {
    await page.locator("[data-testid=course-row] a").first().click();
    await page.locator("[data-testid=course-quizzes-link]").click();
    await page.locator("[data-testid=start-attempt] button").first().click();
    await page.waitForSelector("[data-testid=attempt-question]");
  });
  await shot("T0001", "/courses?q=SEC-DATA-01", "item-analysis.png", "en-GB", async (page) => {
    await page.locator("[data-testid=course-row] a").first().click();
    await page.locator("[data-testid=course-quizzes-link]").click();
    await page.locator("[data-testid=quiz-row]", { hasText: "结业测验" }).locator("[data-testid=edit-quiz]").click();
    await page.locator("[data-testid=item-analysis-link]").click();
    await page.waitForSelector("[data-testid=items]");
    await page.locator("[data-testid=item-flag]").first().scrollIntoViewIfNeeded();
  });
  await shot("T0001", "/marking", "marking-zh.png", "zh-CN");
  await shot("T0001", "/courses?q=SEC-DATA-01", "quiz-results-zh.png", "zh-CN", async (page) => {
    await page.locator("[data-testid=course-row] a").first().click();
    await page.locator("[data-testid=course-quizzes-link]").click();
    await page.locator("[data-testid=quiz-row]", { hasText: "结业测验" }).locator("[data-testid=edit-quiz]").click();
    await page.locator("[data-testid=results-link]").click();
    await page.waitForSelector("[data-testid=results]");
  });
  // A person's follow-up results with quiz results as the test source.
  await shot("M0001", "/team", "gaps-test-source.png", "en-GB", async (page) => {
    await page.getByRole("link", { name: "林玉兰" }).first().click();
    await page.waitForSelector("[data-testid=gap-table]");
    await page.locator("select[name=campaign]").selectOption({ index: 0 });
    await page.waitForURL(/campaign=/).catch(() => {});
    if (!page.url().includes("campaign=")) await page.getByRole("button", { name: "Show" }).click();
    await page.waitForURL(/campaign=/);
    await page.locator("[data-testid=gap-table]").scrollIntoViewIfNeeded();
  });
  // Level 1: the pension course's reaction figures (trainer, Chinese).
  await shot("T0001", "/courses?q=POL-PEN-2026", "reaction-zh.png", "zh-CN", async (page) => {
    await page.locator("[data-testid=course-row] a").first().click();
    await page.locator("[data-testid=course-quizzes-link]").click();
    await page.locator("[data-testid=reaction-report-link]").click();
    await page.waitForSelector("[data-testid=reaction-items]");
  });
  // Level 2: the pension course's gain with its paired statistics and runs.
  await shot("T0001", "/courses?q=POL-PEN-2026", "learning-l2.png", "en-GB", async (page) => {
    await page.locator("[data-testid=course-row] a").first().click();
    await page.locator("[data-testid=course-quizzes-link]").click();
    await page.locator("[data-testid=gain-link]").click();
    await page.locator("[data-testid=gain-groups]").scrollIntoViewIfNeeded();
  });
  // The learner's reaction form.
  await shot("S0001", "/learning", "reaction-form.png", "en-GB", async (page) => {
    await page.locator("[data-testid=my-course][data-code=POL-PEN-2026] [data-testid=reaction-link]").click();
    await page.waitForSelector("[data-testid=reaction-form]");
  });
  // The office's reaction template, with the item the demo office added.
  await shot("T0001", "/reaction-template", "reaction-template-zh.png", "zh-CN", async (page) => {
    await page.waitForSelector("[data-testid=template-help]");
    await page.locator("[data-testid=setup-item]").nth(8).scrollIntoViewIfNeeded();
  });
  // The hall's before/after report, as its manager sees it.
  await shot("M0001", "/gaps/before-after", "before-after-zh.png", "zh-CN", async (page) => {
    await page.waitForSelector("[data-testid=change-chart]");
    await page.locator("[data-testid=change-chart]").scrollIntoViewIfNeeded();
  });
  // Level 3: 社保经办系统实操's follow-ups against the baseline (trainer, Chinese).
  await shot("T0001", "/courses?q=SI-SYS-101", "behaviour-zh.png", "zh-CN", async (page) => {
    await page.locator("[data-testid=course-row] a").first().click();
    await page.locator("[data-testid=course-quizzes-link]").click();
    await page.locator("[data-testid=evaluation-link]").click();
    await page.locator("[data-testid=evaluation-l3] a").click();
    await page.waitForSelector("[data-testid=behaviour-rows]");
    await page.locator("[data-testid=behaviour-rows]").scrollIntoViewIfNeeded();
  });
  // A manager's follow-up about a colleague, on the competency's own levels.
  await shot("M0001", "/follow-ups", "follow-up-form.png", "en-GB", async (page) => {
    await page.locator("[data-testid=follow-ups-open] [data-testid=follow-up-row] a").first().click();
    await page.waitForSelector("[data-testid=follow-up-form]");
  });
  // Level 4: the hall's rework rate against the units not yet trained.
  await shot("M0001", "/indicators", "results-zh.png", "zh-CN", async (page) => {
    await page.locator("#indicator").selectOption("rework_rate");
    await page.locator("#course").selectOption({ label: "SI-SYS-101 · 社保经办系统实操" });
    await page.locator("[data-testid=results-filters] button").click();
    await page.waitForSelector("[data-testid=results-did]");
    await page.locator("[data-testid=results-comparison]").scrollIntoViewIfNeeded();
  });
  // The course's four levels side by side, for the manager's own people.
  await shot("M0001", "/courses?q=SI-SYS-101", "course-evaluation-manager.png", "en-GB", async (page) => {
    await page.locator("[data-testid=course-row] a").first().click();
    await page.locator("[data-testid=course-evaluation-link]").click();
    await page.waitForSelector("[data-testid=evaluation-l4]");
  });
  // Person by person and the other sources, under the before/after tables.
  await shot("M0001", "/gaps/before-after", "before-after-people.png", "en-GB", async (page) => {
    await page.waitForSelector("[data-testid=change-sources]");
    await page.locator("[data-testid=change-sources]").scrollIntoViewIfNeeded();
  });
  await browser.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
