package dev.gpuplan.input;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.gpuplan.domain.Pool;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.domain.TimeWindow;

/**
 * Bad input in portfolios (docs/rules.md): every bad input is refused with the source, the line, the entry and the field.
 * Each test starts from {@link #VALID} and changes one thing with {@link #with}; messages are asserted exactly.
 */
class PortfolioReaderTest {

    private static final String SOURCE = "portfolio.yaml";

    /** Uses every field once; the values of {@code lr-sweep} (proposals[1]) are unique in the text so tests can change them. */
    private static final String VALID = """
            horizon:
              start: 2026-12-01T00:00:00Z
              days: 3
              slotMinutes: 60
            budget:
              gpuHours: 400
              perTeam:
                optim: 60
            pools:
              - name: a100-east
                gpuType: a100
                gpus: 8
                unavailable:
                  - from: 2026-12-02T00:00:00Z
                    to: 2026-12-03T00:00:00Z
              - name: h100-west
                gpuType: h100
                gpus: 16
            proposals:
              - key: baseline
                title: 1B baseline
                team: pretrain
                value: 40
                gpus: 8
                hours: 6
                required: true
              - key: lr-sweep
                title: Learning-rate sweep
                team: optim
                owner: ana
                value: 12
                successProbability: 0.5
                gpuType: a100
                gpus: 4
                hours: 7.5
                dependsOn: [baseline]
                exclusiveGroup: warmup
                earliestStart: 2026-12-01T06:00:00Z
                deadline: 2026-12-02T00:00:00Z
              - key: probe
                team: scaling
                value: 90
                gpuType: h100
                gpus: 12
                hours: 4
                pinned:
                  pool: h100-west
                  start: 2026-12-01T02:00:00Z
            """;

    /** {@link #VALID} as JSON, same field names and values. */
    private static final String VALID_JSON = """
            {
              "horizon": {"start": "2026-12-01T00:00:00Z", "days": 3, "slotMinutes": 60},
              "budget": {"gpuHours": 400, "perTeam": {"optim": 60}},
              "pools": [
                {"name": "a100-east", "gpuType": "a100", "gpus": 8,
                 "unavailable": [{"from": "2026-12-02T00:00:00Z", "to": "2026-12-03T00:00:00Z"}]},
                {"name": "h100-west", "gpuType": "h100", "gpus": 16}
              ],
              "proposals": [
                {"key": "baseline", "title": "1B baseline", "team": "pretrain", "value": 40, "gpus": 8, "hours": 6,
                 "required": true},
                {"key": "lr-sweep", "title": "Learning-rate sweep", "team": "optim", "owner": "ana", "value": 12,
                 "successProbability": 0.5, "gpuType": "a100", "gpus": 4, "hours": 7.5, "dependsOn": ["baseline"],
                 "exclusiveGroup": "warmup", "earliestStart": "2026-12-01T06:00:00Z", "deadline": "2026-12-02T00:00:00Z"},
                {"key": "probe", "team": "scaling", "value": 90, "gpuType": "h100", "gpus": 12, "hours": 4,
                 "pinned": {"pool": "h100-west", "start": "2026-12-01T02:00:00Z"}}
              ]
            }
            """;

    private static final String LR_SWEEP = "proposals[1] (key \"lr-sweep\")";
    private static final String PROPOSAL_FIELDS = "key, title, team, owner, value, successProbability, gpuType, gpus, hours, "
            + "dependsOn, exclusiveGroup, earliestStart, deadline, required, pinned, command, pilot, pilotSuccessProbability";

    // ---- valid input

