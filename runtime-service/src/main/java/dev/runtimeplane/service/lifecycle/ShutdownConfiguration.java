package dev.runtimeplane.service.lifecycle;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * Timing of the SIGTERM drain ({@code runtime.shutdown.*}; environment variables
 * {@code RUNTIME_SHUTDOWN_DRAIN_DELAY} and {@code RUNTIME_SHUTDOWN_DRAIN_TIMEOUT}).
 */
@ConfigurationProperties("runtime.shutdown")
public class ShutdownConfiguration {

    /**
     * How long to keep serving normally after readiness turns DOWN, so the load balancer's health
     * check sees the 503 and stops routing: at least its interval plus its timeout.
     */
    private Duration drainDelay = Duration.ofSeconds(5);

    /** How long in-flight saga steps may run on before they are parked for another replica. */
    private Duration drainTimeout = Duration.ofSeconds(20);

    public Duration getDrainDelay() {
        return drainDelay;
    }

    public void setDrainDelay(Duration drainDelay) {
        this.drainDelay = drainDelay;
    }

    public Duration getDrainTimeout() {
        return drainTimeout;
    }

    public void setDrainTimeout(Duration drainTimeout) {
        this.drainTimeout = drainTimeout;
    }
}
