package dev.runtimeplane.service.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.runtimeplane.core.component.HealthSnapshot;
import dev.runtimeplane.core.component.HealthStatus;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthReportTest {

    private static final Instant AT = Instant.parse("2026-01-01T00:00:00Z");

    @Test
    void upAndNotDrainingIsReadyAndLive() {
        HealthReport report = HealthReport.of(Map.of("wal", HealthSnapshot.up("wal", Map.of("lastSequence", 7), AT)), false);
        assertEquals(HealthStatus.UP, report.status());
        assertTrue(report.ready());
        assertTrue(report.live());
        @SuppressWarnings("unchecked")
        Map<String, Object> wal = (Map<String, Object>) ((Map<String, Object>) report.toDetailedBody().get("components")).get("wal");
        assertEquals(Map.of("lastSequence", 7), wal.get("details"));
    }

    @Test
    void drainingIsNotReadyButLive() {
        HealthReport report = HealthReport.of(Map.of(), true);
        assertFalse(report.ready());
        assertTrue(report.live());
        assertEquals(List.of("draining"), report.notReadyReasons());
    }

    @Test
    void aDownDependencyMakesItNotReadyYetLive() {
        Map<String, HealthSnapshot> components = new LinkedHashMap<>();
        components.put("wal", HealthSnapshot.up("wal", Map.of(), AT));
        components.put("stateSurface", HealthSnapshot.down("stateSurface", "redis unreachable", Map.of(), AT));
        HealthReport report = HealthReport.of(components, false);
        assertEquals(HealthStatus.DOWN, report.status());
        assertFalse(report.ready());
        assertTrue(report.live(), "a Redis outage must not get the process restarted");
        assertEquals(List.of("stateSurface: redis unreachable"), report.notReadyReasons());
    }

    @Test
    void aStuckComponentIsNotLive() {
        HealthSnapshot stuck = new HealthSnapshot("wal", HealthStatus.DOWN, false, "fsync failed", Map.of(), AT);
        HealthReport report = HealthReport.of(Map.of("wal", stuck), false);
        assertFalse(report.live());
        assertEquals(List.of("wal: fsync failed"), report.notLiveReasons());
    }
}
