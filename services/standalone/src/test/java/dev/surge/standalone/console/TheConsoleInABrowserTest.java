package dev.surge.standalone.console;

import dev.surge.standalone.AllInOne;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The console, in a real browser, against the whole platform running as the all-in-one process runs it: a service
 * shows ready; a job enqueued from the form runs to completion before the operator's eyes, its page linking to its
 * trace in the configured trace viewer; a queue pauses and
 * resumes from the keyboard; an operator scales a service's instances and sees the count change; a product created shows in the list;
 * an order placed from the form is counted, beside the orders not yet fulfilled; what an API refuses is said where
 * the action was taken, its problem's title and detail; writes need the key, which the page keeps in the tab. The page logs no error in the
 * browser's console, and each view is photographed into target/console-screenshots.
 */
class TheConsoleInABrowserTest {

  private static final String KEY = "console-test-key-0123456789";
  private static final String TRACE_VIEWER = "http://traces.invalid/trace/";

  private static AllInOne platform;
  private static Browser browser;
  private static String console;

  @BeforeAll
  static void start() throws Exception {
    String digest = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
      .digest(KEY.getBytes(StandardCharsets.UTF_8)));
    int admin = dev.surge.net.FreePorts.pick();
    platform = AllInOne.start(Map.of("gateway.apiKeys", digest, "gateway.operatorKeys", digest,
      "gateway.adminPort", admin, "gateway.traceViewer", TRACE_VIEWER + "{traceId}"),
      Map.of("admin.port", admin, "tracing.enabled", true, "tracing.samplingRatio", 1.0,
        "tracing.endpoint", "http://127.0.0.1:9/v1/traces"));
    browser = Browser.open();
    console = "http://127.0.0.1:" + platform.gateway.port() + "/";
    browser.go(console);
    browser.find("#api-key").sendKeys(KEY);
    browser.find("#key-form button[type=submit]").click();
    browser.until(5, ExpectedConditions.textToBe(By.id("key-state"), "a key is set"));
  }

  @AfterAll
  static void stop() {
    if (browser != null) {
      browser.close();
    }
    if (platform != null) {
      platform.close();
    }
  }

  @AfterEach
  void theBrowserLoggedNoError() {
    assertThat(browser.errors()).as("errors in the browser's console").isEmpty();
  }

  @Test
  void theOverviewShowsEachServiceReadyWithItsFigures() {
    browser.go(console);
    assertThat(browser.driver().getCurrentUrl()).contains("/console/");
    for (String service : new String[] {"catalog", "orders", "jobs"}) {
      browser.until(15, ExpectedConditions.textToBePresentInElementLocated(
        By.cssSelector("tr[data-service=" + service + "] td.state"), "ready"));
    }
    browser.until(15, d -> !browser.all("figure.chart[data-service=catalog] canvas").isEmpty());
    browser.until(15, d -> !browser.find("tr[data-service=catalog] td:nth-child(4)").getText().equals("–"));
    assertThat(browser.find("tr[data-service=jobs] td.instances").getText()).contains("serving");
    browser.screenshot("overview");
  }

  @Test
  void aJobEnqueuedFromTheFormRunsToCompletionOnItsPage() {
    browser.go(console + "console/#/jobs");
    browser.until(10, ExpectedConditions.presenceOfElementLocated(By.cssSelector("#enqueue-queue option")));
    new Select(browser.find("#enqueue-type")).selectByValue("sleep");
    WebElement args = browser.find("#enqueue-args");
    args.clear();
    args.sendKeys("{\"ms\": 1500, \"steps\": 3}");
    browser.find("#enqueue button[type=submit]").click();
    WebElement link = browser.until(10, ExpectedConditions.elementToBeClickable(By.cssSelector("a.enqueued")));
    String id = link.getText();
    browser.screenshot("jobs");
    link.click();

    browser.until(10, ExpectedConditions.urlContains("#/jobs/" + id));
    browser.until(20, ExpectedConditions.textToBePresentInElementLocated(By.id("job-live"), "completed"));
    browser.until(10, ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("pre.result"), "sleptMs"));
    assertThat(browser.find("progress").getDomProperty("value")).isEqualTo("100");
    WebElement trace = browser.until(10, ExpectedConditions.presenceOfElementLocated(By.cssSelector("a.trace")));
    assertThat(trace.getDomAttribute("href")).as("the job's trace in the configured viewer")
      .matches(java.util.regex.Pattern.quote(TRACE_VIEWER) + "[0-9a-f]{32}");
    browser.screenshot("job");
  }

  @Test
  void aQueuePausesAndResumesFromItsRow() {
    browser.go(console + "console/#/jobs");
    WebElement pause = browser.until(10, ExpectedConditions.elementToBeClickable(
      By.cssSelector("tr[data-queue=default] button.pause")));
    pause.sendKeys(Keys.ENTER); // from the keyboard
    browser.until(10, ExpectedConditions.textToBePresentInElementLocated(
      By.cssSelector("tr[data-queue=default] td.paused"), "paused"));
    WebElement resume = browser.until(10, ExpectedConditions.elementToBeClickable(
      By.cssSelector("tr[data-queue=default] button.resume")));
    assertThat(browser.driver().switchTo().activeElement()).as("the focus follows to the row's new button")
      .isEqualTo(resume);
    resume.sendKeys(Keys.ENTER);
    browser.until(10, ExpectedConditions.textToBePresentInElementLocated(
      By.cssSelector("tr[data-queue=default] td.paused"), "running"));
  }

  @Test
  void anOperatorScalesAServicesInstancesAndSeesTheCountChange() {
    browser.go(console + "console/#/instances");
    By jobsHttp = By.cssSelector("section[data-service=jobs] tr[data-verticle='jobs.http']");
    By count = new By.ByCssSelector("section[data-service=jobs] tr[data-verticle='jobs.http'] td.count");
    browser.until(15, ExpectedConditions.textToBe(count, "2"));
    browser.driver().findElement(jobsHttp).findElement(By.cssSelector("button.more")).click();
    browser.until(20, ExpectedConditions.textToBe(count, "3"));
    browser.screenshot("instances");
    browser.driver().findElement(jobsHttp).findElement(By.cssSelector("button.less")).click();
    browser.until(20, ExpectedConditions.textToBe(count, "2"));
  }

  @Test
  void aProductCreatedShowsInTheListAndARefusalIsSaidBesideTheForm() {
    browser.go(console + "console/#/shop");
    browser.until(10, ExpectedConditions.presenceOfElementLocated(By.id("create-product")));
    fillProduct("CONSOLE-1", "Made in the console");
    browser.until(10, ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#create-product .done"),
      "created"));
    browser.until(10, ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("table[aria-label=Products]"),
      "Made in the console"));
    browser.screenshot("shop");

    fillProduct("CONSOLE-1", "The same SKU again");
    WebElement refusal = browser.until(10, ExpectedConditions.visibilityOfElementLocated(
      By.cssSelector("#create-product [role=alert].problem")));
    assertThat(refusal.getText()).as("the problem's title and detail").contains("Conflict")
      .contains("A product with this sku already exists");
    assertThat(browser.errors()).as("only the refused write's 409, which the browser logs as a failed load")
      .allMatch(e -> e.contains("status of 409"));
  }

  @Test
  void anOrderPlacedFromTheFormIsCountedAsPlacedBesideThePendingOnes() {
    browser.go(console + "console/#/shop");
    browser.until(10, ExpectedConditions.presenceOfElementLocated(By.id("create-product")));
    fillProduct("CONSOLE-ORDER", "Ordered in the console");
    WebElement made = browser.until(10, ExpectedConditions.visibilityOfElementLocated(
      By.cssSelector("#create-product .done")));
    browser.until(10, ExpectedConditions.textToBePresentInElement(made, "created"));
    String product = made.getText().replaceAll("\\D+", "");

    WebElement form = browser.find("#place-order");
    form.findElement(By.name("productId")).sendKeys(product);
    form.findElement(By.cssSelector("button[type=submit]")).click();
    browser.until(10, ExpectedConditions.textToBePresentInElementLocated(By.xpath("//form[@id='place-order']/.."),
      "placed (pending)"));
    browser.until(15, d -> browser.find("#order-counters [data-outcome=placed] .value").getText()
      .matches("0*[1-9]\\d*")); // at least one
    browser.until(15, d -> browser.find("#order-counters [data-outcome=pending] .value").getText().matches("\\d+"));
    browser.screenshot("orders");
  }

  @Test
  void withoutTheKeyAWriteIsRefusedAndTheRefusalSaysWhy() {
    browser.go(console + "console/#/jobs");
    browser.find("#key-forget").click();
    try {
      browser.until(10, ExpectedConditions.presenceOfElementLocated(By.cssSelector("#enqueue-queue option")));
      new Select(browser.find("#enqueue-type")).selectByValue("noop");
      browser.find("#enqueue button[type=submit]").click();
      WebElement refusal = browser.until(10, ExpectedConditions.visibilityOfElementLocated(
        By.cssSelector("#enqueue [role=alert].problem")));
      assertThat(refusal.getText()).contains("API key required");
      assertThat(browser.driver().manage().getCookies()).as("the key is in no cookie").isEmpty();
    } finally {
      browser.find("#api-key").sendKeys(KEY);
      browser.find("#key-form button[type=submit]").click();
      assertThat(browser.errors()).as("only the refused write's 401, which the browser logs as a failed load")
        .allMatch(e -> e.contains("status of 401"));
    }
  }

  private static void fillProduct(String sku, String name) {
    for (String field : new String[] {"sku", "name", "price", "stock"}) {
      browser.find("#product-" + field).clear();
    }
    browser.find("#product-sku").sendKeys(sku);
    browser.find("#product-name").sendKeys(name);
    browser.find("#product-price").sendKeys("1250");
    browser.find("#product-stock").sendKeys("7");
    browser.find("#create-product button[type=submit]").click();
  }
}
