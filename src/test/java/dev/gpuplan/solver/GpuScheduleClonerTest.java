package dev.gpuplan.solver;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;

import org.junit.jupiter.api.Test;

import dev.gpuplan.config.PlanningConfigs;
import dev.gpuplan.generate.PortfolioGenerator;
import dev.gpuplan.generate.PortfolioGenerator.Shape;

/** The hand-written cloner copies every field of every run (even one added later) and shares the problem facts. */
class GpuScheduleClonerTest {

    @Test
    void copiesEveryRunFieldAndSharesTheFacts() throws IllegalAccessException {
        GpuSchedule original = new PlanningProblem(PortfolioGenerator.of(Shape.REALISTIC, 40, 1).generate(),
                PlanningConfigs.locate(null).load(PlanningConfigs.DEFAULT_NAME)).schedule();
        new GreedyInitializer.Placement(original).placeAll((run, pool, start) -> {
            run.setStartSlot(start);
            run.setPool(pool);
        });

        GpuSchedule clone = new GpuScheduleCloner().cloneSolution(original);

        assertThat(clone.getRuns()).hasSameSizeAs(original.getRuns());
        for (int i = 0; i < original.getRuns().size(); i++) {
            Run run = original.getRuns().get(i);
            Run copy = clone.getRuns().get(i);
            assertThat(copy).isNotSameAs(run);
            for (Field field : Run.class.getDeclaredFields()) {
                if (Modifier.isStatic(field.getModifiers())) {
                    continue;
                }
                field.setAccessible(true);
                assertThat(field.get(copy)).as("Run.%s of %s", field.getName(), run.getKey()).isEqualTo(field.get(run));
            }
        }
        assertThat(clone.getPools()).isSameAs(original.getPools());
        assertThat(clone.getDependencies()).isSameAs(original.getDependencies());
        assertThat(clone.getTeamCaps()).isSameAs(original.getTeamCaps());
        assertThat(clone.getBudget()).isSameAs(original.getBudget());
        assertThat(clone.getWeights()).isSameAs(original.getWeights());
    }
}
