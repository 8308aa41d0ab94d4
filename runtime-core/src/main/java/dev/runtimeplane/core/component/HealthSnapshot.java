package dev.runtimeplane.core.component;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * An immutable view of a component's health, computed in the background and read without I/O.
 *
 * @param component the component's name (e.g. {@code wal})
 * @param status    UP, DEGRADED or DOWN; a component is ready for traffic unless it is DOWN
 * @param live      false only when the component's own machinery is dead or stuck (a restart would help);
 *                  an unreachable dependency such as Redis leaves it live
 * @param reason    a short human explanation when not UP, else empty
 * @param details   figures for operators (round-trip time, last fsync age, ...), in insertion order
 * @param observedAt when the snapshot was computed
 */
public record HealthSnapshot(String component, HealthStatus status, boolean live, String reason,
                             Map<String, Object> details, Instant observedAt) {

    public HealthSnapshot {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(status, "status");
        reason = reason == null ? "" : reason;
        details = Collections.unmodifiableMap(new LinkedHashMap<>(details == null ? Map.of() : details));
        Objects.requireNonNull(observedAt, "observedAt");
    }

    public boolean ready() {
        return status != HealthStatus.DOWN;
    }

    public static HealthSnapshot up(String component, Map<String, Object> details, Instant at) {
        return new HealthSnapshot(component, HealthStatus.UP, true, "", details, at);
    }

    public static HealthSnapshot down(String component, String reason, Map<String, Object> details, Instant at) {
        return new HealthSnapshot(component, HealthStatus.DOWN, true, reason, details, at);
    }

    /** The snapshot a component publishes before its first probe has run. */
    public static HealthSnapshot starting(String component, Instant at) {
        return new HealthSnapshot(component, HealthStatus.DOWN, true, "starting", Map.of(), at);
    }
}
