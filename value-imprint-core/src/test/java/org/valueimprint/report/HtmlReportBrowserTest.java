package org.valueimprint.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.valueimprint.data.Side;

/**
 * The HTML pages in a real browser: the system's headless Chromium driven by the system's chromedriver (Debian
 * packages {@code chromium} and {@code chromium-driver}; both binaries are named, so Selenium never looks for or
 * downloads a driver). Each page must load with no console error and no network request, show its charts (one bar
 * per value and side) and its key numbers. Screenshots are saved under {@code target/test-artifacts/}.
 *
 * <p>Skipped, with a message saying what to install, when either binary is missing.
 */
class HtmlReportBrowserTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Path ARTIFACTS = Path.of("target", "test-artifacts");
    private static final int WIDTH = 1280;

    private static ChromeDriver driver;
    private static Path profile;

    /** Skips each test (reported as skipped, with the message) when a binary is missing; else starts the browser. */
    @BeforeEach
    void browser() throws IOException {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER),
                "headless Chromium test skipped: " + CHROMIUM + " or " + CHROMEDRIVER + " is missing (install the"
                        + " Debian packages chromium and chromium-driver:"
                        + " apt-get install -y chromium chromium-driver)");
        if (driver == null) {
            startBrowser();
        }
    }

    private static void startBrowser() throws IOException {
        Files.createDirectories(ARTIFACTS);
        profile = Files.createTempDirectory("vi-chromium-profile");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--no-first-run", "--user-data-dir=" + profile.toAbsolutePath(), "--window-size=" + WIDTH + ",900");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        driver = new ChromeDriver(service, options);
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (profile != null) {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).map(Path::toFile).forEach(File::delete);
            }
        }
    }

    @Test
    void auditReportLoadsCleanlyWithItsChartsAndNumbers() throws IOException {
        AuditReport r = ReportFixtures.hhRlhfAudit();
        Path file = ARTIFACTS.resolve("report.html");
        HtmlReport.write(r, file);
        load(file);

        assertThat(severeConsoleMessages()).isEmpty();
        assertThat(resourceRequests()).isZero();
        assertThat(Files.readString(file)).doesNotContainPattern("(?i)https?://");

        assertThat(number("return document.querySelectorAll('#values-chart rect.bar').length")).isEqualTo(14);
        assertThat(number("return document.querySelectorAll('#values-chart rect.bar[data-series=chosen]')"
                + ".length")).isEqualTo(7);
        assertThat(number("return document.querySelectorAll('#values-chart rect.bar[data-series=rejected]')"
                + ".length")).isEqualTo(7);
        // every bar is drawn: it has a rendered box, and a tooltip
        assertThat(number("return [...document.querySelectorAll('#values-chart rect.bar')]"
                + ".filter(b => b.getBBox().height > 0 && b.querySelector('title')).length")).isEqualTo(14);
        assertThat(number("return document.querySelectorAll('svg.chart > title').length")).isEqualTo(
                number("return document.querySelectorAll('svg.chart').length"));
        assertThat(number("return document.images.length")).isZero();

        String text = (String) js("return document.body.innerText");
        SideSummary chosen = r.side(Side.CHOSEN).orElseThrow();
        for (ValueShare v : chosen.values()) {
            assertThat(text).contains(Formats.percent(v.share()) + "\t" + Formats.interval(v.ciLow(), v.ciHigh()));
        }
        assertThat(text).contains("Records audited", Formats.count(r.accounting().recordsAudited()),
                Formats.count(r.pairs().orElseThrow().pairs()) + " pairs had both sides classified",
                "harmless-base/test", "helpful-base/test", "keyword-test-1");
        // nothing is wider than the window
        assertThat(number("return document.documentElement.scrollWidth")).isLessThanOrEqualTo(WIDTH);
        screenshot("report.png");
    }

    /**
     * Five sources with long file names (the bundled hh-rlhf folder) in a 1,400-pixel window: every table fits the
     * page, none hides columns behind a scroll bar.
     */
    @Test
    void everyTableFitsA1400PixelWindow() throws IOException {
        Path file = ARTIFACTS.resolve("report-five-sources.html");
        HtmlReport.write(ReportFixtures.fiveSourceAudit(), file);
        load(file, 1400);
        assertThat(number("return document.querySelectorAll('#sources table th[scope=col]').length"))
                .isGreaterThanOrEqualTo(2 * 6);
        assertThat(number("return document.documentElement.scrollWidth")).isLessThanOrEqualTo(1400);
        assertThat(js("return [...document.querySelectorAll('table')].filter(t => t.getBoundingClientRect().right"
                + " > document.querySelector('main').getBoundingClientRect().right + 1).map(t => t.id || t"
                + ".querySelector('caption')?.textContent)")).asList().isEmpty();
        assertThat(js("return [...document.querySelectorAll('div.wide')].filter(d => d.scrollWidth > d.clientWidth"
                + " + 1).map(d => d.firstElementChild.id)")).asList().isEmpty();
    }

    @Test
    void hostileDataStaysText() throws IOException {
        Path file = ARTIFACTS.resolve("report-hostile.html");
        HtmlReport.write(ReportFixtures.hostileAudit(), file);
        load(file);
        assertThat(severeConsoleMessages()).isEmpty();
        assertThat(resourceRequests()).isZero();
        assertThat(number("return document.scripts.length")).isZero();
        assertThat(number("return document.images.length")).isZero();
        // the only b elements are the page's own two in the headline; no i element at all
        assertThat(number("return document.querySelectorAll('b').length")).isEqualTo(2);
        assertThat(number("return document.querySelectorAll('p.meta b').length")).isEqualTo(2);
        assertThat(number("return document.querySelectorAll('i').length")).isZero();
        // the markup of the data reads as text on the page
        assertThat((String) js("return document.title")).isEqualTo("Value audit: " + ReportFixtures.HOSTILE_NAME);
        assertThat((String) js("return document.body.textContent")).contains("<script>alert(\"x\")</script>",
                "https://evil.example/page", ReportFixtures.HOSTILE_LABEL);
        assertThat(number("return document.querySelectorAll('#values-chart rect.bar').length")).isEqualTo(3 * 2);
    }

    @Test
    void multiLabelReportShowsItsTablesAndFitsTheWindow() throws IOException {
        org.valueimprint.taxonomy.ValueTaxonomy t = org.valueimprint.taxonomy.ValueTaxonomy.builder("ml")
                .version("1").name("ML").multiLabel(true)
                .addValue(new org.valueimprint.taxonomy.HumanValue("care", "Care", "Caring."))
                .addValue(new org.valueimprint.taxonomy.HumanValue("fairness", "Fairness", "Fair."))
                .addValue(new org.valueimprint.taxonomy.HumanValue("liberty", "Liberty", "Free."))
                .build();
        var acc = new org.valueimprint.audit.AuditAccumulator(t,
                java.util.EnumSet.of(org.valueimprint.data.Side.CHOSEN, org.valueimprint.data.Side.REJECTED), 0.5, 1);
        var source = new org.valueimprint.data.RecordSource("s", "s.jsonl", 0, 1);
        java.util.Random random = new java.util.Random(3);
        for (int i = 0; i < 50; i++) {
            var pair = org.valueimprint.data.PreferencePair.of("r" + i, source,
                    org.valueimprint.data.Conversation.user("q"), org.valueimprint.data.Conversation.assistant("a"),
                    org.valueimprint.data.Conversation.assistant("b"));
            java.util.Map<org.valueimprint.data.Side, org.valueimprint.audit.ClassifiedText> texts =
                    new java.util.EnumMap<>(org.valueimprint.data.Side.class);
            for (var side : java.util.List.of(org.valueimprint.data.Side.CHOSEN, org.valueimprint.data.Side.REJECTED)) {
                double[] p = {random.nextDouble(), random.nextDouble(), random.nextDouble()};
                texts.put(side, new org.valueimprint.audit.ClassifiedText(
                        org.valueimprint.classify.ValuePrediction.of(t, p), 10, false));
            }
            acc.add(pair, texts);
        }
        AuditReport r = acc.toReport("multi-label", t, java.util.Optional.empty(), ReportFixtures.hhRlhfAudit()
                .provenance());
        Path file = ARTIFACTS.resolve("multi-label.html");
        HtmlReport.write(r, file);
        load(file);
        assertThat(severeConsoleMessages()).isEmpty();
        assertThat(resourceRequests()).isZero();
        assertThat(number("return document.querySelectorAll('#carried-chosen tbody tr').length")).isEqualTo(3);
        assertThat(number("return document.querySelectorAll('#cooccurrence-rejected tbody td').length")).isEqualTo(9);
        assertThat(number("return document.querySelectorAll('#carried-pairs tbody tr').length")).isEqualTo(3);
        String text = (String) js("return document.getElementById('multi-label').innerText");
        assertThat(text).contains("do not sum to 100%", "Care", "Fairness", "Liberty");
        assertThat(number("return document.documentElement.scrollWidth")).isLessThanOrEqualTo(WIDTH);
        screenshot("multi-label.png");
    }

    @Test
    void comparisonLoadsCleanly() throws IOException {
        AuditComparison c = HtmlReportTest.comparison();
        Path file = ARTIFACTS.resolve("comparison.html");
        HtmlReport.write(c, file);
        load(file);
        assertThat(severeConsoleMessages()).isEmpty();
        assertThat(resourceRequests()).isZero();
        assertThat(number("return document.querySelectorAll('#comparison-chart rect.bar').length")).isEqualTo(21);
        assertThat(number("return document.querySelectorAll('#differences-chart g.point').length")).isEqualTo(14);
        String text = (String) js("return document.body.innerText");
        assertThat(text).contains(Formats.decimal(c.homogeneity().test().statistic(), 2),
                Formats.decimal(c.divergences().get(0).jensenShannon(), 4), "hh-rlhf test", "alpaca-gpt4");
        assertThat(number("return document.documentElement.scrollWidth")).isLessThanOrEqualTo(WIDTH);
        screenshot("comparison.png");
    }

    /**
     * The checks are real: a page that tries to load an image by URL is blocked by its policy, and the attempt shows
     * as a console error and as a resource entry.
     */
    @Test
    void anExternalReferenceIsBlockedAndShowsAsAConsoleError() throws IOException {
        String html = HtmlReport.render(ReportFixtures.fromCounts("control", ReportFixtures.ALPACA, 0, "m"))
                .replace("</main>", "<img src=\"https://img.example/pixel.png\" alt=\"external\"></main>");
        Path file = ARTIFACTS.resolve("control-external-image.html");
        Files.writeString(file, html);
        load(file);
        assertThat(severeConsoleMessages()).anySatisfy(m -> assertThat(m).contains("Content Security Policy"));
        // Chromium records the blocked attempt as a resource entry too: both checks catch it
        assertThat(resourceRequests()).isEqualTo(1);
    }

    private static void load(Path file) {
        load(file, WIDTH);
    }

    private static void load(Path file, int width) {
        driver.manage().window().setSize(new Dimension(width, 900));
        driver.manage().logs().get(LogType.BROWSER); // drop what earlier pages logged
        driver.get(file.toAbsolutePath().toUri().toString());
        assertThat((String) js("return document.readyState")).isEqualTo("complete");
    }

    private static List<String> severeConsoleMessages() {
        return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .toList();
    }

    private static long resourceRequests() {
        return number("return performance.getEntriesByType('resource').length");
    }

    private static Object js(String script) {
        return ((JavascriptExecutor) driver).executeScript(script);
    }

    private static long number(String script) {
        return ((Number) js(script)).longValue();
    }

    /** Saves a screenshot of the whole page, every {@code <details>} opened, as a test artifact. */
    private static void screenshot(String name) throws IOException {
        js("document.querySelectorAll('details').forEach(d => d.open = true)");
        long height = Math.min(30_000, number("return document.documentElement.scrollHeight"));
        Map<String, Object> shot = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true, "clip", Map.of("x", 0, "y", 0, "width", WIDTH, "height", height,
                        "scale", 1)));
        Files.write(ARTIFACTS.resolve(name), Base64.getDecoder().decode((String) shot.get("data")));
    }
}
