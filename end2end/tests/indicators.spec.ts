import { expect, test } from "@playwright/test";
import { DEMO, goto, login, logout, ready } from "./helpers";

// 周敏 imports a month of service indicators: a file with a wrong row is shown
// row by row and cannot be imported; the corrected file is. 王建国 then reads
// the hall's rework rate against the units not yet trained in 社保经办系统实操.
test("an administrator imports indicators and a manager reads level 4", async ({ page }, info) => {
  await login(page, info, DEMO.admin);
  await goto(page, info, "/indicators/grid");
  await expect(page.getByTestId("indicator-grid")).toBeVisible();
  const bad = "单位,月份,指标,数值\nHALL,2026-12,rework_rate,2.8\n不存在,2026-12,rework_rate,3\n";
  await page.locator("#indicators-file").setInputFiles({ name: "指标.csv", mimeType: "text/csv", buffer: Buffer.from(bad) });
  await page.getByRole("button", { name: "Check the file" }).click();
  await ready(page, info);
  await expect(page.getByTestId("indicators-invalid")).toBeVisible();
  await expect(page.getByTestId("indicators-row")).toHaveCount(2);
  await expect(page.getByTestId("indicators-import")).toHaveCount(0);

  await goto(page, info, "/indicators/grid");
  const good = "单位,月份,指标,数值\n服务大厅,2026年12月,差错返工率,2.8\nCONTRIB,2026-12,rework_rate,3.5\n";
  await page.locator("#indicators-file").setInputFiles({ name: "指标.csv", mimeType: "text/csv", buffer: Buffer.from(good) });
  await page.getByRole("button", { name: "Check the file" }).click();
  await ready(page, info);
  await page.getByTestId("indicators-import").click();
  await expect(page.getByTestId("banner-imported")).toBeVisible();
  await logout(page);

  await login(page, info, DEMO.manager);
  await page.getByTestId("nav-outcomes").click();
  await ready(page, info);
  await page.locator("#indicator").selectOption("rework_rate");
  await page.locator("#course").selectOption({ label: "SI-SYS-101 · 社保经办系统实操" });
  await page.getByTestId("results-filters").getByRole("button").click();
  await ready(page, info);
  await expect(page.getByTestId("results-chart")).toHaveCount(6);
  await expect(page.getByTestId("results-did")).toBeVisible();
  await expect(page.getByTestId("results-did-sentence")).toContainText("After 2026-10 the trained units moved -");
  await expect(page.getByTestId("results-did-sentence")).toContainText("better than the others");
  await logout(page);
});
