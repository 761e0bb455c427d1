package dev.gpuplan.web;

import static io.restassured.RestAssured.given;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import dev.gpuplan.access.Roles;
import dev.gpuplan.access.TestTokens;
import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.PlanDiff;
import dev.gpuplan.domain.ReasonCode;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.input.Json;
import dev.gpuplan.input.PortfolioReader;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * The page in a real browser: Debian's Chromium driven by Selenium through Debian's chromedriver (no browser is
 * downloaded). The service is this test's own Quarkus; plans are submitted through the REST API with the example
 * portfolios, and the assertions compare what the page shows (its DOM, and what its charts were given) with what
 * the API says of the same plan. Screenshots land in target/screenshots/. Without Chromium the tests are skipped.
 */
@QuarkusTest
class PageBrowserTest {

    static final Path SCREENSHOTS = Path.of("target/screenshots");
    static final Duration SOLVED_WITHIN = Duration.ofSeconds(120);

    static final org.assertj.core.data.Offset<BigDecimal> TENTH = org.assertj.core.data.Offset.offset(new BigDecimal("0.05"));

    static Chromium browser;
    static ChromeDriver driver;
    static boolean signedIn;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void startBrowser() throws IOException {
        browser = Chromium.start();
        driver = browser.driver;
        Files.createDirectories(SCREENSHOTS);
    }

    @AfterAll
    static void stopBrowser() throws IOException {
        if (browser != null) {
            browser.close();
        }
    }

    // ------------------------------------------------------------------------------------------ the plan view

    @Test
    void planViewDrawsEveryRunTheGaugeAndExplainsAnUnselectedProposal() {
        String id = submit("planning-configs/examples/realistic.yaml", 8000, 3);
        open("/plans/" + id);
        waitForStatus("SOLVED");
        Plan plan = plan(id);
        assertThat(plan.assignments()).isNotEmpty();

        // One bar per assignment, on its pool, at its start: what each pool's chart was given ...
        Map<String, Plan.Assignment> byKey = plan.assignments().stream()
                .collect(Collectors.toMap(Plan.Assignment::proposal, a -> a));
        List<WebElement> figures = driver.findElements(By.cssSelector("#gantts figure.pool"));
        int bars = 0;
        for (WebElement figure : figures) {
            String pool = figure.getAttribute("data-pool");
            String chartId = figure.findElement(By.cssSelector(".gantt")).getAttribute("id");
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> drawn = (List<Map<String, Object>>) js(
                    "return window.gpuplanCharts.get(arguments[0]).getOption().series[0].data"
                            + ".map(d => ({key: d.name, start: d.value[0], end: d.value[1]}));", chartId);
            for (Map<String, Object> bar : drawn) {
                Plan.Assignment assignment = byKey.get((String) bar.get("key"));
                assertThat(assignment).as("bar %s on %s", bar.get("key"), pool).isNotNull();
                assertThat(assignment.pool()).as("pool of %s", bar.get("key")).isEqualTo(pool);
                assertThat(((Number) bar.get("start")).longValue()).as("start of %s", bar.get("key"))
                        .isEqualTo(assignment.start().toEpochMilli());
            }
            assertThat(figure.findElement(By.cssSelector(".count")).getText()).isEqualTo(String.valueOf(drawn.size()));
            bars += drawn.size();
        }
        assertThat(bars).isEqualTo(plan.assignments().size());
        // ... and the runs table, the charts' text alternative.
        List<WebElement> rows = driver.findElements(By.cssSelector(".runs-table tbody tr"));
        assertThat(rows).hasSize(plan.assignments().size());
        for (WebElement row : rows) {
            Plan.Assignment assignment = byKey.get(row.getAttribute("data-proposal"));
            assertThat(row.getAttribute("data-pool")).isEqualTo(assignment.pool());
            assertThat(Instant.parse(row.getAttribute("data-start"))).isEqualTo(assignment.start());
        }

        // The gauge shows the plan's own totals (as written, to the tenth of a GPU-hour and the thousandth of value).
        assertThat(figure("used")).isCloseTo(plan.totals().gpuHours(), TENTH);
        assertThat(figure("budget")).isCloseTo(plan.budgetGpuHours(), TENTH);
        assertThat(figure("reserve")).isCloseTo(plan.budgetGpuHours().subtract(plan.usableGpuHours()), TENTH);
        assertThat(figure("free")).isCloseTo(plan.usableGpuHours().subtract(plan.totals().gpuHours()), TENTH);
        assertThat(figure("expectedValue")).isCloseTo(plan.totals().expectedValue(), org.assertj.core.data.Offset.offset(new BigDecimal("0.0005")));
        screenshot("plan-view");

        // Unselected proposals by reason code; one chosen from the keyboard shows its reason and verified thresholds.
        Plan.Unselected unselected = plan.unselected().stream().filter(u -> u.code() == ReasonCode.BUDGET).findFirst()
                .orElse(plan.unselected().get(0));
        WebElement group = driver.findElement(By.cssSelector("details.reason[data-code='" + unselected.code().name() + "']"));
        if (group.getAttribute("open") == null) {
            group.findElement(By.tagName("summary")).click();
        }
        assertThat(group.findElements(By.cssSelector("button.proposal")))
                .hasSize((int) plan.unselected().stream().filter(u -> u.code().equals(unselected.code())).count());
        new Select(driver.findElement(By.id("resolve-limit"))).selectByValue("1");
        WebElement button = group.findElement(By.cssSelector("button.proposal[data-proposal='" + unselected.proposal() + "']"));
        assertThat(button.findElement(By.xpath("following-sibling::span")).getText()).isEqualTo(unselected.message());
        button.sendKeys(Keys.ENTER);
        WebElement panel = new WebDriverWait(driver, SOLVED_WITHIN).until(
                ExpectedConditions.visibilityOfElementLocated(By.cssSelector("#explain .thresholds, #explain .error")));
        assertThat(driver.findElements(By.cssSelector("#explain .error"))).as("explain failed").isEmpty();
        WebElement explain = driver.findElement(By.id("explain"));
        assertThat(explain.findElement(By.cssSelector(".reasons li[data-code='" + unselected.code().name() + "']")).getText())
                .contains(unselected.code().name());
        assertThat(panel.findElements(By.cssSelector("[data-threshold]"))).extracting(e -> e.getAttribute("data-threshold"))
                .containsExactly("valueAtLeast", "hoursAtMost", "budgetGpuHoursAtLeast");
        screenshot("plan-explain");
    }