    @Test
    void validPortfolioParses() {
        Portfolio portfolio = PortfolioReader.read(SOURCE, VALID);

        assertThat(portfolio.horizon().start()).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(portfolio.horizon().hours()).isEqualByComparingTo("72");
        assertThat(portfolio.horizon().slotCount()).isEqualTo(72);
        assertThat(portfolio.budget().gpuHours()).isEqualByComparingTo("400");
        assertThat(portfolio.budget().perTeam()).containsOnlyKeys("optim");
        assertThat(portfolio.budget().perTeam().get("optim")).isEqualByComparingTo("60");
        assertThat(portfolio.pools()).containsExactly(
                new Pool("a100-east", "a100", 8, List.of(new TimeWindow(Instant.parse("2026-12-02T00:00:00Z"), Instant.parse("2026-12-03T00:00:00Z")))),
                new Pool("h100-west", "h100", 16, List.of()));
        assertThat(portfolio.proposals()).extracting(Proposal::key).containsExactly("baseline", "lr-sweep", "probe");

        Proposal baseline = portfolio.proposals().get(0);
        assertThat(baseline.required()).isTrue();
        assertThat(baseline.successProbability()).isEqualByComparingTo("1");
        assertThat(baseline.gpuType()).isNull();
        assertThat(baseline.pinned()).isNull();

        Proposal sweep = portfolio.proposals().get(1);
        assertThat(sweep.title()).isEqualTo("Learning-rate sweep");
        assertThat(sweep.team()).isEqualTo("optim");
        assertThat(sweep.owner()).isEqualTo("ana");
        assertThat(sweep.gpuType()).isEqualTo("a100");
        assertThat(sweep.gpus()).isEqualTo(4);
        assertThat(sweep.gpuHours()).isEqualByComparingTo("30");
        assertThat(sweep.expectedValue()).isEqualByComparingTo("6");
        assertThat(sweep.dependsOn()).containsExactly("baseline");
        assertThat(sweep.exclusiveGroup()).isEqualTo("warmup");
        assertThat(sweep.earliestStart()).isEqualTo(Instant.parse("2026-12-01T06:00:00Z"));
        assertThat(sweep.deadline()).isEqualTo(Instant.parse("2026-12-02T00:00:00Z"));
        assertThat(sweep.required()).isFalse();

        assertThat(portfolio.proposals().get(2).pinned())
                .isEqualTo(new Proposal.Pin("h100-west", Instant.parse("2026-12-01T02:00:00Z")));
    }

    @Test
    void jsonGivesTheSamePortfolioAsYaml() {
        assertThat(PortfolioReader.read("portfolio.json", VALID_JSON)).isEqualTo(PortfolioReader.read(SOURCE, VALID));
    }

    @Test
    void jsonErrorsNameTheLineToo() {
        String json = with(VALID_JSON, "\"gpus\": 4,", "\"gpus\": 0,");

        assertRefusedFrom("portfolio.json", json, at(json, "\"gpus\": 0,", "portfolio.json") + LR_SWEEP + ": gpus must be >= 1, got 0");
    }

    @Test
    void exampleFileParses() {
        Portfolio portfolio = PortfolioReader.read(Path.of("planning-configs/examples/small.yaml"));

        assertThat(portfolio.pools()).extracting(Pool::name).containsExactly("a100-east", "h100-west");
        assertThat(portfolio.proposals()).hasSize(10);
        assertThat(portfolio.budget().gpuHours()).isEqualByComparingTo("400");
    }

    @Test
    void boundaryValuesAreAccepted() {
        String yaml = with(with(with(with(VALID,
                "    successProbability: 0.5\n", "    successProbability: 1\n"),
                "    value: 12\n", "    value: 0\n"),
                "    title: Learning-rate sweep\n", "    title: " + "t".repeat(200) + "\n"),
                "  - key: probe\n", "  - key: " + "p".repeat(64) + "\n");

        Portfolio portfolio = PortfolioReader.read(SOURCE, yaml);

        assertThat(portfolio.proposals().get(1).expectedValue()).isEqualByComparingTo("0");
        assertThat(portfolio.proposals().get(1).title()).hasSize(200);
        assertThat(portfolio.proposals().get(2).key()).hasSize(64);
    }

    @Test
    void bareDateMeansMidnightUtc() {
        String yaml = with(VALID, "    deadline: 2026-12-02T00:00:00Z\n", "    deadline: 2026-12-03\n");

        assertThat(PortfolioReader.read(SOURCE, yaml).proposals().get(1).deadline()).isEqualTo(Instant.parse("2026-12-03T00:00:00Z"));
    }

    // ---- wrong types

