package dev.gpuplan.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapVolumeSource;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.KubernetesList;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a reader applies from {@code deploy/} runs the service as configured: every manifest parses with the
 * fabric8 Kubernetes model, and the Deployment, Service, ConfigMap and Secret fit together and match
 * application.properties, planning-configs/ and (when a build has written it) the generated manifest.
 * Plain JUnit: no Quarkus, no cluster.
 */
class ManifestsTest {

    private static final Path DEPLOY = Path.of("deploy");
    private static final Path PLANNING_CONFIGS = Path.of("planning-configs");
    private static final Path APPLICATION_PROPERTIES = Path.of("src/main/resources/application.properties");
    private static final Path GENERATED = Path.of("target/kubernetes/kubernetes.yml");

    private static final String APP = "gpuplan";
    private static final String DB_SECRET = "gpuplan-db";
    private static final String CONFIG_MAP = "gpuplan-planning-configs";
    private static final Map<String, String> DB_ENV_TO_SECRET_KEY =
            Map.of("GPUPLAN_DB_URL", "url", "GPUPLAN_DB_USER", "username", "GPUPLAN_DB_PASSWORD", "password");

    private static Map<Path, List<HasMetadata>> manifests;
    private static List<HasMetadata> resources;
    private static Properties properties;

    @BeforeAll
    static void readDeployDirectory() throws IOException {
        manifests = new TreeMap<>();
        try (Stream<Path> files = Files.walk(DEPLOY)) {
            for (Path file : files.filter(ManifestsTest::isYaml).sorted().toList()) {
                manifests.put(file, parse(file));
            }
        }
        resources = manifests.values().stream().flatMap(List::stream).toList();
        properties = new Properties();
        try (Reader reader = Files.newBufferedReader(APPLICATION_PROPERTIES, StandardCharsets.UTF_8)) {
            properties.load(reader);
        }
    }

    @Test
    void everyYamlFileInDeployIsAKubernetesManifestOfKnownKinds() {
        assertThat(manifests).as("YAML files under deploy/").isNotEmpty();
        manifests.forEach((file, parsed) -> {
            assertThat(parsed).as(file + " holds Kubernetes resources").isNotEmpty();
            for (HasMetadata resource : parsed) {
                assertThat(resource).as(file + ": a kind the Kubernetes model knows (typo in apiVersion/kind?)")
                        .isNotInstanceOf(GenericKubernetesResource.class);
                assertThat(resource.getMetadata().getName()).as(file + ": " + resource.getKind() + " name").isNotBlank();
            }
        });
        assertThat(resources.stream().map(r -> r.getKind() + "/" + r.getMetadata().getName()))
                .as("one resource per kind and name across deploy/")
                .doesNotHaveDuplicates()
                .contains("Deployment/" + APP, "Service/" + APP, "ConfigMap/" + CONFIG_MAP, "Secret/" + DB_SECRET);
    }

    @Test
    void deploymentRunsServeFromTheConfiguredImage() throws Exception {
        Container container = container();
        List<String> commandLine = new ArrayList<>();
        commandLine.addAll(Optional.ofNullable(container.getCommand()).orElse(List.of()));
        commandLine.addAll(Optional.ofNullable(container.getArgs()).orElse(List.of()));
        assertThat(commandLine).as("the container's command and arguments").contains("serve");

        String expected = property("quarkus.container-image.group") + "/" + property("quarkus.container-image.name") + ":"
                + property("quarkus.container-image.tag").replace("${quarkus.application.version}", projectVersion());
        assertThat(withoutRegistry(container.getImage())).as("image (without registry) of " + container.getImage())
                .isEqualTo(expected);
    }

    @Test
    void probesAskTheHealthEndpointsOnTheHttpPort() {
        Container container = container();
        assertThat(httpGet(container.getLivenessProbe(), "liveness").getPath()).isEqualTo("/q/health/live");
        assertThat(httpGet(container.getReadinessProbe(), "readiness").getPath()).isEqualTo("/q/health/ready");
        for (Probe probe : Stream.of(container.getLivenessProbe(), container.getReadinessProbe(), container.getStartupProbe())
                .filter(Objects::nonNull).toList()) {
            assertThat(isContainerPort(container, httpGet(probe, "probe").getPort()))
                    .as("probe port " + httpGet(probe, "probe").getPort() + " is a container port").isTrue();
        }
    }

