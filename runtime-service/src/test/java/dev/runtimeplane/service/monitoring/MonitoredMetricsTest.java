package dev.runtimeplane.service.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.service.testing.ApiClient.TestSession;
import dev.runtimeplane.service.testing.RunningService;
import io.micronaut.serde.ObjectMapper;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

/**
 * Every series the Grafana dashboard ({@code deploy/grafana}) and the alerting rules ({@code deploy/prometheus})
 * select is exported by a running service on {@code /prometheus}: the metric name, and each label value they
 * match exactly or by a plain alternation ({@code outcome=~"completed|failed"}). A renamed metric or a
 * misspelt label value would otherwise leave a panel empty and an alert silent.
 */
@MicronautTest
class MonitoredMetricsTest extends RunningService {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    /** Made by Prometheus itself, not by the service. */
    private static final Set<String> SCRAPE_SERIES = Set.of("up");
    /** Labels the scrape adds (or a variable fills in): not the service's to export. */
    private static final Set<String> TARGET_LABELS = Set.of("job", "instance");
    private static final Pattern SAMPLE = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? \\S+");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");
    private static final Pattern ALTERNATION = Pattern.compile("[A-Za-z0-9_./{} -]+(\\|[A-Za-z0-9_./{} -]+)*");

    /** Exported metric name to the label sets of its series. */
    private final Map<String, List<Map<String, String>>> exported = new HashMap<>();

    @BeforeAll
    void runWorkAndScrape() throws InterruptedException {
        // Some series appear only once something happened: HTTP requests, step durations.
        TestSession session = api.openSession("acme");
        for (String payload : List.of("{\"traveller\":\"ada\"}", "{\"traveller\":\"ada\",\"failAt\":\"charge-card\"}",
                "{\"traveller\":\"ada\",\"flakyAt\":\"reserve-hotel\"}")) {
            String url = submit(session, "{\"type\":\"trip-booking\",\"payload\":" + payload + "}");
            awaitTerminal(session, url);
        }
        HttpResponse<String> scrape = management.get("/prometheus", Map.of());
        assertEquals(200, scrape.statusCode(), scrape.body());
        for (String line : scrape.body().split("\n")) {
            Matcher sample = SAMPLE.matcher(line);
            if (!line.startsWith("#") && sample.find()) {
                Map<String, String> labels = new HashMap<>();
                Matcher label = LABEL.matcher(sample.group(2) == null ? "" : sample.group(2));
                while (label.find()) {
                    labels.put(label.group(1), label.group(2));
                }
                exported.computeIfAbsent(sample.group(1), name -> new ArrayList<>()).add(labels);
            }
        }
    }

    @Test
    void everySeriesTheAlertingRulesSelectIsExported() throws IOException {
        Map<String, Object> rules = new Yaml().load(Files.readString(ROOT.resolve("deploy/prometheus/alerts.yml")));
        Map<String, String> expressions = new LinkedHashMap<>();
        for (Map<String, Object> group : listOfMaps(rules.get("groups"))) {
            for (Map<String, Object> rule : listOfMaps(group.get("rules"))) {
                expressions.put((String) rule.get("alert"), (String) rule.get("expr"));
            }
        }
        assertTrue(expressions.size() >= 6, expressions.toString());
        assertAllExported(expressions);
    }

    @Test
    void everySeriesTheDashboardSelectsIsExported() throws IOException {
        Map<String, Object> dashboard = ObjectMapper.getDefault().readValue(
                Files.readString(ROOT.resolve("deploy/grafana/runtime-plane.json")), Map.class);
        Map<String, String> expressions = new LinkedHashMap<>();
        for (Map<String, Object> panel : listOfMaps(dashboard.get("panels"))) {
            if (panel.get("targets") != null) {
                List<Map<String, Object>> targets = listOfMaps(panel.get("targets"));
                for (int i = 0; i < targets.size(); i++) {
                    expressions.put(panel.get("title") + " #" + i, (String) targets.get(i).get("expr"));
                }
            }
        }
        assertTrue(expressions.size() >= 20, "the dashboard's queries were not found: " + expressions);
        assertAllExported(expressions);
        Map<String, Object> templating = asMap(dashboard.get("templating"));
        for (Map<String, Object> variable : listOfMaps(templating.get("list"))) {
            if ("query".equals(variable.get("type"))) {
                String query = (String) asMap(variable.get("query")).get("query");
                assertSelectorsExported("variable " + variable.get("name"), PromQlSelectors.ofLabelValuesQuery(query));
            }
        }
    }

    private void assertAllExported(Map<String, String> expressions) {
        expressions.forEach((where, expression) -> assertSelectorsExported(where, PromQlSelectors.of(expression)));
    }

    private void assertSelectorsExported(String where, List<PromQlSelectors.Selector> selectors) {
        assertTrue(!selectors.isEmpty(), where + ": no series selected");
        for (PromQlSelectors.Selector selector : selectors) {
            if (SCRAPE_SERIES.contains(selector.metric())) {
                continue;
            }
            List<Map<String, String>> series = exported.get(selector.metric());
            assertTrue(series != null, where + ": " + selector.metric() + " is not exported; exported runtime metrics: "
                    + new TreeSet<>(exported.keySet().stream().filter(name -> name.startsWith("runtime_")).toList()));
            for (PromQlSelectors.Matcher matcher : selector.matchers()) {
                if (TARGET_LABELS.contains(matcher.label())) {
                    continue;
                }
                for (String value : valuesToFind(matcher)) {
                    assertTrue(series.stream().anyMatch(labels -> value.equals(labels.get(matcher.label()))),
                            where + ": no series " + selector.metric() + "{" + matcher.label() + "=\"" + value
                                    + "\"}; exported: " + labelValues(series, matcher.label()));
                }
            }
        }
    }

    /** The values an exact or alternation matcher needs; none for negative or other regex matchers. */
    private static List<String> valuesToFind(PromQlSelectors.Matcher matcher) {
        return switch (matcher.operator()) {
            case "=" -> List.of(matcher.value());
            case "=~" -> ALTERNATION.matcher(matcher.value()).matches()
                    ? List.of(matcher.value().split("\\|")) : List.of();
            default -> List.of();
        };
    }

    private static Set<String> labelValues(List<Map<String, String>> series, String label) {
        Set<String> values = new HashSet<>();
        series.forEach(labels -> {
            if (labels.containsKey(label)) {
                values.add(labels.get(label));
            }
        });
        return values;
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> listOfMaps(Object value) {
        return (List<Map<String, Object>>) value;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object value) {
        return (Map<String, Object>) value;
    }
}