    @Test
    void stringWhereNumberIsExpected() {
        String yaml = with(VALID, "    gpus: 4\n", "    gpus: four\n");

        assertRefused(yaml, at(yaml, "gpus: four") + LR_SWEEP + ": gpus must be a number, got \"four\"");
    }

    @Test
    void quotedNumberInJsonIsAString() {
        String json = with(VALID_JSON, "\"value\": 12,", "\"value\": \"12\",");

        assertRefusedFrom("portfolio.json", json, at(json, "\"value\": \"12\",", "portfolio.json") + LR_SWEEP + ": value must be a number, got \"12\"");
    }

    @Test
    void fractionWhereWholeNumberIsExpected() {
        String yaml = with(VALID, "    gpus: 4\n", "    gpus: 4.5\n");

        assertRefused(yaml, at(yaml, "gpus: 4.5") + LR_SWEEP + ": gpus must be a whole number, got 4.5");
    }

    @Test
    void wrongTypesOfListsBooleansAndInstants() {
        String yaml = with(with(with(VALID,
                "    dependsOn: [baseline]\n", "    dependsOn: baseline\n"),
                "    deadline: 2026-12-02T00:00:00Z\n", "    deadline: next week\n"),
                "    required: true\n", "    required: maybe\n");

        assertRefused(yaml,
                at(yaml, "required: maybe") + "proposals[0] (key \"baseline\"): required must be true or false, got \"maybe\"",
                at(yaml, "dependsOn: baseline") + LR_SWEEP + ": dependsOn must be a list",
                at(yaml, "deadline: next week") + LR_SWEEP
                        + ": deadline must be an ISO-8601 instant such as 2026-12-01T08:00:00Z, got \"next week\"");
    }

    @Test
    void anEntryThatIsNotAnObject() {
        String yaml = with(VALID, "  - key: probe\n", "  - probe\n  - key: probe\n");

        assertRefused(yaml, at(yaml, "- probe") + "proposals[2]: must be an object with fields [" + PROPOSAL_FIELDS + "]");
    }

    // ---- missing required fields

    @ParameterizedTest
    @CsvSource({"team, optim", "value, 12", "gpus, 4", "hours, 7.5"})
    void missingRequiredProposalField(String field, String value) {
        String yaml = with(VALID, "    " + field + ": " + value + "\n", "");

        assertRefused(yaml, at(yaml, "- key: lr-sweep") + LR_SWEEP + ": " + field + " is required");
    }

    @Test
    void missingKeyNamesTheEntryByIndex() {
        String yaml = with(VALID, "  - key: lr-sweep\n    title:", "  - title:");

        assertRefused(yaml, at(yaml, "- title: Learning-rate sweep") + "proposals[1]: key is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"horizon", "pools", "proposals"})
    void missingRequiredSection(String section) {
        String yaml = dropSection(VALID, section);

        assertRefused(yaml, SOURCE + ":1: " + section + " is required");
    }

    @Test
    void missingFieldsOfHorizonAndPool() {
        String yaml = with(with(VALID,
                "  start: 2026-12-01T00:00:00Z\n", ""),
                "    gpuType: h100\n    gpus: 16\n", "    gpus: 16\n");

        assertRefused(yaml,
                at(yaml, "days: 3") + "horizon: start is required",
                at(yaml, "- name: h100-west") + "pools[1] (name \"h100-west\"): gpuType is required");
    }

    // ---- negative or zero sizes

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "gpus: 4    | gpus: 0   | gpus must be >= 1, got 0",
            "hours: 7.5 | hours: 0  | hours must be > 0, got 0",
            "hours: 7.5 | hours: -2 | hours must be > 0, got -2",
            "value: 12  | value: -1 | value must be >= 0, got -1"})
    void zeroOrNegativeProposalSize(String original, String replacement, String message) {
        String yaml = with(VALID, "    " + original + "\n", "    " + replacement + "\n");

        assertRefused(yaml, at(yaml, replacement) + LR_SWEEP + ": " + message);
    }

    @Test
    void poolWithoutGpus() {
        String yaml = with(VALID, "    gpus: 8\n    unavailable:", "    gpus: 0\n    unavailable:");

        assertRefused(yaml, at(yaml, "gpus: 0") + "pools[0] (name \"a100-east\"): gpus must be >= 1, got 0");
    }

