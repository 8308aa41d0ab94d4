package dev.runtimeplane.service.health;

import dev.runtimeplane.core.component.HealthStatus;
import dev.runtimeplane.service.RuntimeComponents;
import dev.runtimeplane.service.lifecycle.DrainState;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.management.endpoint.annotation.Endpoint;
import io.micronaut.management.endpoint.annotation.Read;
import io.micronaut.management.endpoint.annotation.Selector;
import java.util.List;
import java.util.Map;

/**
 * {@code /health}, {@code /health/ready} and {@code /health/live} on the management port. Answers
 * from cached snapshots on the event loop: no I/O, no locks that work can hold.
 *
 * <ul>
 *   <li>{@code /health}: overall status and one entry per component; 200 unless DOWN, then 503.</li>
 *   <li>{@code /health/ready}: 200 only when every component is ready and the process is not
 *       draining; 503 with the reasons otherwise. Load balancers gate traffic on it.</li>
 *   <li>{@code /health/live}: process-internal checks only (never Redis); 503 means restart me.</li>
 * </ul>
 * It replaces Micronaut's own health endpoint, whose probes are named differently and may run
 * health indicators on the request path.
 */
@Endpoint(id = "health", defaultSensitive = false)
@Replaces(io.micronaut.management.endpoint.health.HealthEndpoint.class)
public class HealthEndpoint {

    private final RuntimeComponents components;
    private final DrainState drainState;

    public HealthEndpoint(RuntimeComponents components, DrainState drainState) {
        this.components = components;
        this.drainState = drainState;
    }

    @Read
    public HttpResponse<Map<String, Object>> health() {
        HealthReport report = report();
        return HttpResponse.status(report.status() == HealthStatus.DOWN ? HttpStatus.SERVICE_UNAVAILABLE : HttpStatus.OK)
                .body(report.toDetailedBody());
    }

    @Read
    public HttpResponse<Map<String, Object>> probe(@Selector String probe) {
        HealthReport report = report();
        return switch (probe) {
            case "ready" -> verdict(report.ready(), report.notReadyReasons());
            case "live" -> verdict(report.live(), report.notLiveReasons());
            default -> HttpResponse.notFound(Map.of("detail", "unknown probe '" + probe + "'; use ready or live"));
        };
    }

    private HealthReport report() {
        return HealthReport.of(components.health(), drainState.draining());
    }

    private static HttpResponse<Map<String, Object>> verdict(boolean pass, List<String> reasons) {
        if (pass) {
            return HttpResponse.ok(Map.of("status", "UP"));
        }
        return HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("status", "DOWN", "reasons", reasons));
    }
}
