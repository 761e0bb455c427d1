package dev.gpuplan.cluster;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Slurm batch scripts for a plan: one {@code <proposal>.sbatch} per run and {@code submit-all.sh}, which submits
 * them in dependency order, passes {@code --dependency=afterok:} with the job ids Slurm gave the runs each one
 * depends on, and records every job id in {@code job-ids.tsv}.
 * <p>
 * Every {@code #SBATCH} value is either computed here or a name checked against a plain pattern (proposal keys,
 * plan ids, partitions, GRES types); free text (titles, commands, pool names) appears only inside one
 * {@link ShellQuote ANSI-C quoted} word after the directives, so it can neither add a directive nor a shell command.
 */
public final class SlurmScripts {

    public static final String SUBMIT_ALL = "submit-all.sh";
    public static final String JOB_IDS = "job-ids.tsv";
    /** The comment that traces a job back to its plan and proposal: {@code gpuplan:<plan>/<proposal>}. */
    public static final String COMMENT_PREFIX = "gpuplan:";
    private static final DateTimeFormatter BEGIN = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss").withZone(ZoneOffset.UTC);

    private SlurmScripts() {
    }

    public static String fileName(ExportRun run) {
        return run.proposal() + ".sbatch";
    }

    /** The files of the export directory, by name, in dependency order; {@code submit-all.sh} last. */
    public static Map<String, String> files(List<ExportRun> runs, Duration timeGrace) {
        Map<String, String> files = new LinkedHashMap<>();
        for (ExportRun run : runs) {
            files.put(fileName(run), script(run, timeGrace));
        }
        files.put(SUBMIT_ALL, submitAll(runs));
        return files;
    }

    static String script(ExportRun run, Duration timeGrace) {
        ExportRun r = run;
        String gres = r.mapping().gresType() == null ? "gpu:" + r.gpus() : "gpu:" + r.mapping().gresType() + ":" + r.gpus();
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/bash\n");
        s.append("#SBATCH --job-name=").append(r.proposal()).append('\n');
        s.append("#SBATCH --partition=").append(r.mapping().partition()).append('\n');
        s.append("#SBATCH --gres=").append(gres).append('\n');
        s.append("#SBATCH --time=").append(timeLimit(r.hours(), timeGrace)).append('\n');
        s.append("#SBATCH --begin=").append(BEGIN.format(r.start())).append('\n');
        s.append("#SBATCH --comment=").append(comment(r.plan(), r.proposal())).append('\n');
        s.append("#SBATCH --output=").append(r.proposal()).append("-%j.out\n");
        s.append("# gpuplan: plan ").append(r.plan()).append(", proposal ").append(r.proposal()).append(", planned ")
                .append(r.start()).append(" to ").append(r.end()).append(" with ").append(r.gpus()).append(" GPUs.\n");
        s.append("# --begin is UTC: submit with TZ=UTC (").append(SUBMIT_ALL).append(" does).\n");
        if (!r.dependsOn().isEmpty()) {
            s.append("# Runs after: ").append(String.join(", ", r.dependsOn())).append(" (").append(SUBMIT_ALL)
                    .append(" adds --dependency=afterok: with their job ids).\n");
        }
        if (!r.dependenciesOutsidePlan().isEmpty()) {
            s.append("# Not waited for (not runs of this plan): ").append(String.join(", ", r.dependenciesOutsidePlan())).append(".\n");
        }
        s.append("set -euo pipefail\n");
        s.append("export GPUPLAN_PLAN=").append(ShellQuote.quote(r.plan())).append('\n');
        s.append("export GPUPLAN_PROPOSAL=").append(ShellQuote.quote(r.proposal())).append('\n');
        s.append("export GPUPLAN_POOL=").append(ShellQuote.quote(r.pool())).append('\n');
        s.append("export GPUPLAN_TITLE=").append(ShellQuote.quote(r.title() == null ? "" : r.title())).append('\n');
        if (r.command() == null) {
            s.append("echo \"gpuplan: proposal $GPUPLAN_PROPOSAL has no command: add 'command:' to the proposal and export the plan again\" >&2\n");
            s.append("exit 2\n");
        } else {
            s.append("GPUPLAN_COMMAND=").append(ShellQuote.quote(r.command())).append('\n');
            s.append("exec /bin/bash -c \"$GPUPLAN_COMMAND\"\n");
        }
        return s.toString();
    }