    @Test
    void runLongerThanAnyHorizonIsRefusedNotOverflowed() {
        String yaml = with(VALID, "    hours: 4\n", "    hours: 1000000000000\n");

        assertRefused(yaml, at(yaml, "hours: 1000000000000") + "proposals[2] (key \"probe\"): hours must be at most 480000 (the longest horizon), got 1000000000000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1.5"})
    void successProbabilityOutsideZeroToOne(String p) {
        String yaml = with(VALID, "    successProbability: 0.5\n", "    successProbability: " + p + "\n");

        assertRefused(yaml, at(yaml, "successProbability: " + p) + LR_SWEEP + ": successProbability must be > 0 and <= 1, got " + p);
    }

    // ---- keys and titles

    @ParameterizedTest
    @ValueSource(strings = {"LR_Sweep", "-lr", "lr sweep", "x23456789012345678901234567890123456789012345678901234567890123456"})
    void keyNotMatchingThePattern(String key) {
        String yaml = with(VALID, "  - key: lr-sweep\n", "  - key: \"" + key + "\"\n");

        assertRefused(yaml, at(yaml, "- key: \"" + key) + "proposals[1] (key \"" + key + "\"): key must match [a-z0-9][a-z0-9._-]{0,63}, got \""
                + key + "\"");
    }

    @Test
    void titleLongerThan200Characters() {
        String yaml = with(VALID, "    title: Learning-rate sweep\n", "    title: " + "t".repeat(201) + "\n");

        assertRefused(yaml, at(yaml, "title: ttt") + LR_SWEEP + ": title must be at most 200 characters, got 201");
    }

    // ---- pilots

    @Test
    void aPilotGatesTheExpectedValueAndIsAPrerequisite() {
        String yaml = with(VALID, "    exclusiveGroup: warmup\n", "    exclusiveGroup: warmup\n    pilot: baseline\n    pilotSuccessProbability: 0.4\n");

        Proposal sweep = PortfolioReader.read(SOURCE, yaml).proposals().get(1);

        assertThat(sweep.pilot()).isEqualTo("baseline");
        assertThat(sweep.expectedValue()).isEqualByComparingTo("2.4"); // 12 x 0.5 x 0.4
        assertThat(sweep.prerequisites()).containsExactly("baseline"); // named in dependsOn as well: once
    }

    @Test
    void aPilotMustNameAnotherProposalAndItsProbabilityNeedsOne() {
        String unknown = with(VALID, "    exclusiveGroup: warmup\n", "    exclusiveGroup: warmup\n    pilot: nope\n");
        assertRefused(unknown, at(unknown, "- key: lr-sweep") + LR_SWEEP + ": pilot names unknown proposal \"nope\"");

        String orphan = with(VALID, "    exclusiveGroup: warmup\n", "    exclusiveGroup: warmup\n    pilotSuccessProbability: 0.5\n");
        assertRefused(orphan, at(orphan, "pilotSuccessProbability") + LR_SWEEP
                + ": pilotSuccessProbability is given without a pilot (name the pilot proposal in pilot)");

        String zero = with(VALID, "    exclusiveGroup: warmup\n", "    exclusiveGroup: warmup\n    pilot: baseline\n    pilotSuccessProbability: 0\n");
        assertRefused(zero, at(zero, "pilotSuccessProbability") + LR_SWEEP + ": pilotSuccessProbability must be > 0 and <= 1, got 0");
    }

    @Test
    void aPilotCycleIsRefused() {
        String yaml = with(VALID, "    required: true\n", "    required: true\n    pilot: lr-sweep\n");
        assertThat(refused(SOURCE, yaml).getMessage()).contains("forms a cycle: ");
    }

    // ---- unknown and repeated fields

    @Test
    void typoInAFieldNameIsNotIgnored() {
        String yaml = with(VALID, "    gpus: 4\n", "    gpu: 4\n");

        assertRefused(yaml,
                at(yaml, "gpu: 4") + LR_SWEEP + ": gpu is not a known field (known: " + PROPOSAL_FIELDS + ")",
                at(yaml, "- key: lr-sweep") + LR_SWEEP + ": gpus is required");
    }

