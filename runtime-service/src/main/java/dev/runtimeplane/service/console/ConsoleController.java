package dev.runtimeplane.service.console;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.swagger.v3.oas.annotations.Hidden;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The operator console (a static single-page app in {@code resources/console}), served only on the admin port
 * like the admin API it calls. The page itself holds no data and needs no credential; every call it makes
 * carries the admin token as a bearer header. Only the files listed here are served, each with its content type
 * and a strict Content-Security-Policy (scripts, styles and connections from this origin only, no inline code,
 * no framing).
 */
@Hidden
@Controller(value = "/console", port = "${runtime.admin.port:8082}")
public class ConsoleController {

    static final String CONTENT_SECURITY_POLICY = "default-src 'none'; script-src 'self'; style-src 'self'; "
            + "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
    private static final String JAVASCRIPT = "text/javascript; charset=utf-8";
    private static final Map<String, String> FILES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "app.css", "text/css; charset=utf-8",
            "favicon.svg", "image/svg+xml",
            "app.js", JAVASCRIPT,
            "api.js", JAVASCRIPT,
            "timeline.js", JAVASCRIPT,
            "vendor/preact.mjs", JAVASCRIPT,
            "vendor/hooks.mjs", JAVASCRIPT,
            "vendor/htm.mjs", JAVASCRIPT);

    private record Asset(byte[] body, String contentType) {
    }

    /** Read once at start: a missing file fails the start, not a request. */
    private final Map<String, Asset> assets = FILES.entrySet().stream()
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getKey, file -> new Asset(read(file.getKey()), file.getValue())));

    @Get
    public HttpResponse<byte[]> page() {
        return serve("index.html");
    }

    @Get("/{+path}")
    public HttpResponse<byte[]> file(String path) {
        return serve(path.isEmpty() ? "index.html" : path);
    }

    private HttpResponse<byte[]> serve(String path) {
        Optional<Asset> asset = Optional.ofNullable(assets.get(path));
        MutableHttpResponse<byte[]> response = asset
                .map(found -> HttpResponse.ok(found.body()).contentType(found.contentType()))
                .orElseGet(() -> HttpResponse.<byte[]>status(HttpStatus.NOT_FOUND)
                        .body("not found".getBytes(StandardCharsets.UTF_8))
                        .contentType("text/plain; charset=utf-8"));
        return response
                .header("Content-Security-Policy", CONTENT_SECURITY_POLICY)
                .header("X-Content-Type-Options", "nosniff")
                .header("X-Frame-Options", "DENY")
                .header("Referrer-Policy", "no-referrer")
                .header("Cross-Origin-Opener-Policy", "same-origin")
                .header("Cross-Origin-Resource-Policy", "same-origin")
                .header("Cache-Control", "no-cache");
    }

    private static byte[] read(String path) {
        try (InputStream in = ConsoleController.class.getResourceAsStream("/console/" + path)) {
            if (in == null) {
                throw new IllegalStateException("the console file " + path + " is missing from the build");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
