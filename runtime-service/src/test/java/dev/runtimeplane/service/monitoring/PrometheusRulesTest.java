package dev.runtimeplane.service.monitoring;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.service.testing.ExternalTool;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The alerting rules in {@code deploy/prometheus} as Prometheus itself reads them: {@code promtool check rules},
 * {@code promtool check config} for the example scrape configuration, and the rule unit tests
 * ({@code alerts-test.yml}: each alert fires on the series that should raise it and stays quiet on a near miss).
 */
class PrometheusRulesTest {

    private static final Path RULES = Path.of("..", "deploy", "prometheus").toAbsolutePath().normalize();

    @Test
    void theRulesAreValid() throws Exception {
        String out = promtool("check", "rules", "alerts.yml");
        assertTrue(out.contains("SUCCESS"), out);
    }

    @Test
    void theScrapeConfigurationIsValidAndLoadsTheRules() throws Exception {
        String out = promtool("check", "config", "prometheus.yml");
        assertTrue(out.contains("1 rule files found"), out);
    }

    @Test
    void theRuleUnitTestsPass() throws Exception {
        String out = promtool("test", "rules", "alerts-test.yml");
        assertTrue(out.contains("SUCCESS"), out);
    }

    private static String promtool(String... args) throws IOException, InterruptedException {
        Path promtool = ExternalTool.require("promtool", "apt-get install prometheus");
        List<String> command = new ArrayList<>(List.of(promtool.toString()));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(command).directory(RULES.toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "promtool did not finish: " + out);
        assertEquals(0, process.exitValue(), String.join(" ", command) + "\n" + out);
        return out;
    }
}