    // ------------------------------------------------------------------------------------------ the frontier

    @Test
    void frontierStartedFromThePageDrawsThePointsItReceivesAndOpensTheirPlans() {
        String planId = submit("planning-configs/examples/realistic.yaml", 6000, 1);
        awaitFinished(planId);
        open("/frontiers");
        WebElement form = new WebDriverWait(driver, Duration.ofSeconds(30))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("frontier-form")));
        form.findElement(By.name("budgets")).sendKeys("3000, 6000, 9000, 12000");
        form.findElement(By.name("time")).sendKeys("1");
        new Select(form.findElement(By.name("source"))).selectByValue(planId);
        form.findElement(By.cssSelector("button[type=submit]")).click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.urlMatches("/frontiers/[0-9a-f-]+$"));
        String frontierUrl = driver.getCurrentUrl();
        String frontierId = frontierUrl.substring(frontierUrl.lastIndexOf('/') + 1);
        waitForStatus("SOLVED");

        Map<String, Object> frontier = given().get("/api/frontiers/" + frontierId).then().statusCode(200).extract().as(Map.class);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> points = (List<Map<String, Object>>) frontier.get("points");
        assertThat(points).hasSize(4);
        List<WebElement> rows = driver.findElements(By.cssSelector("table.points tbody tr"));
        assertThat(rows).extracting(r -> new BigDecimal(r.getAttribute("data-budget")))
                .usingElementComparator(BigDecimal::compareTo)
                .containsExactlyElementsOf(points.stream().map(p -> new BigDecimal(p.get("budgetGpuHours").toString())).toList());
        @SuppressWarnings("unchecked")
        List<List<Number>> curve = (List<List<Number>>) js("return window.gpuplanCharts.get('curve').getOption().series[0].data;");
        assertThat(curve).hasSize(points.size());
        for (int i = 0; i < points.size(); i++) {
            assertThat(curve.get(i).get(0).doubleValue()).isEqualTo(Double.parseDouble(points.get(i).get("budgetGpuHours").toString()));
            assertThat(curve.get(i).get(1).doubleValue()).isEqualTo(Double.parseDouble(points.get(i).get("expectedValue").toString()));
        }
        screenshot("frontier");

        // A point opens its plan at its own address; the back button returns to the curve.
        rows.get(1).findElement(By.linkText("open plan")).click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.urlContains("/points/"));
        WebElement pointPlan = new WebDriverWait(driver, Duration.ofSeconds(30))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("point-plan")));
        @SuppressWarnings("unchecked")
        Map<String, Object> pointPlanJson = (Map<String, Object>) points.get(1).get("plan");
        assertThat(pointPlan.findElements(By.cssSelector(".runs-table tbody tr")))
                .hasSize(((List<?>) pointPlanJson.get("assignments")).size());
        driver.navigate().back();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.urlToBe(frontierUrl));
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("table.points tbody tr"), 4));
        assertThat(driver.findElement(By.id("point-plan")).isDisplayed()).isFalse();
    }

    // ------------------------------------------------------------------------------------------ the diff

    @Test
    void diffOfTwoPlansShowsTheAddedRuns() {
        String smaller = submit("planning-configs/examples/realistic.yaml", 3000, 2);
        String larger = submit("planning-configs/examples/realistic.yaml", 9000, 2);
        awaitFinished(smaller);
        awaitFinished(larger);
        PlanDiff diff = given().get("/api/plans/" + smaller + "/diff/" + larger).then().statusCode(200).extract().as(PlanDiff.class);
        assertThat(diff.added()).isNotEmpty();

        // From the list: tick both plans and compare; the diff has its own address.
        open("/");
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("tr[data-plan='" + larger + "'] input[type=checkbox]")));
        driver.findElement(By.cssSelector("tr[data-plan='" + smaller + "'] input[type=checkbox]")).click();
        driver.findElement(By.cssSelector("tr[data-plan='" + larger + "'] input[type=checkbox]")).click();
        driver.findElement(By.id("compare")).click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.urlContains("/plans/" + smaller + "/diff/" + larger));
        WebElement added = new WebDriverWait(driver, Duration.ofSeconds(30))
                .until(ExpectedConditions.visibilityOfElementLocated(By.cssSelector("table[data-kind='added']")));
        assertThat(added.findElements(By.cssSelector("tbody tr[data-proposal]")))
                .extracting(r -> r.getAttribute("data-proposal"))
                .containsExactlyInAnyOrderElementsOf(diff.added().stream().map(Plan.Assignment::proposal).toList());
        assertThat(driver.findElements(By.cssSelector("table[data-kind='removed'] tbody tr[data-proposal]"))).hasSize(diff.removed().size());
        assertThat(driver.findElements(By.cssSelector("table[data-kind='moved'] tbody tr[data-proposal]"))).hasSize(diff.moved().size());
        // The added runs are marked on the later plan's Gantt.
        @SuppressWarnings("unchecked")
        List<String> marked = (List<String>) js("return [...window.gpuplanCharts.entries()].filter(([id]) => id.startsWith('gantt-b-'))"
                + ".flatMap(([, c]) => c.getOption().series[0].data.map(d => d.name));");
        assertThat(marked).containsAll(diff.added().stream().map(Plan.Assignment::proposal).toList());
        screenshot("diff");

        // Back returns to the list.
        driver.navigate().back();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table.plans")));
    }

    // ------------------------------------------------------------------------------------------ runs and ledger

    @Test
    @SuppressWarnings("unchecked")
    void runsViewShowsTheLedgerOfTheApiAndOneRowPerRunAndIsReachableFromTheKeyboard() {
        String id = submit("planning-configs/examples/realistic.yaml", 6000, 2);
        Plan plan = awaitFinished(id);
        assertThat(plan.status()).isEqualTo(Plan.Status.SOLVED);
        given().post("/api/plans/{id}/commit", id).then().statusCode(200).body("planId", org.hamcrest.Matchers.equalTo(id));
        List<Plan.Assignment> byStart = plan.assignments().stream().sorted(Comparator.comparing(Plan.Assignment::start)).toList();
        Plan.Assignment finished = byStart.get(0);
        Plan.Assignment running = byStart.get(1);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        given().contentType(ContentType.JSON).body(List.of(
                        Map.of("type", "STARTED", "at", now.minus(Duration.ofHours(3)).toString()),
                        Map.of("type", "FINISHED", "at", now.minus(Duration.ofHours(1)).toString(), "gpuHours", 7.5)))
                .post("/api/runs/{key}/events", finished.proposal()).then().statusCode(200).body("run.status", org.hamcrest.Matchers.equalTo("FINISHED"));
        given().contentType(ContentType.JSON).body(Map.of("type", "STARTED", "at", now.minus(Duration.ofMinutes(30)).toString()))
                .post("/api/runs/{key}/events", running.proposal()).then().statusCode(200).body("run.status", org.hamcrest.Matchers.equalTo("STARTED"));

        // From the list, the Runs link is reached and followed with the keyboard alone (a view puts the focus on its
        // heading, so the navigation above it is a few Shift+Tab away).
        open("/");
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("table.plans")));
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(d -> "h1".equals(d.switchTo().activeElement().getTagName()));
        WebElement link = tabBackTo(e -> "a".equals(e.getTagName()) && "/runs".equals(e.getDomAttribute("href")), 10);
        Map<String, Object> before = ledger();
        link.sendKeys(Keys.ENTER);
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.presenceOfElementLocated(By.id("ledger-figures")));
        Map<String, Object> after = ledger();
        assertThat(driver.getCurrentUrl()).endsWith("/runs");
        assertThat(driver.switchTo().activeElement().getTagName()).as("focus moves to the view's heading").isEqualTo("h1");

        // The ledger's figures are the API's (a running run's use grows with the clock: between the answers before and after).
        for (String field : List.of("budgetGpuHours", "spentGpuHours", "committedGpuHours", "freeGpuHours", "reserveGpuHours")) {
            BigDecimal shown = new BigDecimal(driver.findElement(By.cssSelector("#ledger-figures [data-ledger='" + field + "']")).getAttribute("data-value"));
            BigDecimal a = new BigDecimal(before.get(field).toString());
            BigDecimal b = new BigDecimal(after.get(field).toString());
            assertThat(shown).as(field).isBetween(a.min(b), a.max(b));
        }
        assertThat(new BigDecimal(before.get("spentGpuHours").toString())).as("the finished run's actual use is spent").isGreaterThanOrEqualTo(new BigDecimal("7.5"));
        assertThat(driver.findElements(By.cssSelector("table.ledger-teams tr[data-team]"))).extracting(e -> e.getAttribute("data-team"))
                .containsExactlyElementsOf(((Map<String, ?>) after.get("perTeam")).keySet());

        // One row per run, with its state, as GET /api/runs lists them.
        List<Map<String, Object>> runs = given().get("/api/runs").then().statusCode(200).extract().jsonPath().getList("$");
        List<WebElement> rows = driver.findElements(By.cssSelector("table.runs-list tbody tr[data-proposal]"));
        assertThat(rows).extracting(r -> r.getAttribute("data-proposal") + " " + r.getAttribute("data-status"))
                .containsExactlyElementsOf(runs.stream().map(r -> r.get("proposal") + " " + r.get("status")).toList());
        assertThat(driver.findElement(By.cssSelector("tr[data-proposal='" + finished.proposal() + "']")).getAttribute("data-status")).isEqualTo("FINISHED");
        assertThat(driver.findElement(By.cssSelector("tr[data-proposal='" + running.proposal() + "']")).getAttribute("data-status")).isEqualTo("STARTED");
        screenshot("runs");

        // The filter is reached from the keyboard too, and its choice becomes the address; back returns to every run.
        WebElement status = tabTo(e -> "status".equals(e.getAttribute("name")), 40);
        status.sendKeys("STARTED");
        tabTo(e -> "submit".equals(e.getAttribute("type")), 5).sendKeys(Keys.ENTER);
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.urlContains("/runs?status=STARTED"));
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(d -> d.findElements(By.cssSelector("table.runs-list tbody tr[data-proposal]")).stream()
                .allMatch(r -> "STARTED".equals(r.getAttribute("data-status"))));
        List<String> started = given().queryParam("status", "STARTED").get("/api/runs").then().statusCode(200).extract().jsonPath().getList("proposal");
        assertThat(driver.findElements(By.cssSelector("table.runs-list tbody tr[data-proposal]"))).extracting(r -> r.getAttribute("data-proposal"))
                .containsExactlyElementsOf(started).contains(running.proposal());
        driver.navigate().back();
        new WebDriverWait(driver, Duration.ofSeconds(10)).until(ExpectedConditions.numberOfElementsToBe(
                By.cssSelector("table.runs-list tbody tr[data-proposal]"), runs.size()));

        // The committed plan's Gantt marks the run that is running; its budget gauge says what the reserve is and why.
        open("/plans/" + id);
        waitForStatus("SOLVED");
        assertThat(driver.findElement(By.cssSelector(".runs-table tbody tr[data-proposal='" + running.proposal() + "'] td.marks")).getAttribute("textContent"))
                .contains("running");
        assertThat(driver.findElement(By.cssSelector(".runs-table tbody tr[data-proposal='" + finished.proposal() + "'] td.marks")).getAttribute("textContent"))
                .doesNotContain("running");
        assertThat(driver.findElements(By.cssSelector("#gantts .legend .swatch.running"))).hasSize(1);
        // (The plan's reserve statement is shown when the API gives one; a plan that lost it falls back to its config.)
        Plan shown = plan(id);
        String why = driver.findElement(By.id("reserve-why")).getText();
        if (shown.reserve() != null) {
            assertThat(why).contains(shown.reserve().statement());
            assertThat(figure("reserve")).isCloseTo(shown.reserve().gpuHours(), TENTH);
        } else {
            assertThat(why).contains("held back by planning config");
            assertThat(figure("reserve")).isCloseTo(shown.budgetGpuHours().subtract(shown.usableGpuHours()), TENTH);
        }
        System.out.println("Reserve of plan " + id + " as the API gives it: " + shown.reserve());
    }

    // ------------------------------------------------------------------------------------------ 2,000 runs

    @Test
    void planViewAtTwoThousandProposalsRendersAndReportsItsTime() {
        String id = submit("planning-configs/examples/large.yaml", null, 4);
        Plan plan = awaitFinished(id);
        open("/plans/" + id);
        waitForStatus(plan.status().name());
        WebElement main = driver.findElement(By.id("main"));
        double fetchedAt = Double.parseDouble(main.getAttribute("data-fetched-at"));
        double renderedAt = Double.parseDouble(main.getAttribute("data-rendered-at"));
        Number domReady = (Number) js("return performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd;");
        System.out.printf("Plan view of the large example (%d runs, %d unselected, %d pools): first render %.0f ms after"
                        + " navigation start (page loaded at %.0f ms, plan and portfolio fetched at %.0f ms, drawn in %.0f ms)%n",
                plan.assignments().size(), plan.unselected().size(), driver.findElements(By.cssSelector("#gantts figure.pool")).size(),
                renderedAt, domReady.doubleValue(), fetchedAt, renderedAt - fetchedAt);
        assertThat(driver.findElements(By.cssSelector(".runs-table tbody tr"))).hasSize(plan.assignments().size());
        screenshot("plan-view-large");
    }

    // ------------------------------------------------------------------------------------------ helpers

    /**
     * Signs the browser in once, through the page: an address that needs credentials leads to the sign-in form,
     * which exchanges a lead's personal token for the session cookie and returns to that address.
     */
    void signIn() {
        if (signedIn) {
            return;
        }
        open("/plans");
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.urlContains("/signin?next=%2Fplans"));
        WebElement form = new WebDriverWait(driver, Duration.ofSeconds(30))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id("sign-in")));
        form.findElement(By.name("token")).sendKeys("gpt_" + "0".repeat(43));
        form.findElement(By.cssSelector("button[type=submit]")).click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("sign-in-error"), "not valid"));
        form.findElement(By.name("token")).clear();
        form.findElement(By.name("token")).sendKeys(TestTokens.create("page-lead", Roles.LEAD, List.of(), Duration.ofHours(2)));
        form.findElement(By.cssSelector("button[type=submit]")).click();
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.urlMatches("/plans$"));
        new WebDriverWait(driver, Duration.ofSeconds(30)).until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "page-lead"));
        org.openqa.selenium.Cookie session = driver.manage().getCookieNamed("gpuplan-session");
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(session.getSameSite()).isEqualToIgnoringCase("Strict");
        assertThat((String) js("return document.cookie;")).doesNotContain("gpuplan-session").contains("gpuplan-csrf");
        signedIn = true;
    }

    /** Presses Tab (at most {@code max} times) until the focused element is the one wanted, and returns it. */
    WebElement tabTo(Predicate<WebElement> wanted, int max) {
        for (int i = 0; i < max; i++) {
            new Actions(driver).sendKeys(Keys.TAB).perform();
            WebElement focused = driver.switchTo().activeElement();
            if (wanted.test(focused)) {
                return focused;
            }
        }
        throw new AssertionError("not reached with " + max + " presses of Tab");
    }

    /** Presses Shift+Tab (at most {@code max} times) until the focused element is the one wanted, and returns it. */
    WebElement tabBackTo(Predicate<WebElement> wanted, int max) {
        for (int i = 0; i < max; i++) {
            new Actions(driver).keyDown(Keys.SHIFT).sendKeys(Keys.TAB).keyUp(Keys.SHIFT).perform();
            WebElement focused = driver.switchTo().activeElement();
            if (wanted.test(focused)) {
                return focused;
            }
        }
        throw new AssertionError("not reached with " + max + " presses of Shift+Tab");
    }

    @SuppressWarnings("unchecked")
    Map<String, Object> ledger() {
        return given().get("/api/budget").then().statusCode(200).extract().as(Map.class);
    }

    /** Starts a plan from an example file with a short time limit; the budget is the file's unless given. */
    String submit(String file, Integer budget, int timeLimitSeconds) {
        Portfolio portfolio = PortfolioReader.read(Path.of(file));
        Map<String, Object> body = new HashMap<>();
        body.put("budgetGpuHours", budget == null ? portfolio.budget().gpuHours() : budget);
        body.put("timeLimitSeconds", timeLimitSeconds);
        body.put("portfolio", Json.read(Json.write(portfolio), Map.class));
        return given().contentType(ContentType.JSON).body(body).post("/api/plans").then().statusCode(202).extract().path("id");
    }

    Plan plan(String id) {
        return Json.read(given().get("/api/plans/" + id).then().statusCode(200).extract().asString(), Plan.class);
    }

    Plan awaitFinished(String id) {
        return Awaitility.await().atMost(SOLVED_WITHIN).pollInterval(Duration.ofMillis(250))
                .until(() -> plan(id), p -> Set.of(Plan.Status.SOLVED, Plan.Status.STOPPED, Plan.Status.FAILED).contains(p.status()));
    }

    void open(String path) {
        if (!signedIn && !path.equals("/plans")) {
            signIn();
        }
        driver.get(base.toString().replaceAll("/$", "") + path);
    }

    void waitForStatus(String status) {
        new WebDriverWait(driver, SOLVED_WITHIN).pollingEvery(Duration.ofMillis(200))
                .until(ExpectedConditions.attributeToBe(By.id("main"), "data-status", status));
    }

    BigDecimal figure(String name) {
        return new BigDecimal(driver.findElement(By.cssSelector("[data-figure='" + name + "']")).getText().replace(",", ""));
    }

    Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    void screenshot(String name) {
        try {
            Path shot = ((TakesScreenshot) driver).getScreenshotAs(OutputType.FILE).toPath();
            Files.copy(shot, SCREENSHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException("could not save the screenshot " + name, e);
        }
    }
}
