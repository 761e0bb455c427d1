package dev.gpuplan.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import javax.xml.parsers.DocumentBuilderFactory;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import com.fasterxml.jackson.databind.JsonNode;

import dev.gpuplan.domain.Plan;
import dev.gpuplan.domain.PlanDiff;
import dev.gpuplan.input.Json;

/** {@code gpuplan explain}, {@code frontier} and {@code diff}, run in-process on the small example. */
class ExplainFrontierDiffCommandsTest {

    private static final String SMALL = "planning-configs/examples/small.yaml";

    private static Gpuplan.Result gpuplan(String... args) {
        return Gpuplan.run(args);
    }

    /**
     * tokenizer-v2 (8 a100 GPUs for 10 hours, 80 GPU-hours, value 10) is left out of the small example: the best plan
     * spends 364 of the 380 usable GPU-hours on runs worth more per GPU-hour.
     */
    @Test
    void explainJsonPrintsTheExplanationShape() throws Exception {
        Gpuplan.Result result = gpuplan("explain", SMALL, "tokenizer-v2", "--time-limit", "2s", "--resolve-limit", "1s", "--json");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
        assertThat(result.err()).contains("Solving the portfolio...").contains("Verifying what would change the decision for tokenizer-v2");
        JsonNode json = Json.mapper().readTree(result.out());
        assertThat(fieldNames(json)).containsExactlyInAnyOrder("proposal", "selected", "reasons", "wouldBeSelectedIf", "displaces");
        assertThat(json.get("proposal").asText()).isEqualTo("tokenizer-v2");
        assertThat(json.get("selected").isBoolean()).isTrue();
        assertThat(json.get("selected").asBoolean()).isFalse();
        assertThat(json.get("reasons").isArray()).isTrue();
        assertThat(json.get("reasons")).hasSize(1);
        JsonNode reason = json.get("reasons").get(0);
        assertThat(fieldNames(reason)).containsExactlyInAnyOrder("proposal", "code", "message", "details");
        assertThat(reason.get("proposal").asText()).isEqualTo("tokenizer-v2");
        assertThat(reason.get("code").asText()).isEqualTo("BUDGET");
        JsonNode details = reason.get("details");
        BigDecimal used = details.get("usedGpuHours").decimalValue();
        BigDecimal usable = details.get("budgetGpuHours").decimalValue();
        BigDecimal needs = details.get("needsGpuHours").decimalValue();
        assertThat(usable).isEqualByComparingTo("380");
        assertThat(needs).isEqualByComparingTo("80");
        assertThat(used.add(needs)).isGreaterThan(usable);
        assertThat(reason.get("message").asText()).startsWith("the plan uses " + used.toPlainString() + " GPU-hours of 380 GPU-hours; this needs 80 GPU-hours");
        assertThat(details.get("competesWith").isArray()).isTrue();
        assertThat(json.get("wouldBeSelectedIf").isObject()).isTrue();
        assertThat(fieldNames(json.get("wouldBeSelectedIf"))).isNotEmpty()
                .isSubsetOf("valueAtLeast", "hoursAtMost", "budgetGpuHoursAtLeast");
        json.get("wouldBeSelectedIf").forEach(threshold -> assertThat(threshold.isNumber()).as(threshold.toString()).isTrue());
        assertThat(json.get("displaces").isArray()).isTrue();
        json.get("displaces").forEach(key -> assertThat(key.isTextual()).isTrue());
    }

