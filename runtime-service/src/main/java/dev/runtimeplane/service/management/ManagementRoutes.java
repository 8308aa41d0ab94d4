package dev.runtimeplane.service.management;

import dev.runtimeplane.core.component.HealthStatus;
import dev.runtimeplane.service.health.HealthReport;
import io.micronaut.json.JsonMapper;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.DateFormatter;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * What the management server answers, independent of connections: the health bodies (the same as
 * the former Micronaut endpoint's) and the Prometheus scrape. Shared by all connections; stateless.
 */
final class ManagementRoutes {

    static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";
    private static final String JSON = "application/json";
    private static final String PROBLEM_JSON = "application/problem+json";
    private static final int SCRAPE_INITIAL_BYTES = 32 * 1024;
    private static final byte[] UP_BODY = "{\"status\":\"UP\"}".getBytes(StandardCharsets.UTF_8);

    /** A route of the management port. */
    enum Route {
        HEALTH("/health"), READY("/health/ready"), LIVE("/health/live"), PROMETHEUS("/prometheus");

        final String path;

        Route(String path) {
            this.path = path;
        }

        static Route of(String path) {
            for (Route route : values()) {
                if (route.path.equals(path)) {
                    return route;
                }
            }
            return null;
        }
    }

    private final Supplier<HealthReport> health;
    private final ManagementServer.Scraper scraper;
    private final JsonMapper json;
    private final Executor scrapes;

    ManagementRoutes(Supplier<HealthReport> health, ManagementServer.Scraper scraper, JsonMapper json, Executor scrapes) {
        this.health = health;
        this.scraper = scraper;
        this.json = json;
        this.scrapes = scrapes;
    }

    boolean canScrape() {
        return scraper != null;
    }

    /** {@code /health}, {@code /health/ready} or {@code /health/live}, from the cached snapshots: cheap, runs on the loop. */
    FullHttpResponse health(Route route) {
        HealthReport report = health.get();
        return switch (route) {
            case HEALTH -> json(report.status() == HealthStatus.DOWN ? HttpResponseStatus.SERVICE_UNAVAILABLE
                    : HttpResponseStatus.OK, JSON, report.toDetailedBody());
            case READY -> verdict(report.ready(), report.notReadyReasons());
            case LIVE -> verdict(report.live(), report.notLiveReasons());
            case PROMETHEUS -> throw new IllegalArgumentException("not a health route");
        };
    }

    /** The Prometheus text exposition, built on the scrape thread; the future completes there. */
    CompletableFuture<FullHttpResponse> scrape() {
        return CompletableFuture.supplyAsync(() -> {
            ByteBuf body = Unpooled.buffer(SCRAPE_INITIAL_BYTES);
            try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
                scraper.scrape(out);
            } catch (IOException e) {
                body.release();
                throw new UncheckedIOException(e);
            } catch (RuntimeException | Error e) {
                body.release();
                throw e;
            }
            return response(HttpResponseStatus.OK, PROMETHEUS_CONTENT_TYPE, body);
        }, scrapes);
    }

    /** An RFC 9457-style problem: {@code {"title":..., "status":..., "detail":...}}. */
    FullHttpResponse problem(HttpResponseStatus status, String detail) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("title", status.reasonPhrase());
        body.put("status", status.code());
        body.put("detail", detail);
        return json(status, PROBLEM_JSON, body);
    }

    private FullHttpResponse verdict(boolean pass, List<String> reasons) {
        if (pass) { // the answer to nearly every probe: nothing to encode
            return response(HttpResponseStatus.OK, JSON, Unpooled.wrappedBuffer(UP_BODY));
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("status", "DOWN");
        body.put("reasons", reasons);
        return json(HttpResponseStatus.SERVICE_UNAVAILABLE, JSON, body);
    }

    private FullHttpResponse json(HttpResponseStatus status, String contentType, Object body) {
        try {
            return response(status, contentType, Unpooled.wrappedBuffer(json.writeValueAsBytes(body)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static FullHttpResponse response(HttpResponseStatus status, String contentType, ByteBuf body) {
        FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status, body);
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, contentType)
                .setInt(HttpHeaderNames.CONTENT_LENGTH, body.readableBytes())
                .set(HttpHeaderNames.CACHE_CONTROL, HttpHeaderValues.NO_STORE)
                .set(HttpHeaderNames.DATE, DateFormatter.format(new Date()));
        return response;
    }
}
