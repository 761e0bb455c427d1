package dev.gpuplan.solver;

import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.Random;

import org.optaplanner.core.api.score.director.ScoreDirector;
import org.optaplanner.core.impl.heuristic.selector.move.factory.MoveIteratorFactory;

/**
 * What the compound move factories share: random selection only, moves built from the working plan's
 * {@link PlanIndex}, which is brought in step once per step (the solver asks for a new iterator at the start of
 * every step: keep the move selector's default just-in-time cache), and a few attempts per move before giving
 * the solver a move it will skip.
 */
abstract class IndexedMoveFactory implements MoveIteratorFactory<GpuSchedule, ReplanMove> {

    private static final int ATTEMPTS = 10;

    /** One move built on the index, or empty when this attempt found nothing doable. */
    abstract Optional<ReplanMove> build(PlanIndex plan, Random random);

    /**
     * Whether this kind of move can apply to the plan at all. When not, the iterator has no moves and the solver's
     * union of move selectors drops it for the step, so the other moves get its share of the selections.
     */
    boolean appliesTo(PlanIndex plan) {
        return true;
    }

    @Override
    public void phaseStarted(ScoreDirector<GpuSchedule> scoreDirector) {
        scoreDirector.getWorkingSolution().dropPlanIndex(); // built afresh on first use: the phase before changed the plan
    }

    @Override
    public void phaseEnded(ScoreDirector<GpuSchedule> scoreDirector) {
        scoreDirector.getWorkingSolution().dropPlanIndex();
    }

    @Override
    public long getSize(ScoreDirector<GpuSchedule> scoreDirector) {
        return scoreDirector.getWorkingSolution().getRuns().size();
    }

    @Override
    public Iterator<ReplanMove> createOriginalMoveIterator(ScoreDirector<GpuSchedule> scoreDirector) {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " only selects at random (selectionOrder RANDOM)");
    }

    @Override
    public Iterator<ReplanMove> createRandomMoveIterator(ScoreDirector<GpuSchedule> scoreDirector, Random random) {
        PlanIndex plan = scoreDirector.getWorkingSolution().planIndex();
        boolean applies = appliesTo(plan);
        return new Iterator<>() {
            private boolean synced;

            @Override
            public boolean hasNext() {
                return applies;
            }

            @Override
            public ReplanMove next() {
                if (!synced) { // once per step, and only in steps that ask for one of these moves
                    plan.sync();
                    synced = true;
                }
                for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                    Optional<ReplanMove> move = build(plan, random);
                    if (move.isPresent()) {
                        return move.get();
                    }
                }
                return new ReplanMove("none", List.of()); // not doable: the solver skips it
            }
        };
    }
}
