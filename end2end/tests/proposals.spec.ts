import { expect, test } from "@playwright/test";
import { DEMO, goto, login } from "./helpers";

test("the manager reads a proposal's reason and accepts it for his unit", async ({ page }, info) => {
  // Each project ticks a different row, so the two never decide the same one.
  const row = info.project.use.javaScriptEnabled === false ? 1 : 0;
  await login(page, info, DEMO.manager);
  await page.getByTestId("nav-proposals").click();
  await expect(page.getByTestId("proposals")).toBeVisible();
  const proposal = page.getByTestId("proposal").nth(row);
  // The reason says where the current level comes from.
  await expect(proposal).toContainText("the position needs");
  await expect(proposal).toContainText("framework v");
  await proposal.getByRole("checkbox").check();
  await page.getByLabel("Due date for accepted courses").fill("2027-03-31");
  await page.getByTestId("accept").click();
  await expect(page.getByTestId("proposals-notice")).toHaveText("1 proposals decided.");
  await goto(page, info, "/proposals?status=accepted");
  await expect(page.getByTestId("proposal").first()).toContainText("Due");
});
