package dev.gpuplan.input;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.yaml.snakeyaml.nodes.Node;

import dev.gpuplan.domain.PlanningPeriod;

/** {@code PUT /api/budget}: {@code {gpuHours, perTeam?: {team: gpuHours}, start?, end?}} (start and end default to the stored horizon's). */
public final class PeriodRequest {

    private static final Set<String> FIELDS = YamlFields.names("gpuHours", "perTeam", "start", "end");

    private PeriodRequest() {
    }

    public static PlanningPeriod read(String source, String text) {
        Node root = PortfolioReader.parse(source, text);
        List<InputError> errors = new ArrayList<>();
        YamlFields f = YamlFields.of(root, "", FIELDS, errors);
        BigDecimal gpuHours = f.number("gpuHours", true);
        if (gpuHours != null && gpuHours.signum() <= 0) {
            f.error("gpuHours", "must be > 0, got " + gpuHours.toPlainString());
        }
        Map<String, BigDecimal> perTeam = f.numbers("perTeam");
        perTeam.forEach((team, cap) -> {
            if (cap.signum() < 0) {
                f.error("perTeam." + team, "must be >= 0, got " + cap.toPlainString());
            }
        });
        Instant start = f.instant("start", false);
        Instant end = f.instant("end", false);
        if (start != null && end != null && !end.isAfter(start)) {
            f.error("end", "must be after start (" + start + "), got " + end);
        }
        if (!errors.isEmpty()) {
            throw new InvalidInputException(source, errors);
        }
        return new PlanningPeriod(gpuHours, perTeam, start, end, null);
    }
}
