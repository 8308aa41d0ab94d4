package dev.runtimeplane.core.component;

/** The status a component reports about itself. */
public enum HealthStatus {
    /** Working as intended. */
    UP,
    /** Working, but with reduced guarantees or performance (still ready for traffic). */
    DEGRADED,
    /** Not able to do its job; the process is not ready for traffic. */
    DOWN;

    /** The worse of two statuses: DOWN beats DEGRADED beats UP. */
    public HealthStatus worst(HealthStatus other) {
        return this.ordinal() >= other.ordinal() ? this : other;
    }
}
