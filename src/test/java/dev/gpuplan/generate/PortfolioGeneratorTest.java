package dev.gpuplan.generate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import dev.gpuplan.cli.GpuplanCommand;
import picocli.CommandLine;

import dev.gpuplan.domain.Budget;
import dev.gpuplan.domain.Horizon;
import dev.gpuplan.domain.Pool;
import dev.gpuplan.domain.Portfolio;
import dev.gpuplan.domain.Proposal;
import dev.gpuplan.generate.PortfolioGenerator.Shape;
import dev.gpuplan.input.PortfolioReader;

class PortfolioGeneratorTest {

    static Stream<Arguments> settings() {
        return Stream.of(Shape.values()).flatMap(shape -> Stream.of(
                Arguments.of(new PortfolioGenerator(shape, 1, 1, 1, 0)),
                Arguments.of(PortfolioGenerator.of(shape, 7, 3)),
                Arguments.of(PortfolioGenerator.of(shape, 60, 1).withPools(1)),
                Arguments.of(PortfolioGenerator.of(shape, 150, 2).withPools(5).withDays(2)),
                Arguments.of(PortfolioGenerator.of(shape, 400, 4))));
    }

    @ParameterizedTest
    @MethodSource("settings")
    void writesAValidPortfolioThatReadsBackEqual(PortfolioGenerator generator) {
        Portfolio portfolio = generator.generate();
        assertThat(portfolio.proposals()).hasSize(generator.proposals());
        assertThat(portfolio.pools()).hasSize(generator.pools());
        assertThat(portfolio.horizon().slotCount()).isEqualTo(generator.days() * 24);
        // the reader validates everything docs/rules.md asks (keys, references, cycles, windows, pins, types)
        Portfolio read = PortfolioReader.read(generator.toString(), PortfolioYaml.write(portfolio));
        assertThat(read).isEqualTo(portfolio);
    }

    @ParameterizedTest
    @EnumSource(Shape.class)
    void sameSeedSamePortfolioOtherSeedAnother(Shape shape) {
        assertThat(PortfolioGenerator.of(shape, 80, 5).generate()).isEqualTo(PortfolioGenerator.of(shape, 80, 5).generate());
        assertThat(PortfolioGenerator.of(shape, 80, 5).generate()).isNotEqualTo(PortfolioGenerator.of(shape, 80, 6).generate());
        assertThat(PortfolioYaml.write(PortfolioGenerator.of(shape, 80, 5).generate()))
                .isEqualTo(PortfolioYaml.write(PortfolioGenerator.of(shape, 80, 5).generate()));
    }

    @Test
    void capacityTightFillsThePoolsExactlyAndTheBudgetDoesNotBind() {
        Portfolio portfolio = PortfolioGenerator.of(Shape.CAPACITY_TIGHT, 90, 2).generate();
        BigDecimal cost = totalCost(portfolio.proposals());
        long capacity = portfolio.pools().stream().mapToLong(p -> (long) p.gpus() * portfolio.horizon().slotCount()).sum();
        assertThat(cost).isEqualByComparingTo(BigDecimal.valueOf(capacity));
        assertThat(portfolio.budget().gpuHours()).isGreaterThan(cost.multiply(new BigDecimal("1.2")));
    }

    @Test
    void budgetOnlyBindsOnBudgetWithRoomToSpare() {
        Portfolio portfolio = PortfolioGenerator.of(Shape.BUDGET_ONLY, 100, 2).generate();
        BigDecimal cost = totalCost(portfolio.proposals());
        long capacity = portfolio.pools().stream().mapToLong(p -> (long) p.gpus() * portfolio.horizon().slotCount()).sum();
        assertThat(portfolio.budget().gpuHours()).isLessThan(cost.divide(BigDecimal.valueOf(2)));
        assertThat(BigDecimal.valueOf(capacity)).isGreaterThanOrEqualTo(cost.multiply(BigDecimal.valueOf(2)));
    }

    @Test
    void dependencyForestUnlocksValueThroughCheapBaselines() {
        Portfolio portfolio = PortfolioGenerator.of(Shape.DEPENDENCY_FOREST, 100, 2).generate();
        List<Proposal> roots = portfolio.proposals().stream().filter(p -> p.dependsOn().isEmpty()).toList();
        List<Proposal> dependents = portfolio.proposals().stream().filter(p -> !p.dependsOn().isEmpty()).toList();
        assertThat(dependents.size()).isGreaterThan(2 * roots.size());
        assertThat(ratio(roots)).isLessThan(ratio(dependents).divide(BigDecimal.valueOf(3)));
    }

    @Test
    void exclusiveGroupsHaveSeveralVariants() {
        Portfolio portfolio = PortfolioGenerator.of(Shape.EXCLUSIVE_GROUPS, 100, 2).generate();
        long grouped = portfolio.proposals().stream().filter(p -> p.exclusiveGroup() != null).count();
        long groups = portfolio.proposals().stream().map(Proposal::exclusiveGroup).filter(g -> g != null).distinct().count();
        assertThat(grouped).isGreaterThan(60);
        assertThat(grouped).isGreaterThan(2 * groups);
    }

