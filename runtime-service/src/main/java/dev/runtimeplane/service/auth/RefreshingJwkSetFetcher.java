package dev.runtimeplane.service.auth;

import com.nimbusds.jose.jwk.JWKSet;
import io.micronaut.security.token.jwt.signature.jwks.DefaultJwkSetFetcher;
import io.micronaut.security.token.jwt.signature.jwks.JwksClient;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Mono;

/**
 * The JWKS cache behind the IdP's signature ({@link IdpSignature}), so that key rotation is followed at once:
 * Micronaut's own cache keeps a JWKS until it expires and cannot be refreshed from outside. {@link JwtTenants} calls
 * {@link #refreshUnlessKnown} when a token fails: a token naming a key id the cached set lacks drops the cache (at
 * most once per {@link #MIN_REFRESH_INTERVAL}, so made-up key ids cannot make a replica hammer the IdP) and is
 * verified once more. A set is otherwise kept for {@code runtime.auth.jwt.jwks-cache-seconds}.
 */
@Singleton
public class RefreshingJwkSetFetcher extends DefaultJwkSetFetcher {

    static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(1);

    private final Duration maxAge;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();
    private long lastForcedRefresh = System.nanoTime() - MIN_REFRESH_INTERVAL.toNanos();

    public RefreshingJwkSetFetcher(JwksClient client, AuthConfiguration.Jwt jwt) {
        super(client);
        this.maxAge = Duration.ofSeconds(jwt.getJwksCacheSeconds());
    }

    @Override
    public Publisher<JWKSet> fetch(String providerName, String url) {
        Cached cached = cache.get(url);
        if (cached != null && System.nanoTime() - cached.fetchedAt() < maxAge.toNanos()) {
            return Mono.just(cached.set());
        }
        return Mono.from(super.fetch(providerName, url)).doOnNext(set -> cache.put(url, new Cached(set, System.nanoTime())));
    }

    @Override
    public void clearCache(String url) {
        cache.remove(url);
        super.clearCache(url);
    }

    /** Drops the cached set of {@code url} when it lacks {@code keyId} (rate-limited); true when it did. */
    boolean refreshUnlessKnown(String url, String keyId) {
        Cached cached = cache.get(url);
        if (keyId == null || cached == null || cached.set().getKeyByKeyId(keyId) != null) {
            return false;
        }
        synchronized (this) {
            long now = System.nanoTime();
            if (now - lastForcedRefresh < MIN_REFRESH_INTERVAL.toNanos()) {
                return false;
            }
            lastForcedRefresh = now;
        }
        clearCache(url);
        return true;
    }

    private record Cached(JWKSet set, long fetchedAt) {
    }
}
