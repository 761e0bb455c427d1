package dev.gpuplan.cli;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine;

/** A GPU-hour budget as people write it: {@code 2000}, {@code 2000h}, {@code 2000-gpu-hours}. */
final class BudgetText implements CommandLine.ITypeConverter<BigDecimal> {

    private static final Pattern BUDGET = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(h|gpu-hours|-gpu-hours|gpuh)?", Pattern.CASE_INSENSITIVE);

    @Override
    public BigDecimal convert(String text) {
        Matcher m = BUDGET.matcher(text.trim());
        if (!m.matches() || new BigDecimal(m.group(1)).signum() <= 0) {
            throw new CommandLine.TypeConversionException(
                    "budget must be a number of GPU-hours > 0 such as 2000, 2000h or 2000-gpu-hours, got '" + text + "'");
        }
        return new BigDecimal(m.group(1));
    }
}
