package dev.runtimeplane.declarative;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;
import org.apache.hc.core5.pool.PoolStats;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The one HTTP client HTTP steps share (Apache HttpClient 5, classic blocking API: steps run on virtual
 * threads). Every call is checked against the allow-list (endpoint before sending, addresses in
 * {@link AllowListDnsResolver}), has a connect and a response timeout, reads at most
 * {@link OutboundPolicy#maxResponseBytes()} of the body, and follows no redirect. The client does not retry
 * by itself, keeps no cookies, uses no proxy and asks for no compressed bodies.
 */
final class OutboundHttpClient implements AutoCloseable {

    record Request(String method, URI uri, Map<String, String> headers, byte[] body) {
    }

    /** A response: status, headers by lower-case name (first value), and the body (at most the cap; see {@link #read}). */
    record Response(int status, Map<String, String> headers, byte[] body) {
    }

    /** The body was longer than allowed. */
    static final class ResponseTooLargeException extends IOException {
        ResponseTooLargeException(String message) {
            super(message);
        }
    }

    private final OutboundPolicy policy;
    private final PoolingHttpClientConnectionManager connections;
    private final CloseableHttpClient client;

    OutboundHttpClient(OutboundPolicy policy) {
        this.policy = policy;
        this.connections = PoolingHttpClientConnectionManagerBuilder.create()
                .setDnsResolver(new AllowListDnsResolver(policy))
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        .setConnectTimeout(Timeout.of(policy.connectTimeout()))
                        .setValidateAfterInactivity(TimeValue.ofSeconds(2))
                        .build())
                .setMaxConnTotal(policy.maxConnections())
                .setMaxConnPerRoute(policy.maxConnections())
                .build();
        this.client = HttpClients.custom()
                .setConnectionManager(connections)
                .disableRedirectHandling()
                .disableAutomaticRetries()
                .disableCookieManagement()
                .disableContentCompression()
                .disableAuthCaching()
                .build();
    }

    /** Sends {@code request}, waiting at most {@code timeout} for a connection from the pool and for the response. */
    Response execute(Request request, Duration timeout) throws IOException {
        Endpoint endpoint = Endpoint.of(request.uri());
        if (!policy.permits(endpoint) || request.uri().getRawUserInfo() != null) {
            throw new ForbiddenAddressException(endpoint + " is not on the outbound allow-list");
        }
        HttpUriRequestBase http = new HttpUriRequestBase(request.method(), request.uri());
        http.setConfig(RequestConfig.custom()
                .setConnectionRequestTimeout(Timeout.of(timeout))
                .setResponseTimeout(Timeout.of(timeout))
                .setRedirectsEnabled(false)
                .build());
        request.headers().forEach(http::addHeader);
        if (request.body() != null) {
            http.setEntity(new ByteArrayEntity(request.body(), ContentType.APPLICATION_JSON));
        }
        return client.execute(http, response -> {
            Map<String, String> headers = new LinkedHashMap<>();
            for (Header header : response.getHeaders()) {
                headers.putIfAbsent(header.getName().toLowerCase(Locale.ROOT), header.getValue());
            }
            boolean success = response.getCode() >= 200 && response.getCode() < 300;
            return new Response(response.getCode(), headers, read(response.getEntity(), success));
        });
    }

    /**
     * The body, at most {@code maxResponseBytes}: a longer successful body fails the call, a longer error body
     * is cut (only an excerpt of it is kept anyway), so a 503 with a large error page is still retried.
     */
    private byte[] read(HttpEntity entity, boolean success) throws IOException {
        if (entity == null) {
            return new byte[0];
        }
        int max = policy.maxResponseBytes();
        if (success && entity.getContentLength() > max) {
            throw new ResponseTooLargeException("the response body is " + entity.getContentLength()
                    + " bytes; the limit is " + max);
        }
        try (InputStream in = entity.getContent()) {
            byte[] body = in.readNBytes(success ? max + 1 : max);
            if (body.length > max) {
                throw new ResponseTooLargeException("the response body is over the limit of " + max + " bytes");
            }
            return body;
        }
    }

    OutboundStats stats() {
        PoolStats total = connections.getTotalStats();
        return new OutboundStats(total.getLeased(), total.getPending(), total.getAvailable(), total.getMax());
    }

    @Override
    public void close() {
        client.close(org.apache.hc.core5.io.CloseMode.GRACEFUL);
    }
}
