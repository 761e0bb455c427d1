package dev.gpuplan.solver;

import java.math.BigDecimal;

import org.optaplanner.core.api.score.stream.ConstraintJustification;

/** Why a constraint matched, as a sentence a researcher understands. One record per rule. */
public final class Justifications {

    private Justifications() {
    }

    /** A justification that reads as a sentence. */
    public interface Explained extends ConstraintJustification {
        String message();
    }

    public static String gpuHours(long milli) {
        return BigDecimal.valueOf(milli, 3).stripTrailingZeros().toPlainString() + " GPU-hours";
    }

    public static String value(long milli) {
        return BigDecimal.valueOf(milli, 3).stripTrailingZeros().toPlainString();
    }

    /** {@code atQuantile}: the use is the plan's actual GPU-hours at the confidence quantile of learned overruns. */
    public record OverBudget(long usedMilli, long limitMilli, boolean atQuantile) implements Explained {
        public String message() {
            return "the plan uses " + gpuHours(usedMilli) + (atQuantile ? " at the confidence quantile of learned overruns" : "")
                    + ", over the budget of " + gpuHours(limitMilli);
        }
    }

    public record OverTeamCap(String team, long usedMilli, long capMilli, boolean atQuantile) implements Explained {
        public String message() {
            return "team " + team + " uses " + gpuHours(usedMilli) + (atQuantile ? " at the confidence quantile of learned overruns" : "")
                    + ", over its cap of " + gpuHours(capMilli);
        }
    }

    public record OverCapacity(String pool, long overflowGpuSlots) implements Explained {
        public String message() {
            return "pool " + pool + " is over capacity by " + overflowGpuSlots + " GPU-slots";
        }
    }

    public record WrongPool(String proposal, String pool) implements Explained {
        public String message() {
            return proposal + " does not fit on pool " + pool + " (GPU type or size)";
        }
    }

    public record BrokenDependency(String proposal, String prerequisite, boolean prerequisiteSelected, boolean pilot) implements Explained {
        public String message() {
            String what = pilot ? "its pilot " : "its dependency ";
            return prerequisiteSelected
                    ? proposal + " starts before " + what + prerequisite + " ends"
                    : proposal + " is selected but " + what + prerequisite + " is not";
        }
    }

    public record SeveralInGroup(String group, long selected) implements Explained {
        public String message() {
            return selected + " proposals of exclusive group " + group + " are selected; at most 1 may be";
        }
    }

    public record OutsideWindow(String proposal, int slotsOutside) implements Explained {
        public String message() {
            return proposal + " lies " + slotsOutside + " slots outside its time window";
        }
    }

    public record RequiredNotSelected(String proposal) implements Explained {
        public String message() {
            return proposal + " is required but not selected";
        }
    }

    public record ExpectedValue(String proposal, long expectedMilliValue) implements Explained {
        public String message() {
            return proposal + " adds expected value " + value(expectedMilliValue);
        }
    }

    public record LateResult(String proposal, int endSlot) implements Explained {
        public String message() {
            return proposal + " delivers its result at slot " + endSlot;
        }
    }

    public record InsideDeadlineMargin(String proposal, long gpuSlots) implements Explained {
        public String message() {
            return proposal + " runs " + gpuSlots + " GPU-slots inside the safety margin before its deadline";
        }
    }
}