    @Test
    void databaseConnectionComesFromTheSecretWithThePostgresProfile() {
        Map<String, EnvVar> env = env(container());
        assertThat(env.get("QUARKUS_PROFILE")).as("QUARKUS_PROFILE").isNotNull();
        assertThat(env.get("QUARKUS_PROFILE").getValue()).as("QUARKUS_PROFILE selects the %pg datasource").isEqualTo("pg");

        Secret secret = single(Secret.class, DB_SECRET);
        List<String> secretKeys = new ArrayList<>();
        Optional.ofNullable(secret.getStringData()).ifPresent(data -> secretKeys.addAll(data.keySet()));
        Optional.ofNullable(secret.getData()).ifPresent(data -> secretKeys.addAll(data.keySet()));

        DB_ENV_TO_SECRET_KEY.forEach((name, key) -> {
            EnvVar variable = env.get(name);
            assertThat(variable).as("env " + name).isNotNull();
            assertThat(variable.getValue()).as(name + " has no literal value").isNull();
            SecretKeySelector ref = variable.getValueFrom() == null ? null : variable.getValueFrom().getSecretKeyRef();
            assertThat(ref).as(name + " comes from secretKeyRef").isNotNull();
            assertThat(ref.getName()).as(name + " secret").isEqualTo(DB_SECRET);
            assertThat(ref.getKey()).as(name + " secret key").isEqualTo(key);
            assertThat(secretKeys).as("keys of the example Secret " + DB_SECRET).contains(key);
        });
    }

    @Test
    void containerRequestsResourcesAndRunsAsNonRoot() {
        Container container = container();
        Map<String, Quantity> requests = container.getResources() == null ? null : container.getResources().getRequests();
        assertThat(requests).as("resource requests").isNotNull().containsKeys("cpu", "memory");
        assertThat(container.getResources().getLimits()).as("resource limits").isNotNull().containsKey("memory");

        PodSecurityContext pod = podSpec().getSecurityContext();
        SecurityContext own = container.getSecurityContext();
        boolean nonRoot = (pod != null && (Boolean.TRUE.equals(pod.getRunAsNonRoot()) || isNonRootUser(pod.getRunAsUser())))
                || (own != null && (Boolean.TRUE.equals(own.getRunAsNonRoot()) || isNonRootUser(own.getRunAsUser())));
        assertThat(nonRoot).as("runAsNonRoot or a non-root runAsUser on the pod or the container").isTrue();
    }

    @Test
    void severalReplicasAsConfigured() {
        Integer replicas = deployment().getSpec().getReplicas();
        assertThat(replicas).as("replicas").isEqualTo(Integer.valueOf(property("quarkus.kubernetes.replicas")));
        assertThat(replicas).as("several replicas share one PostgreSQL").isGreaterThanOrEqualTo(2);
    }

