package dev.runtimeplane.service.deploy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Reads docker-compose.yml, traefik/ and the Dockerfile and checks them against the service's own
 * defaults (application.yml), so the deployment cannot drift from what the service does on SIGTERM.
 */
class DeploymentConfigTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static Map<String, Object> compose;
    private static Map<String, Object> service;
    private static Map<String, Map<String, Object>> runtimeReplicas;

    @BeforeAll
    static void load() throws IOException {
        compose = yaml(ROOT.resolve("docker-compose.yml"));
        service = yaml(ROOT.resolve("runtime-service/src/main/resources/application.yml"));
        runtimeReplicas = new LinkedHashMap<>();
        services().forEach((name, definition) -> {
            if (labels(definition).containsKey("traefik.enable")) {
                runtimeReplicas.put(name, definition);
            }
        });
    }

    @Test
    void atLeastTwoRoutedReplicas() {
        assertTrue(runtimeReplicas.size() >= 2, "replicas routed by Traefik: " + runtimeReplicas.keySet());
        runtimeReplicas.forEach((name, replica) ->
                assertEquals("true", labels(replica).get("traefik.enable"), name));
    }

    @Test
    void traefikHealthCheckMatchesTheServiceReadinessProbe() {
        for (Map.Entry<String, Map<String, Object>> replica : runtimeReplicas.entrySet()) {
            Map<String, String> labels = labels(replica.getValue());
            assertEquals("/health/ready", labels.get("traefik.http.services.runtime.loadbalancer.healthcheck.path"), replica.getKey());
            assertEquals(String.valueOf(managementPort()),
                    labels.get("traefik.http.services.runtime.loadbalancer.healthcheck.port"), replica.getKey());
            assertEquals(String.valueOf(apiPort()),
                    labels.get("traefik.http.services.runtime.loadbalancer.server.port"), replica.getKey());
            assertNotNull(labels.get("traefik.http.services.runtime.loadbalancer.sticky.cookie.name"), "sticky cookie");
        }
    }

    @Test
    void healthCheckIntervalPlusTimeoutFitsInTheDrainDelay() {
        for (Map.Entry<String, Map<String, Object>> replica : runtimeReplicas.entrySet()) {
            Map<String, String> labels = labels(replica.getValue());
            Duration interval = duration(labels.get("traefik.http.services.runtime.loadbalancer.healthcheck.interval"));
            Duration timeout = duration(labels.get("traefik.http.services.runtime.loadbalancer.healthcheck.timeout"));
            Duration drainDelay = drainDelay(replica.getValue());
            assertTrue(interval.plus(timeout).compareTo(drainDelay) <= 0,
                    replica.getKey() + ": interval " + interval + " + timeout " + timeout + " > drain-delay " + drainDelay);
        }
    }

    @Test
    void stopGracePeriodCoversTheWholeDrain() {
        for (Map.Entry<String, Map<String, Object>> replica : runtimeReplicas.entrySet()) {
            Duration grace = duration(String.valueOf(replica.getValue().get("stop_grace_period")));
            Duration drain = drainDelay(replica.getValue()).plus(drainTimeout(replica.getValue()));
            assertTrue(grace.compareTo(drain.plusSeconds(5)) > 0,
                    replica.getKey() + ": stop_grace_period " + grace + " leaves no margin over drain " + drain);
        }
    }

    @Test
    void theManagementPortIsNeverRouted() {
        String management = String.valueOf(managementPort());
        services().forEach((name, definition) -> {
            labels(definition).forEach((key, value) -> {
                if (key.endsWith(".server.port") || key.endsWith(".rule")) {
                    assertFalse(value.contains(management), name + " routes the management port: " + key);
                }
            });
            Object ports = definition.get("ports");
            if (ports instanceof List<?> published) {
                published.forEach(port -> assertFalse(String.valueOf(port).endsWith(":" + management),
                        name + " publishes the management port"));
            }
        });
    }

    @Test
    void everyReplicaHasItsOwnWalVolume() throws IOException {
        String walDir = dockerfileEnv("WAL_DIR");
        assertTrue(dockerfile().contains("VOLUME " + walDir), "the Dockerfile declares the WAL volume");
        Set<String> volumes = new HashSet<>();
        runtimeReplicas.forEach((name, replica) -> {
            @SuppressWarnings("unchecked")
            List<String> mounts = (List<String>) replica.get("volumes");
            String walMount = mounts.stream().filter(mount -> mount.endsWith(":" + walDir)).findFirst()
                    .orElseThrow(() -> new AssertionError(name + " mounts no volume at " + walDir));
            assertTrue(volumes.add(walMount.substring(0, walMount.indexOf(':'))), name + " shares a WAL volume");
        });
    }

    @Test
    void theImageAndTheReplicasRunWithProductionSettings() throws IOException {
        Map<String, Object> runtime = map(service.get("runtime"));
        assertEquals(false, runtime.get("development-mode"), "development mode is off by default");
        assertEquals(false, map(runtime.get("examples")).get("enabled"), "the example intent types are off by default");
        for (String development : List.of("RUNTIME_DEVELOPMENT_MODE", "RUNTIME_EXAMPLES_ENABLED")) {
            assertFalse(dockerfile().contains(development), "the image sets " + development);
            runtimeReplicas.forEach((name, replica) ->
                    assertFalse(map(replica.get("environment")).containsKey(development), name + " sets " + development));
        }
    }

    @Test
    void replicasStartOnlyAfterRedisIsHealthy() {
        Map<String, Object> redis = services().get("redis");
        assertNotNull(redis.get("healthcheck"), "redis has a health check");
        assertTrue(String.valueOf(redis.get("command")).contains("--appendonly, yes"), "redis keeps an AOF");
        runtimeReplicas.forEach((name, replica) -> {
            Map<String, Object> dependsOn = map(replica.get("depends_on"));
            assertEquals("service_healthy", map(dependsOn.get("redis")).get("condition"), name);
            assertEquals("redis://redis:6379", map(replica.get("environment")).get("REDIS_URI"), name);
        });
    }

    @Test
    void traefikStaticAndDynamicConfiguration() throws IOException {
        Map<String, Object> traefik = yaml(ROOT.resolve("traefik/traefik.yml"));
        assertEquals(false, map(map(traefik.get("providers")).get("docker")).get("exposedByDefault"));
        assertNotNull(traefik.get("ping"), "ping is on");
        assertEquals(false, map(traefik.get("api")).get("dashboard"));
        assertNotNull(traefik.get("accessLog"), "access log is on");
        Map<String, Object> middlewares = map(map(yaml(ROOT.resolve("traefik/dynamic.yml")).get("http")).get("middlewares"));
        runtimeReplicas.values().forEach(replica -> labels(replica).forEach((key, value) -> {
            if (key.endsWith(".middlewares")) {
                for (String middleware : value.split(",")) {
                    assertTrue(middlewares.containsKey(middleware.replace("@file", "")), "undefined middleware " + middleware);
                }
            }
        }));
    }

    @Test
    void dockerfileRunsAsNonRootWithAnExecEntrypointAndAReadinessHealthCheck() throws IOException {
        String dockerfile = dockerfile();
        Matcher user = Pattern.compile("(?m)^USER (\\S+)").matcher(dockerfile);
        assertTrue(user.find(), "a USER instruction");
        assertFalse(List.of("root", "0").contains(user.group(1)), "runs as non-root");
        assertTrue(Pattern.compile("(?m)^ENTRYPOINT \\[").matcher(dockerfile).find(), "exec-form entry point");
        Matcher healthcheck = Pattern.compile("(?m)^HEALTHCHECK --interval=(\\S+) --timeout=(\\S+).*\\n.*CMD (.*)$")
                .matcher(dockerfile);
        assertTrue(healthcheck.find(), "a HEALTHCHECK");
        assertTrue(healthcheck.group(3).contains("${ENDPOINTS_ALL_PORT:-" + managementPort() + "}/health/ready"),
                "the check follows ENDPOINTS_ALL_PORT: " + healthcheck.group(3));
        assertTrue(dockerfile.contains("apt-get install -y --no-install-recommends curl"), "the check's tool is installed");
        Map<String, String> labels = labels(runtimeReplicas.values().iterator().next());
        assertEquals(labels.get("traefik.http.services.runtime.loadbalancer.healthcheck.interval"), healthcheck.group(1));
        assertEquals(labels.get("traefik.http.services.runtime.loadbalancer.healthcheck.timeout"), healthcheck.group(2));
        assertTrue(dockerfile.contains("FROM eclipse-temurin:25-jdk AS build") && dockerfile.contains("FROM eclipse-temurin:25-jre"),
                "multi-stage: JDK 25 build, JRE 25 runtime");
        assertTrue(dockerfile.contains("./mvnw"), "built through the Maven wrapper");
    }

    @Test
    void dockerfileBuildsEveryModuleWithoutARegistryFrontendOrAnnouncedJvmOptions() throws IOException {
        String dockerfile = dockerfile();
        assertFalse(dockerfile.startsWith("# syntax="), "the built-in frontend; a syntax line fetches one from a registry");
        Matcher module = Pattern.compile("<module>(.+)</module>").matcher(Files.readString(ROOT.resolve("pom.xml")));
        while (module.find()) {
            assertTrue(dockerfile.contains("COPY " + module.group(1) + "/pom.xml " + module.group(1) + "/"),
                    "the dependency layer copies " + module.group(1) + "/pom.xml");
        }
        assertFalse(dockerfile.contains("JAVA_TOOL_OPTIONS=") || dockerfile.contains("JDK_JAVA_OPTIONS="),
                "JVM options the JVM announces with a non-JSON 'Picked up' line");
        assertTrue(dockerfile.contains("ENTRYPOINT [\"java\", \"@/app/jvm.options\""), "options from the argument file");
        String options = Files.readString(ROOT.resolve("containers/jvm.options"));
        assertTrue(options.contains("-XX:+UseCompressedOops"),
                "with MaxRAMPercentage named, only an explicit UseCompressedOops caps the heap below 32 GB");
    }

    @Test
    void traefikAnswers503WhenNoReplicaIsReady() throws IOException {
        Map<String, Object> http = map(yaml(ROOT.resolve("traefik/dynamic.yml")).get("http"));
        Map<String, Object> fallback = map(map(http.get("routers")).get("runtime-unavailable"));
        Map<String, String> labels = labels(runtimeReplicas.values().iterator().next());
        labels.forEach((key, value) -> {
            if (key.startsWith("traefik.http.routers.") && key.endsWith(".priority")) {
                assertTrue(Integer.parseInt(value) > (Integer) fallback.get("priority"), key + " outranks the 503 router");
            }
        });
        assertEquals(labels.get("traefik.http.routers.runtime.rule"), fallback.get("rule"), "the 503 router covers the same paths");
        Map<String, Object> service = map(map(http.get("services")).get(String.valueOf(fallback.get("service"))));
        assertEquals(List.of(), map(service.get("loadBalancer")).get("servers"), "a service without servers: 503");
    }

    // ---- helpers -------------------------------------------------------------------------------

    private static int apiPort() {
        return (Integer) map(map(service.get("micronaut")).get("server")).get("port");
    }

    private static int managementPort() {
        return (Integer) map(map(service.get("endpoints")).get("all")).get("port");
    }

    private static Duration drainDelay(Map<String, Object> replica) {
        return setting(replica, "RUNTIME_SHUTDOWN_DRAIN_DELAY", "drain-delay");
    }

    private static Duration drainTimeout(Map<String, Object> replica) {
        return setting(replica, "RUNTIME_SHUTDOWN_DRAIN_TIMEOUT", "drain-timeout");
    }

    /** The replica's environment override if any, else the service default. */
    private static Duration setting(Map<String, Object> replica, String environmentVariable, String key) {
        Object override = map(replica.get("environment")).get(environmentVariable);
        if (override != null) {
            return duration(String.valueOf(override));
        }
        return duration(String.valueOf(map(map(service.get("runtime")).get("shutdown")).get(key)));
    }

    static Duration duration(String text) {
        Matcher matcher = Pattern.compile("(\\d+)(ms|s|m)").matcher(text.trim());
        assertTrue(matcher.matches(), "not a duration: " + text);
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            default -> Duration.ofMinutes(amount);
        };
    }

    private static String dockerfile() throws IOException {
        return Files.readString(ROOT.resolve("Dockerfile"));
    }

    private static String dockerfileEnv(String name) throws IOException {
        Matcher matcher = Pattern.compile("(?m)^ENV " + name + "=(\\S+)").matcher(dockerfile());
        assertTrue(matcher.find(), "the Dockerfile's ENV sets " + name);
        return matcher.group(1);
    }

    private static Map<String, Map<String, Object>> services() {
        Map<String, Map<String, Object>> services = new LinkedHashMap<>();
        map(compose.get("services")).forEach((name, definition) -> services.put(name, map(definition)));
        return services;
    }

    private static Map<String, String> labels(Map<String, Object> definition) {
        Map<String, String> labels = new LinkedHashMap<>();
        if (definition.get("labels") instanceof List<?> list) {
            for (Object label : list) {
                String text = String.valueOf(label);
                int equals = text.indexOf('=');
                labels.put(text.substring(0, equals), text.substring(equals + 1));
            }
        }
        return labels;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value == null ? Map.of() : (Map<String, Object>) value;
    }

    private static Map<String, Object> yaml(Path path) throws IOException {
        return new Yaml().load(Files.readString(path));
    }
}