    @Test
    void unknownTopLevelAndNestedFields() {
        String yaml = with(with(VALID, "budget:\n", "budgets:\n"), "      pool: h100-west\n", "      pool: h100-west\n      slot: 3\n");

        assertRefused(yaml,
                at(yaml, "budgets:") + "budgets is not a known field (known: horizon, budget, pools, proposals)",
                at(yaml, "slot: 3") + "proposals[2] (key \"probe\"): pinned: slot is not a known field (known: pool, start)");
    }

    @Test
    void fieldGivenTwice() {
        String yaml = with(VALID, "    gpus: 4\n", "    gpus: 4\n    gpus: 5\n");

        assertRefused(yaml, at(yaml, "gpus: 5") + LR_SWEEP + ": gpus is given twice");
    }

    // ---- references between entries

    @Test
    void unknownDependencyKey() {
        String yaml = with(VALID, "[baseline]", "[baseline, base-line]");

        assertRefused(yaml, at(yaml, "- key: lr-sweep") + LR_SWEEP + ": dependsOn names unknown proposal \"base-line\"");
    }

    @Test
    void selfDependency() {
        String yaml = with(VALID, "[baseline]", "[lr-sweep]");

        assertRefused(yaml, at(yaml, "- key: lr-sweep") + LR_SWEEP + ": dependsOn names the proposal itself");
    }

    @Test
    void dependencyCycleIsReportedAsItsPath() {
        String yaml = VALID + """
                  - {key: a, team: t, value: 1, gpus: 1, hours: 1, dependsOn: [b]}
                  - {key: b, team: t, value: 1, gpus: 1, hours: 1, dependsOn: [c]}
                  - {key: c, team: t, value: 1, gpus: 1, hours: 1, dependsOn: [a]}
                """;

        assertRefused(yaml, at(yaml, "- {key: a,") + "proposals[3] (key \"a\"): dependsOn forms a cycle: a -> b -> c -> a");
    }

    @Test
    void cycleReachedFromOutsideNamesOnlyTheCycle() {
        String yaml = VALID + """
                  - {key: x, team: t, value: 1, gpus: 1, hours: 1, dependsOn: [baseline, a]}
                  - {key: a, team: t, value: 1, gpus: 1, hours: 1, dependsOn: [b]}
                  - {key: b, team: t, value: 1, gpus: 1, hours: 1, dependsOn: [a]}
                """;

        assertRefused(yaml, at(yaml, "- {key: a,") + "proposals[4] (key \"a\"): dependsOn forms a cycle: a -> b -> a");
    }

    @Test
    void duplicateKeys() {
        String yaml = with(VALID, "  - key: probe\n", "  - key: baseline\n");

        assertRefused(yaml, at(yaml, "- key: baseline", 2) + "proposals[2] (key \"baseline\"): key is a duplicate of proposals[0]");
    }

    @Test
    void duplicatePoolNames() {
        String yaml = with(VALID, "proposals:\n", """
                  - name: a100-east
                    gpuType: a100
                    gpus: 4
                proposals:
                """);

        assertRefused(yaml, at(yaml, "- name: a100-east", 2) + "pools[2] (name \"a100-east\"): name is a duplicate of pools[0]");
    }

    @Test
    void gpuTypeOfNoPool() {
        String yaml = with(VALID, "    gpuType: a100\n    gpus: 4\n", "    gpuType: v100\n    gpus: 4\n");

        assertRefused(yaml, at(yaml, "- key: lr-sweep") + LR_SWEEP + ": gpuType \"v100\" is not the type of any pool (pool types: a100, h100)");
    }

