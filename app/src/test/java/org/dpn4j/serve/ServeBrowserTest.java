package org.dpn4j.serve;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.dpn4j.testing.Integration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The web page in real headless Chromium (Debian's chromium and chromium-driver; .ci/run installs
 * them): a CamVid val frame uploaded through the file input gives the labels dpn segment writes.
 */
@Integration
class ServeBrowserTest {

  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
  /** Where the screenshot goes (the README's docs/figures/serve.png is a copy of one). */
  static final Path SCREENSHOT = Path.of("app/target/serve-page.png");

  @TempDir Path dir;

  /** Fails in CI (CI=true) when the browser is missing, since .ci/run installs it; elsewhere a reported skip. */
  private static void requireBrowser() {
    boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
    String why = "the browser test needs " + CHROMIUM + " and " + CHROMEDRIVER
        + " (apt-get install chromium chromium-driver; .ci/run does it)";
    if ("true".equals(System.getenv("CI"))) {
      assertTrue(present, why);
    }
    assumeTrue(present, why);
  }

  private static WebDriver chromium() {
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    // CI runs as root, where Chromium's sandbox cannot start; /dev/shm may be small in containers.
    options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1400,1200",
        "--hide-scrollbars");
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
    return new ChromeDriver(service, options);
  }

  @Test
  void aFrameUploadedThroughThePageGetsDpnSegmentsLabels() throws Exception {
    TestData.requireData();
    requireBrowser();
    Path out = dir.resolve("segment");
    TestData.dpn("segment", TestData.FRAME.toString(), "--model", TestData.MODEL.toString(), "--out", out.toString());
    byte[] expected = Files.readAllBytes(out.resolve("0016E5_07959.png"));
    int[] counts = ServeApiTest.labelCounts(expected, 11);
    try (DpnServer server = TestData.server(1, 4, 16 << 20)) {
      WebDriver browser = chromium();
      try {
        browser.get(server.url() + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(180));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#model option[value='camvid']")));
        browser.findElement(By.id("file")).sendKeys(TestData.FRAME.toRealPath().toString());
        wait.until(d -> List.of("done", "error").contains(d.findElement(By.tagName("body")).getAttribute("data-state")));
        assertEquals("done", browser.findElement(By.tagName("body")).getAttribute("data-state"),
            browser.findElement(By.id("status")).getText());

        assertTrue(browser.findElement(By.id("overlay")).isDisplayed(), "the overlay is shown");
        assertTrue(browser.findElement(By.id("overlay-labels")).isDisplayed());
        assertTrue(browser.findElement(By.id("legend")).isDisplayed(), "the legend is shown");
        assertTrue(browser.findElement(By.id("unary")).isDisplayed() && browser.findElement(By.id("photo")).isDisplayed());
        assertArrayEquals(expected, dataUrl(browser.findElement(By.id("labels")).getAttribute("src")),
            "the DPN labels the page shows are dpn segment's NAME.png");
        List<WebElement> rows = browser.findElements(By.cssSelector("#legend tbody tr"));
        assertEquals(11, rows.size());
        for (WebElement row : rows) {
          int id = Integer.parseInt(row.getAttribute("data-id"));
          assertEquals(counts[id], Long.parseLong(row.getAttribute("data-pixels")), "legend, class " + id);
        }
        assertEquals("Road", rows.get(3).findElement(By.className("name")).getText());
        assertTrue(browser.findElement(By.cssSelector("#timings tr[data-step='head']")).getText().endsWith("ms"));

        WebElement slider = browser.findElement(By.id("opacity"));
        ((JavascriptExecutor) browser).executeScript(
            "arguments[0].value = 80; arguments[0].dispatchEvent(new Event('input'));", slider);
        assertEquals("0.8", browser.findElement(By.id("overlay-labels")).getCssValue("opacity"));
        ((JavascriptExecutor) browser).executeScript(
            "arguments[0].value = 60; arguments[0].dispatchEvent(new Event('input'));", slider);

        Files.createDirectories(SCREENSHOT.getParent());
        File shot = ((org.openqa.selenium.TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(shot.toPath(), SCREENSHOT, StandardCopyOption.REPLACE_EXISTING);
        assertTrue(Files.size(SCREENSHOT) > 10_000, "a screenshot was saved");

        Path notAnImage = dir.resolve("notes.png");
        Files.writeString(notAnImage, "not a picture", StandardCharsets.UTF_8);
        browser.findElement(By.id("file")).sendKeys(notAnImage.toRealPath().toString());
        wait.until(d -> "error".equals(d.findElement(By.tagName("body")).getAttribute("data-state")));
        String status = browser.findElement(By.id("status")).getText();
        assertTrue(status.contains("not an image"), status);
        assertFalse(status.contains("Exception"), status);
      } finally {
        browser.quit();
      }
    }
  }

  private static byte[] dataUrl(String src) {
    assertTrue(src.startsWith("data:image/png;base64,"), src.substring(0, Math.min(60, src.length())));
    return Base64.getDecoder().decode(src.substring(src.indexOf(',') + 1));
  }
}