    public static String comment(String plan, String proposal) {
        return COMMENT_PREFIX + plan + "/" + proposal;
    }

    /** Slurm's {@code --time}: the run's hours rounded up to whole minutes, plus the grace, as {@code [D-]HH:MM:00}. */
    static String timeLimit(BigDecimal hours, Duration grace) {
        long minutes = hours.multiply(BigDecimal.valueOf(60)).setScale(0, RoundingMode.CEILING).longValueExact()
                + (grace.toSeconds() + 59) / 60;
        long days = minutes / (24 * 60);
        long rest = minutes % (24 * 60);
        String hhmm = String.format("%02d:%02d:00", rest / 60, rest % 60);
        return days > 0 ? days + "-" + hhmm : hhmm;
    }

    static String submitAll(List<ExportRun> runs) {
        String plan = runs.isEmpty() ? "(none)" : runs.get(0).plan();
        StringBuilder s = new StringBuilder();
        s.append("#!/bin/bash\n");
        s.append("# Submits the ").append(runs.size()).append(" runs of gpuplan plan ").append(plan)
                .append(" to Slurm, each after the runs it depends on.\n");
        s.append("# Job ids go to ").append(JOB_IDS).append(" (proposal, tab, job id). Run again after a failure: runs already\n");
        s.append("# recorded there are not submitted twice. SBATCH=/path/to/sbatch overrides the sbatch used.\n");
        s.append("set -euo pipefail\n");
        s.append("cd \"$(dirname \"$0\")\"\n");
        s.append("export TZ=UTC # the scripts' --begin times are UTC\n");
        s.append("SBATCH=${SBATCH:-sbatch}\n");
        s.append("declare -A JOB=()\n");
        s.append("if [ -f ").append(JOB_IDS).append(" ]; then\n");
        s.append("  while IFS=$'\\t' read -r key id; do [ -n \"$key\" ] && JOB[$key]=$id; done < ").append(JOB_IDS).append('\n');
        s.append("fi\n");
        s.append("submit() {\n");
        s.append("  local key=$1 script=$2 dep after=\"\"\n");
        s.append("  shift 2\n");
        s.append("  if [ -n \"${JOB[$key]:-}\" ]; then echo \"$key: already submitted as job ${JOB[$key]}\"; return; fi\n");
        s.append("  for dep in \"$@\"; do\n");
        s.append("    if [ -z \"${JOB[$dep]:-}\" ]; then echo \"submit-all: $key depends on $dep, which has no job id\" >&2; exit 1; fi\n");
        s.append("    after=\"$after:${JOB[$dep]}\"\n");
        s.append("  done\n");
        s.append("  local args=(--parsable) out id\n");
        s.append("  if [ -n \"$after\" ]; then args+=(\"--dependency=afterok$after\"); fi\n");
        s.append("  if ! out=$(\"$SBATCH\" \"${args[@]}\" \"$script\"); then\n");
        s.append("    echo \"submit-all: sbatch refused $key (see its message above); runs submitted so far are in ").append(JOB_IDS).append("\" >&2\n");
        s.append("    exit 1\n");
        s.append("  fi\n");
        s.append("  id=${out%%;*}\n");
        s.append("  case \"$id\" in ''|*[!0-9]*) echo \"submit-all: sbatch answered '$out' for $key, not a job id\" >&2; exit 1 ;; esac\n");
        s.append("  JOB[$key]=$id\n");
        s.append("  printf '%s\\t%s\\n' \"$key\" \"$id\" >> ").append(JOB_IDS).append('\n');
        s.append("  echo \"$key: job $id${after:+ (after job ${after#:})}\"\n");
        s.append("}\n");
        for (ExportRun run : runs) {
            s.append("submit ").append(run.proposal()).append(' ').append(fileName(run));
            run.dependsOn().forEach(d -> s.append(' ').append(d));
            s.append('\n');
        }
        return s.toString();
    }
}
