package dev.gpuplan.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.input.BudgetRange;

/**
 * Numbers and names a hostile input can carry, at the reader (the CLI and the service share it): refused quickly with
 * a message naming the field, or read within {@link FieldLimits}; and a seeded generator of portfolio JSON with
 * hostile values in every field, where each document either reads within the limits or is refused as bad input,
 * never with another exception.
 */
class HostileNumbersTest {

    @ParameterizedTest
    @ValueSource(strings = {"1:2:1e-40", "1:2147483649:1", "1e-999999999:2:1", "1:1e999999999:1", "1:2:0.0000000001",
            "100:6000:1", "1,2,3,1e400", "0:10:1"})
    void budgetRangesThatWouldBuildUnboundedListsAreRefusedBeforeBuildingThem(String range) {
        long started = System.nanoTime();
        assertThat(BudgetRange.parse(range)).isNull();
        assertThat((System.nanoTime() - started) / 1e9).as("seconds").isLessThan(1);
    }

    @Test
    void sensibleBudgetRangesStillParse() {
        assertThat(BudgetRange.parse("500:4000:250")).hasSize(15);
        assertThat(BudgetRange.parse("1:200:1")).hasSize(200);
        assertThat(BudgetRange.parse("100,200.5")).containsExactly(new BigDecimal("100"), new BigDecimal("200.5"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"value: 1e20", "value: 1.0e+10000", "value: 1.0e-40", "gpus: 2147483648", "hours: 1.0e+20",
            "successProbability: 1.0e-40", "team: \"a\\0b\"", "team: \"a\\u202Eb\"", "exclusiveGroup: " + "g"})
    void poisonFieldsAreRefusedNamingTheField(String field) {
        String name = field.substring(0, field.indexOf(':'));
        String yaml = "key: k\nteam: t\nvalue: 1\ngpus: 1\nhours: 1\n".replaceAll("(?m)^" + name + ":.*\n", "") + field + "\n";
        if (name.equals("exclusiveGroup")) {
            yaml = yaml.replace("exclusiveGroup: g", "exclusiveGroup: " + "g".repeat(3000));
        }
        String source = yaml;
        assertThatThrownBy(() -> PortfolioReader.readProposals("body", source))
                .isInstanceOf(InvalidInputException.class)
                .satisfies(e -> assertThat(((InvalidInputException) e).errors()).anyMatch(err -> err.field().equals(name)));
    }

    private static final String[] HOSTILE_NUMBERS = {"0", "-1", "1", "0.5", "1e20", "1.0e+400", "1.0e-40", "2147483648", "99999999999999999",
            "0.0000001", "1000000000", "1000000001", "100000", "100001", "\"12\"", "null", "[1]", "1_000", "0x10", ".inf", "-.inf", ".nan"};
    private static final String[] HOSTILE_TEXTS = {"\"ok\"", "\"" + "x".repeat(201) + "\"", "\"a\\0b\"", "\"a\\u202Eb\"", "\"a\\nb\"",
            "\"\"", "12", "true", "null", "[\"a\"]", "{\"a\": 1}", "\"\\uD800\""};

    @Test
    void generatedHostilePortfoliosReadWithinTheLimitsOrAreRefusedAsBadInput() {
        Random random = new Random(0);
        int read = 0;
        int refused = 0;
        for (int n = 0; n < 400; n++) {
            StringBuilder proposals = new StringBuilder();
            int count = 1 + random.nextInt(4);
            for (int i = 0; i < count; i++) {
                proposals.append(i == 0 ? "" : ",").append("{\"key\": \"p").append(i).append("\", \"team\": ").append(pick(random, HOSTILE_TEXTS, "\"ok\""))
                        .append(", \"value\": ").append(pick(random, HOSTILE_NUMBERS, "2"))
                        .append(", \"successProbability\": ").append(random.nextBoolean() ? "1" : pick(random, HOSTILE_NUMBERS, "0.5"))
                        .append(", \"gpus\": ").append(pick(random, HOSTILE_NUMBERS, "2"))
                        .append(", \"hours\": ").append(pick(random, HOSTILE_NUMBERS, "2"))
                        .append(random.nextBoolean() ? "" : ", \"exclusiveGroup\": " + pick(random, HOSTILE_TEXTS, "\"ok\""))
                        .append(random.nextBoolean() ? "" : ", \"owner\": " + pick(random, HOSTILE_TEXTS, "\"ok\"")).append("}");
            }
            String json = "{\"horizon\": {\"start\": \"2026-12-01T00:00:00Z\", \"days\": " + pick(random, HOSTILE_NUMBERS, "2") + "},"
                    + " \"budget\": {\"gpuHours\": " + pick(random, HOSTILE_NUMBERS, "2") + ", \"perTeam\": {" + pick(random, HOSTILE_TEXTS, "\"ok\"")
                    + ": " + pick(random, HOSTILE_NUMBERS, "2") + "}},"
                    + " \"pools\": [{\"name\": " + pick(random, HOSTILE_TEXTS, "\"ok\"") + ", \"gpuType\": \"a100\", \"gpus\": " + pick(random, HOSTILE_NUMBERS, "2") + "}],"
                    + " \"proposals\": [" + proposals + "]}";
            try {
                Portfolio portfolio = PortfolioReader.read("generated", json);
                read++;
                assertWithinLimits(portfolio, json);
            } catch (InvalidInputException e) {
                refused++;
                assertThat(e.errors()).as(json).isNotEmpty();
                assertThat(e.getMessage().length()).as("message length for " + json).isLessThan(20_000);
            }
        }
        assertThat(read).as("some generated portfolios are valid").isPositive();
        assertThat(refused).as("most carry something hostile").isPositive();
    }

    private static void assertWithinLimits(Portfolio portfolio, String json) {
        List<String> names = new ArrayList<>();
        portfolio.pools().forEach(p -> {
            names.add(p.name());
            assertThat(p.gpus()).as(json).isBetween(1, FieldLimits.GPUS);
        });
        assertThat(portfolio.budget().gpuHours()).as(json).isBetween(BigDecimal.ZERO, FieldLimits.GPU_HOURS);
        portfolio.budget().perTeam().forEach((team, cap) -> {
            names.add(team);
            assertThat(cap).as(json).isBetween(BigDecimal.ZERO, FieldLimits.GPU_HOURS);
        });
        for (Proposal p : portfolio.proposals()) {
            names.add(p.team());
            if (p.owner() != null) {
                names.add(p.owner());
            }
            if (p.exclusiveGroup() != null) {
                names.add(p.exclusiveGroup());
            }
            assertThat(p.value()).as(json).isBetween(BigDecimal.ZERO, FieldLimits.VALUE);
            assertThat(p.successProbability()).as(json).isBetween(FieldLimits.MIN_SUCCESS_PROBABILITY, BigDecimal.ONE);
            assertThat(p.gpus()).as(json).isBetween(1, FieldLimits.GPUS);
            assertThat(p.hours().signum()).as(json).isPositive();
        }
        names.forEach(name -> {
            assertThat(name.length()).as(json).isLessThanOrEqualTo(FieldLimits.TEAM);
            assertThat(FieldLimits.unsafeCharacter(name)).as(json).isNull();
        });
    }

    /** A hostile value one time in four, else {@code valid}: most documents carry one or two hostile values. */
    private static String pick(Random random, String[] values, String valid) {
        return random.nextInt(4) == 0 ? values[random.nextInt(values.length)] : valid;
    }
}