    @Test
    void planningConfigsAreMountedWhereGpuplanConfigDirPoints() {
        Container container = container();
        EnvVar configDir = env(container).get("GPUPLAN_CONFIG_DIR");
        assertThat(configDir).as("env GPUPLAN_CONFIG_DIR").isNotNull();

        VolumeMount mount = container.getVolumeMounts().stream()
                .filter(m -> normalised(m.getMountPath()).equals(normalised(configDir.getValue())))
                .findFirst().orElse(null);
        assertThat(mount).as("a volume mounted at GPUPLAN_CONFIG_DIR=" + configDir.getValue()).isNotNull();
        assertThat(mount.getSubPath()).as("whole volume mounted (a subPath mount never sees ConfigMap updates)").isNull();
        assertThat(mount.getReadOnly()).as("mounted read-only").isTrue();

        ConfigMapVolumeSource source = volume(mount.getName()).getConfigMap();
        assertThat(source).as("volume " + mount.getName() + " is a ConfigMap").isNotNull();
        assertThat(source.getName()).isEqualTo(CONFIG_MAP);
        assertThat(source.getDefaultMode()).as("files readable by the non-root user (e.g. 0444 = 292)")
                .isNotNull().matches(mode -> (mode & 0004) != 0, "world-readable");

        Map<String, String> data = single(ConfigMap.class, CONFIG_MAP).getData();
        Map<String, String> paths = source.getItems() == null
                ? data.keySet().stream().collect(Collectors.toMap(Function.identity(), Function.identity()))
                : source.getItems().stream().collect(Collectors.toMap(KeyToPath::getKey, KeyToPath::getPath));
        assertThat(paths).as("volume items of " + CONFIG_MAP + " (application.properties"
                + " quarkus.kubernetes.config-map-volumes.planning-configs.items) cover exactly its keys")
                .containsOnlyKeys(data.keySet());
        paths.forEach((key, path) -> assertThat(path).as("where key " + key + " lands").isEqualTo(relativePath(key)));
    }

