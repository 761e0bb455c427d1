package dev.gpuplan.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import dev.gpuplan.config.ClusterMapping;

/**
 * Kubernetes Jobs for Kueue: one {@code batch/v1} Job per run, created suspended (Kueue admits and unsuspends it),
 * labelled with its LocalQueue ({@code kueue.x-k8s.io/queue-name}), asking for {@code nvidia.com/gpu} GPUs, placed by the
 * pool's node selector and tolerations, and annotated with the plan, proposal and planned start. Written by SnakeYAML
 * from maps, so every value is quoted as YAML needs; commands run as {@code /bin/sh -c COMMAND} in the container.
 * Kubernetes has no start time or dependencies for Jobs: those are annotations for whoever releases the Jobs.
 */
public final class KubernetesJobs {

    public static final String QUEUE_LABEL = "kueue.x-k8s.io/queue-name";
    public static final String GPU_RESOURCE = "nvidia.com/gpu";
    public static final String PLAN_ANNOTATION = "gpuplan.dev/plan";
    public static final String PROPOSAL_ANNOTATION = "gpuplan.dev/proposal";
    public static final String START_ANNOTATION = "gpuplan.dev/planned-start";
    static final String NO_COMMAND = "echo \"gpuplan: proposal $GPUPLAN_PROPOSAL has no command: add 'command:' to the proposal"
            + " and export the plan again\" >&2; exit 2";

    private KubernetesJobs() {
    }

    public static String fileName(ExportRun run) {
        return run.proposal() + ".yaml";
    }

    /** The files of the export directory, by name, in dependency order. */
    public static Map<String, String> files(List<ExportRun> runs, String image) {
        Map<String, String> files = new LinkedHashMap<>();
        for (ExportRun run : runs) {
            files.put(fileName(run), yaml(job(run, image, jobName(run.proposal(), run.plan()))));
        }
        return files;
    }

    /** A DNS-1123 label from the key and the plan: {@code <key>-<first 8 letters or digits of the plan>}. */
    static String jobName(String proposal, String plan) {
        String key = proposal.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9-]", "-");
        if (key.length() > 54) {
            key = key.substring(0, 54);
        }
        key = key.replaceAll("-+$", "");
        String tag = plan.toLowerCase(Locale.ROOT).replaceFirst("^file-", "").replaceAll("[^a-z0-9]", "");
        return key + "-" + tag.substring(0, Math.min(8, tag.length()));
    }

    static Map<String, Object> job(ExportRun run, String image, String name) {
        Map<String, Object> labels = new LinkedHashMap<>();
        labels.put(QUEUE_LABEL, run.mapping().queue());
        labels.put("app.kubernetes.io/managed-by", "gpuplan");
        Map<String, Object> annotations = new LinkedHashMap<>();
        annotations.put(PLAN_ANNOTATION, run.plan());
        annotations.put(PROPOSAL_ANNOTATION, run.proposal());
        annotations.put(START_ANNOTATION, run.start().toString());
        annotations.put("gpuplan.dev/planned-end", run.end().toString());
        annotations.put("gpuplan.dev/pool", run.pool());
        if (!run.dependsOn().isEmpty()) {
            annotations.put("gpuplan.dev/depends-on", String.join(",", run.dependsOn()));
        }
        if (run.title() != null) {
            annotations.put("gpuplan.dev/title", run.title());
        }
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", name);
        metadata.put("labels", labels);
        metadata.put("annotations", annotations);

        Map<String, Object> container = new LinkedHashMap<>();
        container.put("name", "run");
        container.put("image", image);
        container.put("command", List.of("/bin/sh", "-c"));
        container.put("args", List.of(run.command() == null ? NO_COMMAND : run.command()));
        container.put("env", List.of(env("GPUPLAN_PLAN", run.plan()), env("GPUPLAN_PROPOSAL", run.proposal()),
                env("GPUPLAN_POOL", run.pool())));
        String gpus = Integer.toString(run.gpus());
        container.put("resources", Map.of("limits", Map.of(GPU_RESOURCE, gpus), "requests", Map.of(GPU_RESOURCE, gpus)));

        Map<String, Object> podSpec = new LinkedHashMap<>();
        podSpec.put("restartPolicy", "Never");
        if (!run.mapping().nodeSelector().isEmpty()) {
            podSpec.put("nodeSelector", new LinkedHashMap<>(run.mapping().nodeSelector()));
        }
        if (!run.mapping().tolerations().isEmpty()) {
            List<Map<String, Object>> tolerations = new ArrayList<>();
            for (ClusterMapping.Toleration t : run.mapping().tolerations()) {
                Map<String, Object> toleration = new LinkedHashMap<>();
                if (t.key() != null) {
                    toleration.put("key", t.key());
                }
                toleration.put("operator", t.operator());
                if (t.value() != null) {
                    toleration.put("value", t.value());
                }
                if (t.effect() != null) {
                    toleration.put("effect", t.effect());
                }
                tolerations.add(toleration);
            }
            podSpec.put("tolerations", tolerations);
        }
        podSpec.put("containers", List.of(container));

        Map<String, Object> template = new LinkedHashMap<>();
        template.put("metadata", Map.of("labels", Map.of(QUEUE_LABEL, run.mapping().queue())));
        template.put("spec", podSpec);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("suspend", true);
        spec.put("backoffLimit", 0);
        spec.put("template", template);

        Map<String, Object> job = new LinkedHashMap<>();
        job.put("apiVersion", "batch/v1");
        job.put("kind", "Job");
        job.put("metadata", metadata);
        job.put("spec", spec);
        return job;
    }

    private static Map<String, Object> env(String name, String value) {
        Map<String, Object> env = new LinkedHashMap<>();
        env.put("name", name);
        env.put("value", value);
        return env;
    }

    static String yaml(Map<String, Object> document) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setSplitLines(false);
        options.setIndicatorIndent(0);
        return new Yaml(options).dump(document);
    }
}
