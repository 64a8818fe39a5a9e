import { expect, test } from "@playwright/test";
import { DEMO, goto, login, ready } from "./helpers";

test("a trainer imports a GIFT file through its preview and finds the questions in the bank", async ({ page }, info) => {
  const js = info.project.use.javaScriptEnabled !== false;
  const category = js ? "E2E/JS" : "E2E/NOJS";
  const gift = [
    `$CATEGORY: ${category}`,
    "",
    "::待遇资格认证:: 领取养老金的人员每年需要进行资格认证吗？ {T}",
    "",
    "::坏题:: 没有闭合 { =对",
    "",
    "::最低年限:: 按月领取养老金的最低累计缴费年限（年） {#15:0}",
    "",
  ].join("\n");

  await login(page, info, DEMO.trainer);
  await page.getByTestId("nav-bank").click();
  await expect(page.getByRole("heading", { name: "Question bank" })).toBeVisible();
  await expect(page.getByTestId("bank-row").first()).toBeVisible();
  await ready(page, info);
  await page.getByTestId("bank-import").click();
  await ready(page, info);
  await page.getByLabel("Question file").setInputFiles({
    name: "题库.gift",
    mimeType: "text/plain",
    buffer: Buffer.from(gift),
  });
  await page.getByRole("button", { name: "Upload and preview" }).click();

  // The preview: two to import, one skipped with its line and why; nothing saved yet.
  await expect(page.getByTestId("import-questions").locator("tbody tr")).toHaveCount(2);
  const skipped = page.getByTestId("import-skipped").locator("tbody tr");
  await expect(skipped).toHaveCount(1);
  await expect(skipped).toContainText("5");
  await expect(skipped).toContainText("never closed");
  await ready(page, info);
  await page.getByLabel("File the questions under").selectOption({ label: "POL-PEN-2026 养老保险政策解读（2026年版）" });
  await page.getByRole("button", { name: "Import 2 questions" }).click();
  await expect(page.getByTestId("banner-imported")).toBeVisible();
  await ready(page, info);

  await goto(page, info, `/bank?category=${encodeURIComponent(category)}`);
  const rows = page.getByTestId("bank-row");
  await expect(rows).toHaveCount(2);
  await expect(rows.first()).toContainText("POL-PEN-2026");
  await rows.getByRole("link", { name: "最低年限" }).click();
  await expect(page.getByTestId("question")).toContainText("15 ± 0");
  await ready(page, info);

  // Archiving takes it out of the list.
  await page.getByTestId("question-archive").getByRole("button", { name: "Archive" }).click();
  await expect(page.getByTestId("question-archive").getByRole("button", { name: "Restore" })).toBeVisible();
  await goto(page, info, `/bank?category=${encodeURIComponent(category)}`);
  await expect(page.getByTestId("bank-row")).toHaveCount(1);
});

test("staff do not see the question bank", async ({ page }, info) => {
  await login(page, info, DEMO.staff);
  await expect(page.getByTestId("nav-bank")).toHaveCount(0);
  await goto(page, info, "/bank");
  await expect(page.getByTestId("forbidden")).toBeVisible();
  await expect(page.getByTestId("bank-row")).toHaveCount(0);
});