    @Test
    void realisticHasEveryFeature() {
        Portfolio portfolio = PortfolioGenerator.of(Shape.REALISTIC, 150, 1).generate();
        List<Proposal> proposals = portfolio.proposals();
        assertThat(portfolio.pools()).extracting(Pool::gpuType).containsExactly("h100", "a100", "h100");
        assertThat(portfolio.pools()).anyMatch(p -> !p.unavailable().isEmpty());
        assertThat(portfolio.budget().perTeam()).isNotEmpty();
        assertThat(proposals).filteredOn(Proposal::required).hasSize(2);
        assertThat(proposals).filteredOn(p -> p.pinned() != null).hasSize(1);
        assertThat(proposals).anyMatch(p -> !p.dependsOn().isEmpty());
        assertThat(proposals).anyMatch(p -> p.exclusiveGroup() != null);
        assertThat(proposals).anyMatch(p -> p.deadline() != null);
        assertThat(proposals).anyMatch(p -> p.earliestStart() != null);
        assertThat(proposals).anyMatch(p -> "a100".equals(p.gpuType()));
        assertThat(proposals).anyMatch(p -> "h100".equals(p.gpuType()));
        assertThat(proposals).anyMatch(p -> p.key().startsWith("pretrain-ablation-"));
        Set<String> teams = new HashSet<>();
        proposals.forEach(p -> teams.add(p.team()));
        assertThat(teams).contains("pretrain", "data", "optim", "evals", "scaling", "multimodal");
    }

    @Test
    void yamlQuotesWhatYamlWouldMisread() {
        assertThat(PortfolioYaml.text("baseline-1b")).isEqualTo("baseline-1b");
        assertThat(PortfolioYaml.text("on")).isEqualTo("\"on\"");
        assertThat(PortfolioYaml.text("null")).isEqualTo("\"null\"");
        assertThat(PortfolioYaml.text("12")).isEqualTo("\"12\"");
        assertThat(PortfolioYaml.text("a: b # c")).isEqualTo("\"a: b # c\"");
        assertThat(PortfolioYaml.text("say \"hi\"\\\n")).isEqualTo("\"say \\\"hi\\\"\\\\\\n\"");
        Portfolio odd = new Portfolio(
                new Horizon(PortfolioGenerator.HORIZON_START, new BigDecimal("90.5"), 10),
                new Budget(new BigDecimal("12.5"), Map.of("yes", BigDecimal.ONE, "team: x", new BigDecimal("0.25"))),
                List.of(new Pool("off", "true", 4, List.of())),
                List.of(new Proposal("on", "Title: \"quoted\" # not a comment", "yes", "null", new BigDecimal("1.50"),
                        new BigDecimal("0.5"), "true", 2, new BigDecimal("0.3333"), List.of(), "no", null, null, false,
                        new Proposal.Pin("off", PortfolioGenerator.HORIZON_START)),
                        new Proposal("12", null, "team: x", null, BigDecimal.ZERO, null, null, 1, BigDecimal.ONE, List.of("on"), null,
                                null, null, true, null)));
        assertThat(PortfolioReader.read("odd", PortfolioYaml.write(odd, List.of("two\n\nlines")))).isEqualTo(odd);
    }

    /** The example files are exactly what the command in their header prints: regenerate, never hand-edit. */
    @ParameterizedTest
    @ValueSource(strings = {"realistic.yaml", "large.yaml"})
    void exampleFilesAreWhatTheirHeaderCommandPrints(String file) throws IOException {
        String text = Files.readString(Path.of("planning-configs/examples", file));
        String prefix = "# Generated by: gpuplan ";
        assertThat(text).startsWith(prefix);
        String[] args = text.lines().findFirst().orElseThrow().substring(prefix.length()).trim().split("\\s+");
        StringWriter out = new StringWriter();
        CommandLine commandLine = GpuplanCommand.commandLine();
        commandLine.setOut(new PrintWriter(out));
        assertThat(commandLine.execute(args)).isZero();
        assertThat(out.toString()).isEqualTo(text);
    }

    @Test
    void refusesSettingsItCannotMake() {
        assertThatThrownBy(() -> new PortfolioGenerator(Shape.REALISTIC, 0, 3, 14, 1)).hasMessageContaining("proposals");
        assertThatThrownBy(() -> new PortfolioGenerator(Shape.REALISTIC, 10, 0, 14, 1)).hasMessageContaining("pools");
        assertThatThrownBy(() -> new PortfolioGenerator(Shape.REALISTIC, 10, 3, 0, 1)).hasMessageContaining("days");
        assertThatThrownBy(() -> Shape.parse("tight")).hasMessageContaining("capacity-tight");
        assertThat(Shape.parse("Capacity-Tight")).isEqualTo(Shape.CAPACITY_TIGHT);
    }

    private static BigDecimal totalCost(List<Proposal> proposals) {
        return proposals.stream().map(Proposal::gpuHours).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** Expected value per GPU-hour of a set of proposals. */
    private static BigDecimal ratio(List<Proposal> proposals) {
        BigDecimal value = proposals.stream().map(Proposal::expectedValue).reduce(BigDecimal.ZERO, BigDecimal::add);
        return value.divide(totalCost(proposals), 6, java.math.RoundingMode.HALF_UP);
    }
}