    // ---- windows

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-01T05:00:00Z", "2026-12-01T06:00:00Z"})
    void deadlineNotAfterEarliestStart(String deadline) {
        String yaml = with(VALID, "    deadline: 2026-12-02T00:00:00Z\n", "    deadline: " + deadline + "\n");

        assertRefused(yaml, at(yaml, "deadline: " + deadline) + LR_SWEEP + ": deadline must be after earliestStart (2026-12-01T06:00:00Z), got "
                + deadline);
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-12-02T00:00:00Z", "2026-12-01T00:00:00Z"})
    void unavailableWindowEndingAtOrBeforeItsStart(String to) {
        String yaml = with(VALID, "        to: 2026-12-03T00:00:00Z\n", "        to: " + to + "\n");

        assertRefused(yaml, at(yaml, "to: " + to) + "pools[0] (name \"a100-east\"): unavailable[0]: to must be after from (2026-12-02T00:00:00Z), got "
                + to);
    }

    // ---- budget

    @ParameterizedTest
    @ValueSource(strings = {"0", "-5"})
    void budgetNotPositive(String gpuHours) {
        String yaml = with(VALID, "  gpuHours: 400\n", "  gpuHours: " + gpuHours + "\n");

        assertRefused(yaml, at(yaml, "gpuHours: " + gpuHours) + "budget: gpuHours must be > 0, got " + gpuHours);
    }

    @Test
    void negativeTeamCapNamesItsOwnLine() {
        String yaml = with(VALID, "    optim: 60\n", "    optim: 60\n    evals: -1\n");

        assertRefused(yaml, at(yaml, "evals: -1") + "budget: perTeam.evals must be >= 0, got -1");
    }

    @Test
    void budgetMayBeLeftOutForTheCommandLineToGive() {
        assertThat(PortfolioReader.read(SOURCE, dropSection(VALID, "budget")).budget()).isNull();
    }

    // ---- pinned runs

    @Test
    void pinnedToUnknownPool() {
        String yaml = with(VALID, "    pool: h100-west\n", "    pool: h100-north\n");

        assertRefused(yaml, at(yaml, "- key: probe") + "proposals[2] (key \"probe\"): pinned.pool names unknown pool \"h100-north\"");
    }

    @Test
    void pinnedStartNotOnASlotBoundary() {
        String yaml = with(VALID, "    start: 2026-12-01T02:00:00Z\n", "    start: 2026-12-01T02:30:00Z\n");

        assertRefused(yaml, at(yaml, "- key: probe")
                + "proposals[2] (key \"probe\"): pinned.start must be on a slot boundary (every 60 minutes from 2026-12-01T00:00:00Z)");
    }

    @Test
    void pinnedPoolTooSmall() {
        String yaml = with(VALID, "    gpus: 12\n", "    gpus: 20\n");

        assertRefused(yaml, at(yaml, "- key: probe") + "proposals[2] (key \"probe\"): pinned.pool \"h100-west\" (16 x h100) does not fit 20 GPUs of type h100");
    }

    @Test
    void pinnedPoolOfAnotherType() {
        String yaml = with(VALID, "    pool: h100-west\n", "    pool: a100-east\n");

        assertRefused(yaml, at(yaml, "- key: probe") + "proposals[2] (key \"probe\"): pinned.pool \"a100-east\" (8 x a100) does not fit 12 GPUs of type h100");
    }

    @Test
    void pinnedRunEndingAfterTheHorizon() {
        String yaml = with(VALID, "    start: 2026-12-01T02:00:00Z\n", "    start: 2026-12-03T21:00:00Z\n");

        assertRefused(yaml, at(yaml, "- key: probe")
                + "proposals[2] (key \"probe\"): pinned.start puts the run outside the horizon 2026-12-01T00:00:00Z to 2026-12-04T00:00:00Z");
    }

    @Test
    void pinnedRunEndingExactlyAtTheHorizonEndIsAccepted() {
        String yaml = with(VALID, "    start: 2026-12-01T02:00:00Z\n", "    start: 2026-12-03T20:00:00Z\n");

        assertThat(PortfolioReader.read(SOURCE, yaml).proposals().get(2).pinned().start()).isEqualTo(Instant.parse("2026-12-03T20:00:00Z"));
    }

    // ---- horizon

    @Test
    void horizonWithBothDaysAndHours() {
        String yaml = with(VALID, "  days: 3\n", "  days: 3\n  hours: 72\n");

        assertRefused(yaml, at(yaml, "days: 3") + "horizon: days and hours cannot both be given");
    }

    @Test
    void horizonWithNeitherDaysNorHours() {
        String yaml = with(VALID, "  days: 3\n", "");

        assertRefused(yaml, at(yaml, "start: 2026-12-01T00:00:00Z") + "horizon: days or hours is required");
    }

    @Test
    void horizonWithTooManySlots() {
        String yaml = with(VALID, "  days: 3\n  slotMinutes: 60\n", "  days: 14\n  slotMinutes: 1\n");

        assertRefused(yaml, at(yaml, "slotMinutes: 1") + "horizon: slotMinutes gives 20160 slots; at most 20000 are allowed (use longer slots)");
    }

    @Test
    void horizonLongerThanAnyIsRefusedNotOverflowed() {
        String yaml = with(VALID, "  days: 3\n", "  days: 100000000000000000000\n");

        assertRefused(yaml, at(yaml, "days: 1000") + "horizon: days must be at most 20000, got 100000000000000000000");
    }

    @ParameterizedTest
    @ValueSource(strings = {"0", "1441"})
    void slotMinutesOutOfRange(String minutes) {
        String yaml = with(VALID, "  slotMinutes: 60\n", "  slotMinutes: " + minutes + "\n");

        assertRefused(yaml, at(yaml, "slotMinutes: " + minutes) + "horizon: slotMinutes must be between 1 and 1440, got " + minutes);
    }

    // ---- the file as a whole

    @Test
    void oversizedInputIsRefusedBeforeParsing() {
        String text = " ".repeat((int) PortfolioReader.MAX_INPUT_BYTES + 1);

        assertRefused(text, SOURCE + ": is larger than 64 MiB");
    }

    @Test
    void oversizedCountsBytesNotCharacters() {
        // 32 MiB + 1 characters of two UTF-8 bytes each: under the limit in characters, over it in bytes
        String text = "é".repeat((int) (PortfolioReader.MAX_INPUT_BYTES / 2) + 1);

        assertRefused(text, SOURCE + ": is larger than 64 MiB");
    }

    @Test
    void oversizedFileIsRefusedWithoutReadingIt(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("huge.yaml");
        try (RandomAccessFile sparse = new RandomAccessFile(file.toFile(), "rw")) {
            sparse.setLength(PortfolioReader.MAX_INPUT_BYTES + 1);
        }

        assertThatThrownBy(() -> PortfolioReader.read(file)).isInstanceOf(InvalidInputException.class)
                .hasMessage(file + ": is larger than 64 MiB");
    }

    @Test
    void missingFileIsRefused(@TempDir Path dir) {
        Path file = dir.resolve("absent.yaml");

        assertThatThrownBy(() -> PortfolioReader.read(file)).isInstanceOf(InvalidInputException.class)
                .hasMessageStartingWith(file + ": cannot be read: ");
    }

    @Test
    void invalidYamlNamesTheLine() {
        String yaml = with(VALID, "    dependsOn: [baseline]\n", "    dependsOn: [baseline\n");

        assertRefused(yaml, at(yaml, "exclusiveGroup: warmup") + "is not valid YAML/JSON: expected ',' or ']', but got :");
    }

    @Test
    void invalidIndentationNamesTheLine() {
        String yaml = with(VALID, "  days: 3\n", " days: 3\n");

        assertRefused(yaml, at(yaml, " days: 3") + "is not valid YAML/JSON: expected <block end>, but found '<block mapping start>'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "\n\n", "# only a comment\n"})
    void emptyFile(String text) {
        assertRefused(text, SOURCE + ": is empty");
    }

    @Test
    void documentThatIsNotAnObject() {
        assertRefused("- just\n- a list\n",
                SOURCE + ":1: must be an object with fields [horizon, budget, pools, proposals]",
                SOURCE + ":1: horizon is required");
    }

    @Test
    void everyErrorOfTheFileIsReported() {
        String yaml = with(with(with(with(VALID,
                "  gpuHours: 400\n", "  gpuHours: 0\n"),
                "    gpus: 8\n    unavailable:", "    gpus: 0\n    unavailable:"),
                "    gpus: 4\n", "    gpus: 0\n"),
                "    value: 90\n", "    value: -1\n");

        InvalidInputException e = refused(SOURCE, yaml);

        assertThat(e.source()).isEqualTo(SOURCE);
        assertThat(e.errors()).containsExactly(
                new InputError(line(yaml, "gpuHours: 0", 1), "budget", "gpuHours", "must be > 0, got 0"),
                new InputError(line(yaml, "gpus: 0", 1), "pools[0] (name \"a100-east\")", "gpus", "must be >= 1, got 0"),
                new InputError(line(yaml, "gpus: 0", 2), LR_SWEEP, "gpus", "must be >= 1, got 0"),
                new InputError(line(yaml, "value: -1", 1), "proposals[2] (key \"probe\")", "value", "must be >= 0, got -1"));
    }

    @Test
    void errorsAreCappedAtFifty() {
        StringBuilder yaml = new StringBuilder(VALID);
        for (int i = 0; i < 60; i++) {
            yaml.append("  - {key: p").append(i).append(", team: t, value: 1, gpus: 0, hours: 1}\n");
        }

        InvalidInputException e = refused(SOURCE, yaml.toString());

        assertThat(e.errors()).hasSize(50);
        assertThat(e.errors().get(0).describe()).isEqualTo("proposals[3] (key \"p0\"): gpus must be >= 1, got 0");
    }

    @Test
    void inputErrorFormatsWithAndWithoutLineEntryAndField() {
        assertThat(new InputError(12, LR_SWEEP, "gpus", "must be >= 1, got 0").format("p.yaml"))
                .isEqualTo("p.yaml:12: proposals[1] (key \"lr-sweep\"): gpus must be >= 1, got 0");
        assertThat(new InputError(0, "", "", "is empty").format("p.yaml")).isEqualTo("p.yaml: is empty");
        assertThat(new InputError(3, "budget", "", "must be an object").format("p.yaml")).isEqualTo("p.yaml:3: budget: must be an object");
    }

    // ---- helpers

    /** {@code base} with {@code original} (which must occur exactly once) replaced. */
    private static String with(String base, String original, String replacement) {
        int first = base.indexOf(original);
        if (first < 0 || base.indexOf(original, first + 1) >= 0) {
            throw new IllegalArgumentException("must occur exactly once in the base portfolio: " + original);
        }
        return base.substring(0, first) + replacement + base.substring(first + original.length());
    }

    /** {@code base} without the top-level section {@code name} and its indented lines. */
    private static String dropSection(String base, String name) {
        StringBuilder out = new StringBuilder();
        boolean inside = false;
        for (String line : base.split("\n", -1)) {
            if (!line.startsWith(" ")) {
                inside = line.startsWith(name + ":");
            }
            if (!inside) {
                out.append(line).append('\n');
            }
        }
        String result = out.toString().stripTrailing() + "\n";
        if (result.equals(base)) {
            throw new IllegalArgumentException("no section " + name);
        }
        return result;
    }

    /** {@code portfolio.yaml:<line>: } for the line holding {@code fragment}. */
    private static String at(String text, String fragment) {
        return at(text, fragment, 1);
    }

    private static String at(String text, String fragment, int occurrence) {
        return SOURCE + ":" + line(text, fragment, occurrence) + ": ";
    }

    private static String at(String text, String fragment, String source) {
        return source + ":" + line(text, fragment, 1) + ": ";
    }

    /** The 1-based line of the {@code occurrence}-th line containing {@code fragment}. */
    private static int line(String text, String fragment, int occurrence) {
        String[] lines = text.split("\n", -1);
        int seen = 0;
        for (int i = 0; i < lines.length; i++) {
            if (lines[i].contains(fragment) && ++seen == occurrence) {
                return i + 1;
            }
        }
        throw new IllegalArgumentException("no line " + occurrence + " with " + fragment);
    }

    private static void assertRefused(String text, String... messageLines) {
        assertRefusedFrom(SOURCE, text, messageLines);
    }

    private static void assertRefusedFrom(String source, String text, String... messageLines) {
        assertThat(refused(source, text).getMessage()).isEqualTo(String.join("\n", messageLines));
    }

    private static InvalidInputException refused(String source, String text) {
        try {
            Portfolio accepted = PortfolioReader.read(source, text);
            return fail("accepted an invalid portfolio: " + accepted);
        } catch (InvalidInputException e) {
            return e;
        }
    }
}