    @Test
    void explainOfAnUnknownProposalIsBadInput() {
        Gpuplan.Result result = gpuplan("explain", SMALL, "no-such-run", "--time-limit", "1s");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).contains(SMALL).contains("no-such-run");
        assertThat(result.out()).isEmpty();
    }

    @Test
    void frontierJsonPrintsPointsAndWritesAnSvg(@TempDir Path dir) throws Exception {
        Path svg = dir.resolve("frontier.svg");

        Gpuplan.Result result = gpuplan("frontier", SMALL, "--budgets", "100,200,400", "--time-limit", "1s", "--svg", svg.toString(), "--json");

        assertThat(result.exitCode()).as(result.err()).isEqualTo(ExitCodes.OK);
        assertThat(result.err()).contains("Wrote " + svg);
        JsonNode points = Json.mapper().readTree(result.out()).get("points");
        assertThat(points).hasSize(3);
        List<BigDecimal> budgets = new ArrayList<>();
        List<BigDecimal> values = new ArrayList<>();
        for (JsonNode point : points) {
            budgets.add(point.get("budgetGpuHours").decimalValue());
            values.add(point.get("expectedValue").decimalValue());
            Plan plan = Json.mapper().treeToValue(point.get("plan"), Plan.class);
            assertThat(plan.feasible()).isTrue();
            assertThat(plan.budgetGpuHours()).isEqualByComparingTo(point.get("budgetGpuHours").decimalValue());
            assertThat(plan.totals().expectedValue()).isEqualByComparingTo(point.get("expectedValue").decimalValue());
            assertThat(point.get("selected").asInt()).isEqualTo(plan.assignments().size());
        }
        assertThat(budgets).extracting(BigDecimal::toPlainString).containsExactly("100", "200", "400");
        assertThat(values.get(1)).isGreaterThanOrEqualTo(values.get(0));
        assertThat(values.get(2)).isGreaterThanOrEqualTo(values.get(1));
        assertThat(points.get(0).get("marginalValuePerGpuHour").isNull()).isTrue();
        assertThat(points.get(1).get("marginalValuePerGpuHour").decimalValue())
                .isEqualByComparingTo(values.get(1).subtract(values.get(0)).divide(new BigDecimal("100"), 6, java.math.RoundingMode.HALF_UP));

        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        Document document = factory.newDocumentBuilder().parse(svg.toFile());
        Element root = document.getDocumentElement();
        assertThat(root.getLocalName()).isEqualTo("svg");
        assertThat(root.getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
        List<String> texts = texts(document.getElementsByTagNameNS("*", "text"));
        assertThat(texts).contains("Budget (GPU-hours)", "Expected value", "Expected value vs GPU-hour budget: small.yaml");
        NodeList circles = document.getElementsByTagNameNS("*", "circle");
        assertThat(circles.getLength()).isEqualTo(3);
        for (int i = 0; i < circles.getLength(); i++) {
            NodeList titles = ((Element) circles.item(i)).getElementsByTagNameNS("*", "title");
            assertThat(titles.getLength()).as("title of point %d", i).isEqualTo(1);
            assertThat(titles.item(0).getTextContent()).startsWith("budget " + budgets.get(i).toPlainString() + " GPU-h: expected value "
                    + values.get(i).toPlainString() + ", " + points.get(i).get("selected").asInt() + " runs");
        }
        assertThat(document.getElementsByTagNameNS("*", "polyline").getLength()).isEqualTo(1);
    }

    @Test
    void frontierRefusesBadBudgets() {
        Gpuplan.Result result = gpuplan("frontier", SMALL, "--budgets", "0,100", "--time-limit", "1s");

        assertThat(result.exitCode()).isEqualTo(ExitCodes.BAD_INPUT);
        assertThat(result.err()).contains("--budgets").contains("'0,100'");
    }

    @Test
    void diffComparesTwoPlansWrittenBySolveJson(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        Gpuplan.Result solvedA = gpuplan("solve", SMALL, "--budget", "150", "--time-limit", "1s", "--json");
        Gpuplan.Result solvedB = gpuplan("solve", SMALL, "--budget", "400", "--time-limit", "1s", "--json");
        assertThat(solvedA.exitCode()).as(solvedA.err()).isEqualTo(ExitCodes.OK);
        assertThat(solvedB.exitCode()).as(solvedB.err()).isEqualTo(ExitCodes.OK);
        Files.writeString(a, solvedA.out());
        Files.writeString(b, solvedB.out());
        Plan planA = Json.mapper().readValue(solvedA.out(), Plan.class);
        Plan planB = Json.mapper().readValue(solvedB.out(), Plan.class);
        Set<String> keysA = keys(planA);
        Set<String> keysB = keys(planB);
        List<String> added = planB.assignments().stream().map(Plan.Assignment::proposal).filter(k -> !keysA.contains(k)).toList();
        List<String> removed = planA.assignments().stream().map(Plan.Assignment::proposal).filter(k -> !keysB.contains(k)).toList();
        assertThat(added).as("150 GPU-hours hold fewer runs than 400").isNotEmpty();

        Gpuplan.Result text = gpuplan("diff", a.toString(), b.toString());
        Gpuplan.Result json = gpuplan("diff", a.toString(), b.toString(), "--json");

        assertThat(text.exitCode()).as(text.err()).isEqualTo(ExitCodes.OK);
        BigDecimal valueChange = planB.totals().expectedValue().subtract(planA.totals().expectedValue());
        BigDecimal hoursChange = planB.totals().gpuHours().subtract(planA.totals().gpuHours());
        int runsChange = planB.assignments().size() - planA.assignments().size();
        assertThat(text.out().lines().findFirst().orElseThrow()).isEqualTo(String.format("From %s to %s: expected value %s%s, GPU-hours %s%s, runs %+d",
                a, b, valueChange.signum() >= 0 ? "+" : "", valueChange.stripTrailingZeros().toPlainString(),
                hoursChange.signum() >= 0 ? "+" : "", hoursChange.stripTrailingZeros().toPlainString(), runsChange));
        for (String key : added) {
            assertThat(text.out()).containsPattern("(?m)^  \\+ " + java.util.regex.Pattern.quote(key) + " ");
        }
        for (String key : removed) {
            assertThat(text.out()).containsPattern("(?m)^  - " + java.util.regex.Pattern.quote(key) + " ");
        }

        assertThat(json.exitCode()).as(json.err()).isEqualTo(ExitCodes.OK);
        PlanDiff diff = Json.mapper().readValue(json.out(), PlanDiff.class);
        assertThat(diff.added()).extracting(Plan.Assignment::proposal).containsExactlyElementsOf(added);
        assertThat(diff.removed()).extracting(Plan.Assignment::proposal).containsExactlyElementsOf(removed);
        List<String> moved = planB.assignments().stream().filter(x -> keysA.contains(x.proposal())).filter(x -> planA.assignments().stream()
                .anyMatch(y -> y.proposal().equals(x.proposal()) && (!y.pool().equals(x.pool()) || !y.start().equals(x.start()))))
                .map(Plan.Assignment::proposal).toList();
        assertThat(diff.moved()).extracting(PlanDiff.Move::proposal).containsExactlyElementsOf(moved);
        assertThat(diff.expectedValueChange()).isEqualByComparingTo(valueChange);
        assertThat(diff.gpuHoursChange()).isEqualByComparingTo(hoursChange);
        assertThat(diff.selectedChange()).isEqualTo(runsChange);
    }

    private static Set<String> keys(Plan plan) {
        return Set.copyOf(plan.assignments().stream().map(Plan.Assignment::proposal).toList());
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static List<String> texts(NodeList nodes) {
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }
}
