package dev.runtimeplane.service.health;

import dev.runtimeplane.core.component.HealthSnapshot;
import dev.runtimeplane.core.component.HealthStatus;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The process's health folded from the components' cached snapshots and the drain state. Pure
 * computation: building one does no I/O.
 */
public record HealthReport(HealthStatus status, boolean ready, boolean live, List<String> notReadyReasons,
                           List<String> notLiveReasons, Map<String, HealthSnapshot> components) {

    public static HealthReport of(Map<String, HealthSnapshot> components, boolean draining) {
        HealthStatus status = HealthStatus.UP;
        List<String> notReady = new ArrayList<>();
        List<String> notLive = new ArrayList<>();
        if (draining) {
            notReady.add("draining");
        }
        for (HealthSnapshot snapshot : components.values()) {
            status = status.worst(snapshot.status());
            if (!snapshot.ready()) {
                notReady.add(snapshot.component() + ": " + snapshot.reason());
            }
            if (!snapshot.live()) {
                notLive.add(snapshot.component() + ": " + snapshot.reason());
            }
        }
        return new HealthReport(status, notReady.isEmpty(), notLive.isEmpty(), notReady, notLive, components);
    }

    /** The body of {@code /health}: overall status and one entry per component. */
    public Map<String, Object> toDetailedBody() {
        Map<String, Object> entries = new LinkedHashMap<>();
        components.forEach((name, snapshot) -> {
            Map<String, Object> entry = new LinkedHashMap<>();
            entry.put("status", snapshot.status().name());
            entry.put("live", snapshot.live());
            if (!snapshot.reason().isEmpty()) {
                entry.put("reason", snapshot.reason());
            }
            entry.put("observedAt", snapshot.observedAt().toString());
            entry.put("details", snapshot.details());
            entries.put(name, entry);
        });
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", status.name());
        body.put("ready", ready);
        body.put("live", live);
        body.put("components", entries);
        return body;
    }
}
