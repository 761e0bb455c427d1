package dev.gpuplan.input;

import java.math.BigDecimal;

/**
 * The one place that states how long a text field and how large a number may be. Text lengths match the
 * columns of the schema (src/main/resources/db/migration) so a value that passes here always fits where it is
 * stored; number ranges keep every sum the solver forms in thousandths (GPU-hours x proposals, expected value x
 * slots) far inside a {@code long}, so no stored value can make a later plan overflow. The CLI and the service
 * read with the same limits. (What a request may ask the service to do, e.g. how many proposals or frontier
 * points, is configurable: {@code dev.gpuplan.config.Limits}.)
 */
public final class FieldLimits {

    /** {@code proposal.proposal_key VARCHAR(64)}; the key pattern allows 64 characters. */
    public static final int KEY = 64;
    /** {@code proposal.team VARCHAR(200)}. */
    public static final int TEAM = 200;
    /** {@code pool.name VARCHAR(200)}, {@code plan_assignment.pool VARCHAR(200)}. */
    public static final int POOL_NAME = 200;
    /** Stored in the proposal and pool documents, repeated in reason texts. */
    public static final int GPU_TYPE = 64;
    public static final int OWNER = 200;
    public static final int TITLE = 200;
    public static final int EXCLUSIVE_GROUP = 200;
    /** {@code plan.config_name VARCHAR(64)}. */
    public static final int CONFIG_NAME = 64;
    /** Any other text (e.g. a field of a request that is only compared, never stored). */
    public static final int OTHER_TEXT = 200;

    /** A number literal longer than this is refused before it is parsed. */
    public static final int NUMBER_CHARACTERS = 40;
    /** Decimal places kept by the solver are thousandths; more than this many are refused as a typo. */
    public static final int DECIMAL_PLACES = 9;

    /** {@code value}: at most a billion per proposal. */
    public static final BigDecimal VALUE = new BigDecimal("1000000000");
    /** {@code successProbability}: at least one in a million (below that the expected value rounds to 0). */
    public static final BigDecimal MIN_SUCCESS_PROBABILITY = new BigDecimal("0.000001");
    /** {@code gpus} of a proposal and of a pool. */
    public static final int GPUS = 100_000;
    /** GPU-hour budgets and per-team caps: at most a trillion GPU-hours. */
    public static final BigDecimal GPU_HOURS = new BigDecimal("1000000000000");
    /** Entries of a list inside one proposal or pool ({@code dependsOn}, {@code unavailable}). */
    public static final int LIST_ENTRIES = 1_000;

    private FieldLimits() {
    }

    /**
     * Why {@code text} may not be stored: a control character (NUL, newline, ...), a bidirectional override or
     * isolate (text that displays differently from what it is), or a lone surrogate; null when it is fine.
     */
    public static String unsafeCharacter(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (Character.isISOControl(c)) {
                return "must not contain control characters (found U+" + hex(c) + " at position " + (i + 1) + ")";
            }
            if ((c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\u200E' || c == '\u200F'
                    || c == '\u061C') {
                return "must not contain bidirectional control characters (found U+" + hex(c) + " at position " + (i + 1) + ")";
            }
            if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                return "must not contain unpaired surrogates (found U+" + hex(c) + " at position " + (i + 1) + ")";
            }
        }
        return null;
    }

    private static String hex(char c) {
        return String.format("%04X", (int) c);
    }

    /** At most {@code max} characters of {@code text}, for quoting an input back in an error message. */
    public static String quote(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max) + "...(" + text.length() + " characters)";
    }
}