    @Test
    void configMapHoldsThePlanningConfigsAsTheyAre() throws IOException {
        Map<String, String> expected = new TreeMap<>();
        try (Stream<Path> files = Files.list(PLANNING_CONFIGS)) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                expected.put(file.getFileName().toString(), Files.readString(file));
            }
        }
        try (Stream<Path> files = Files.list(PLANNING_CONFIGS.resolve("solver"))) {
            for (Path file : files.filter(Files::isRegularFile).toList()) {
                expected.put("solver." + file.getFileName(), Files.readString(file));
            }
        }
        assertThat(expected).as("planning-configs/").containsKeys("default.yaml", "deadline-crunch.yaml");
        assertThat(new TreeMap<>(single(ConfigMap.class, CONFIG_MAP).getData()))
                .as("deploy ConfigMap " + CONFIG_MAP + " equals planning-configs/ (stale? run deploy/regenerate.sh)")
                .isEqualTo(expected);
    }

    @Test
    void serviceSendsTrafficToTheContainerPort() {
        Service service = single(Service.class, APP);
        Map<String, String> podLabels = deployment().getSpec().getTemplate().getMetadata().getLabels();
        assertThat(podLabels).as("pod labels match the Service selector")
                .containsAllEntriesOf(service.getSpec().getSelector());
        assertThat(deployment().getSpec().getSelector().getMatchLabels()).as("Deployment selector")
                .isEqualTo(service.getSpec().getSelector());

        List<ServicePort> ports = service.getSpec().getPorts();
        assertThat(ports).as("Service ports").isNotEmpty();
        for (ServicePort port : ports) {
            IntOrString target = port.getTargetPort() != null ? port.getTargetPort() : new IntOrString(port.getPort());
            assertThat(isContainerPort(container(), target)).as("Service port " + port.getName() + " targets "
                    + target + ", a container port").isTrue();
        }
        assertThat(container().getPorts()).extracting(ContainerPort::getContainerPort)
                .as("container port is quarkus.http.port's default").contains(8080);
    }

    @Test
    void deployMatchesTheManifestTheBuildGenerated() throws IOException {
        assumeTrue(Files.exists(GENERATED)
                        && !Files.getLastModifiedTime(GENERATED).toInstant()
                        .isBefore(Files.getLastModifiedTime(APPLICATION_PROPERTIES).toInstant()),
                GENERATED + " absent or older than application.properties: run `./mvnw package` to compare");
        List<HasMetadata> generated = parse(GENERATED);
        for (HasMetadata resource : generated) {
            HasMetadata committed = single(resource.getClass(), resource.getMetadata().getName());
            assertThat(Serialization.asYaml(committed)).as(resource.getKind() + "/" + resource.getMetadata().getName()
                    + " in deploy/ equals " + GENERATED + " (stale? run deploy/regenerate.sh)")
                    .isEqualTo(Serialization.asYaml(resource));
        }
    }

    // --- reading the manifests

    private static boolean isYaml(Path file) {
        String name = file.getFileName().toString();
        return Files.isRegularFile(file) && (name.endsWith(".yaml") || name.endsWith(".yml"));
    }

    private static List<HasMetadata> parse(Path file) throws IOException {
        Object parsed;
        try (InputStream in = Files.newInputStream(file)) {
            parsed = Serialization.unmarshal(in);
        }
        List<HasMetadata> found = new ArrayList<>();
        if (parsed instanceof KubernetesList list) {
            found.addAll(list.getItems());
        } else if (parsed instanceof List<?> list) {
            list.stream().filter(Objects::nonNull).forEach(item -> found.add((HasMetadata) item));
        } else if (parsed instanceof HasMetadata single) {
            found.add(single);
        } else {
            throw new AssertionError(file + " is not a Kubernetes manifest: " + parsed);
        }
        return found;
    }

    private static <T extends HasMetadata> T single(Class<T> type, String name) {
        List<T> matches = resources.stream().filter(type::isInstance).map(type::cast)
                .filter(r -> name.equals(r.getMetadata().getName())).toList();
        assertThat(matches).as("exactly one " + type.getSimpleName() + " named " + name + " in deploy/").hasSize(1);
        return matches.get(0);
    }

    private static Deployment deployment() {
        return single(Deployment.class, APP);
    }

    private static PodSpec podSpec() {
        return deployment().getSpec().getTemplate().getSpec();
    }

    private static Container container() {
        List<Container> containers = podSpec().getContainers();
        assertThat(containers).as("containers of Deployment " + APP).hasSize(1);
        return containers.get(0);
    }

    private static Volume volume(String name) {
        return podSpec().getVolumes().stream().filter(v -> v.getName().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name + " in the pod"));
    }

    private static Map<String, EnvVar> env(Container container) {
        return Optional.ofNullable(container.getEnv()).orElse(List.of()).stream()
                .collect(Collectors.toMap(EnvVar::getName, Function.identity()));
    }

    private static HTTPGetAction httpGet(Probe probe, String what) {
        assertThat(probe).as(what + " probe").isNotNull();
        assertThat(probe.getHttpGet()).as(what + " probe is an HTTP GET").isNotNull();
        return probe.getHttpGet();
    }

    private static boolean isContainerPort(Container container, IntOrString port) {
        return container.getPorts().stream().anyMatch(p -> port.getIntVal() != null
                ? port.getIntVal().equals(p.getContainerPort())
                : port.getStrVal().equals(p.getName()));
    }

    private static boolean isNonRootUser(Long uid) {
        return uid != null && uid != 0;
    }

    /** The ConfigMap key solver.X.xml stands for the file solver/X.xml; other keys are file names. */
    private static String relativePath(String key) {
        return key.startsWith("solver.") ? "solver/" + key.substring("solver.".length()) : key;
    }

    private static String normalised(String path) {
        return path == null ? "" : path.replaceAll("/+$", "");
    }

    /** gpuplan/gpuplan:1.0 from registry.example:5000/gpuplan/gpuplan:1.0 (a first part with '.' or ':' is a host). */
    private static String withoutRegistry(String image) {
        int slash = image.indexOf('/');
        if (slash > 0) {
            String first = image.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                return image.substring(slash + 1);
            }
        }
        return image;
    }

    // --- reading the configuration the manifests must follow

    private static String property(String key) {
        String value = properties.getProperty(key);
        assertThat(value).as(key + " in " + APPLICATION_PROPERTIES).isNotBlank();
        return value.trim();
    }

    private static String projectVersion() throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        var project = factory.newDocumentBuilder().parse(Path.of("pom.xml").toFile()).getDocumentElement();
        for (var node = project.getFirstChild(); node != null; node = node.getNextSibling()) {
            if ("version".equals(node.getNodeName())) {
                return node.getTextContent().trim();
            }
        }
        throw new AssertionError("pom.xml has no project version");
    }
}
