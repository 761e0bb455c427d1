package dev.gpuplan.domain;

import java.util.Arrays;
import java.util.List;

/**
 * Every rule of the planning model, named once: the name is the solver's constraint name, the key of
 * {@code weights:} in a planning config (soft rules only) and the entry of the README's rule table.
 * Hard rules cannot be weighed or switched off; soft rules carry the weight a config gets when it names none.
 * The rules themselves are described in {@code docs/rules.md}.
 */
public enum Rule {
    BUDGET(Names.BUDGET, Level.HARD, 0),
    TEAM_CAP(Names.TEAM_CAP, Level.HARD, 0),
    POOL_CAPACITY(Names.POOL_CAPACITY, Level.HARD, 0),
    GPU_FIT(Names.GPU_FIT, Level.HARD, 0),
    DEPENDENCY(Names.DEPENDENCY, Level.HARD, 0),
    EXCLUSIVE_GROUP(Names.EXCLUSIVE_GROUP, Level.HARD, 0),
    TIME_WINDOW(Names.TIME_WINDOW, Level.HARD, 0),
    REQUIRED(Names.REQUIRED, Level.HARD, 0),
    EXPECTED_VALUE(Names.EXPECTED_VALUE, Level.MEDIUM, 0),
    EARLIER_RESULTS(Names.EARLIER_RESULTS, Level.SOFT, 1),
    DEADLINE_MARGIN(Names.DEADLINE_MARGIN, Level.SOFT, 0);

    /** Hard rules make a plan infeasible; medium is the objective; soft rules are the configurable preferences. */
    public enum Level { HARD, MEDIUM, SOFT }

    /**
     * The names as compile-time constants, for the one place that needs them in an annotation
     * ({@code @ConstraintWeight} of the solver's weights). Everything else uses {@link #id()}.
     */
    public static final class Names {
        public static final String BUDGET = "budget";
        public static final String TEAM_CAP = "team-cap";
        public static final String POOL_CAPACITY = "pool-capacity";
        public static final String GPU_FIT = "gpu-fit";
        public static final String DEPENDENCY = "dependency";
        public static final String EXCLUSIVE_GROUP = "exclusive-group";
        public static final String TIME_WINDOW = "time-window";
        public static final String REQUIRED = "required";
        public static final String EXPECTED_VALUE = "expected-value";
        public static final String EARLIER_RESULTS = "earlier-results";
        public static final String DEADLINE_MARGIN = "deadline-margin";

        private Names() {
        }
    }

    private final String id;
    private final Level level;
    private final long defaultWeight;

    Rule(String id, Level level, long defaultWeight) {
        this.id = id;
        this.level = level;
        this.defaultWeight = defaultWeight;
    }

    public String id() {
        return id;
    }

    public Level level() {
        return level;
    }

    /** The weight of a soft rule when a config does not set it (0 turns it off); 0 for the others. */
    public long defaultWeight() {
        return defaultWeight;
    }

    /** The rules a planning config may weigh, in table order. */
    public static List<Rule> soft() {
        return Arrays.stream(values()).filter(r -> r.level == Level.SOFT).toList();
    }

    @Override
    public String toString() {
        return id;
    }
}
