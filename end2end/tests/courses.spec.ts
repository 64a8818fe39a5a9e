import path from "node:path";
import { expect, test } from "@playwright/test";
import { DEMO, goto, login, logout, ready } from "./helpers";

test("a trainer builds a course with a lesson and publishes it; staff find it", async ({ page }, info) => {
  const js = info.project.use.javaScriptEnabled !== false;
  const code = js ? "E2E-JS-1" : "E2E-NOJS-1";
  const title = js ? "窗口服务快速入门（JS）" : "窗口服务快速入门（无 JS）";

  await login(page, info, DEMO.trainer);
  await goto(page, info, "/courses");
  await page.getByTestId("new-course").click();
  await ready(page, info);
  const form = page.getByTestId("course-form");
  await form.getByLabel("Course code").fill(code);
  await form.getByLabel("Title", { exact: true }).fill(title);
  await form.getByLabel("Learning hours (学时)").fill("1.5");
  await form.getByLabel("Delivery").selectOption("online");
  await form.getByTestId("save-course").click();
  await expect(page.getByTestId("builder-title")).toHaveText(title);
  await ready(page, info);

  await page.getByLabel("Module title").fill("第一单元");
  await page.getByRole("button", { name: "Add module" }).click();
  await expect(page.getByTestId("module")).toHaveCount(1);
  await ready(page, info);
  await page.getByTestId("module").getByLabel("Lesson title").fill("窗口须知");
  await page.getByRole("button", { name: "Add lesson" }).click();
  await expect(page.getByTestId("lesson-form")).toBeVisible();
  await ready(page, info);
  await page
    .getByLabel("Text (Markdown)")
    .fill("# 窗口须知\n\n- 首问负责\n- 一次性告知\n\n<script>window.hacked = 1</script>");
  await page.getByTestId("save-lesson").click();
  await expect(page.getByTestId("banner-saved")).toBeVisible();
  await ready(page, info);
  // A file that is not what its name says is refused; a real PDF is attached.
  await page.getByLabel("Attach a file").setInputFiles({
    name: "窗口须知.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("MZ not a pdf"),
  });
  await page.getByTestId("attach").click();
  await expect(page.getByTestId("file-error")).toContainText("Only PDF");
  await ready(page, info);
  await page.getByLabel("Attach a file").setInputFiles({
    name: "窗口须知.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.4\n% e2e\n"),
  });
  await page.getByTestId("attach").click();
  await expect(page.getByTestId("banner-attached")).toBeVisible();
  await expect(page.getByTestId("attachment")).toContainText("窗口须知.pdf");
  await ready(page, info);
  await page.getByTestId("preview-lesson").click();
  await expect(page.getByTestId("file-link")).toHaveText("窗口须知.pdf");
  await expect(page.getByTestId("lesson-body").locator("h1")).toHaveText("窗口须知");
  await expect(page.getByTestId("lesson-body").locator("script")).toHaveCount(0);

  // Publishing asks for confirmation first.
  const builder = page.url().replace(/\/lessons\/.*/, "/edit");
  await goto(page, info, builder);

  // A cover: a PDF is refused with the reason; a PNG picture is kept and shown.
  await expect(page.getByTestId("cover-editor")).toContainText("No cover image yet");
  await page.getByLabel("Cover image").setInputFiles({
    name: "封面.pdf",
    mimeType: "application/pdf",
    buffer: Buffer.from("%PDF-1.4\n"),
  });
  await page.getByTestId("upload-cover").click();
  await expect(page.getByTestId("cover-error")).toContainText("must be a PNG or JPEG");
  await ready(page, info);
  await page.getByLabel("Cover image").setInputFiles(path.join(__dirname, "../../server/src/seed/covers/system.png"));
  await page.getByTestId("upload-cover").click();
  await expect(page.getByTestId("banner-cover")).toBeVisible();
  await expect(page.getByTestId("cover-image")).toBeVisible();
  await ready(page, info);

  await page.getByTestId("change-state").click();
  await expect(page.getByTestId("state-form").getByTestId("error-confirm")).toHaveText("This field is required.");
  await ready(page, info);
  await page.getByTestId("state-form").getByLabel("Yes, I am sure").check();
  await page.getByTestId("change-state").click();
  await expect(page.getByTestId("state")).toContainText("Archive");
  await logout(page);

  await login(page, info, DEMO.staff);
  await goto(page, info, `/courses?q=${code}`);
  await page.getByTestId("course-row").getByRole("link", { name: title }).click();
  await expect(page.getByTestId("course-title")).toHaveText(title);
  await expect(page.getByTestId("edit-course")).toHaveCount(0);
  // The cover shows, and the picture itself loads for staff.
  const cover = page.getByTestId("course-cover");
  await expect(cover).toBeVisible();
  await expect.poll(() => cover.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await page.getByTestId("lesson-link").click();
  await expect(page.getByTestId("lesson-title")).toHaveText("窗口须知");
});
