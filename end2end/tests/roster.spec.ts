import { expect, test } from "@playwright/test";
import { DEMO, goto, login } from "./helpers";

test("roster import shows the bad row's error and writes nothing", async ({ page }, info) => {
  await login(page, info, DEMO.admin);
  await goto(page, info, "/admin/roster");
  const csv = [
    "employee_no,name,unit,position,manager,roles",
    "QX9101,测试一,HALL,FRONT_DESK,M0001,staff",
    "QX9102,,NO_SUCH_UNIT,FRONT_DESK,M0001,boss",
  ].join("\n");
  await page.getByLabel("Roster file (CSV)").setInputFiles({
    name: "roster.csv",
    mimeType: "text/csv",
    buffer: Buffer.from(csv, "utf-8"),
  });
  await page.getByRole("button", { name: "Upload and preview" }).click();
  await expect(page.getByTestId("roster-invalid")).toBeVisible();
  const bad = page.getByTestId("roster-row-3");
  await expect(bad).toContainText("This field is required.");
  await expect(bad).toContainText("“NO_SUCH_UNIT” was not found.");
  await expect(bad).toContainText("“boss” is not a role");
  await expect(page.getByTestId("roster-import")).toHaveCount(0);

  await goto(page, info, "/admin/people?q=QX9101");
  await expect(page.getByTestId("people-empty")).toBeVisible();
});

test("admin adds a unit with a validation message first", async ({ page }, info) => {
  await login(page, info, DEMO.admin);
  await goto(page, info, "/admin/units");
  const form = page.getByTestId("unit-form");
  const code = `T${info.project.name === "js" ? "J" : "N"}${Date.now() % 100000}`;
  await form.getByLabel("Code").fill("HALL");
  await form.getByLabel("Name").fill("重复编码");
  await form.getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("error-code")).toHaveText("This is already in use.");
  await page.getByTestId("unit-form").getByLabel("Code").fill(code);
  await page.getByTestId("unit-form").getByLabel("Name").fill(`培训测试组 ${code}`);
  await page.getByTestId("unit-form").getByRole("button", { name: "Save" }).click();
  await expect(page.getByTestId("units-table")).toContainText(code);
});
