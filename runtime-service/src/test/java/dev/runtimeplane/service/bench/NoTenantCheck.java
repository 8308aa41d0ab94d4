package dev.runtimeplane.service.bench;

import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.service.auth.ApiKeys;
import dev.runtimeplane.service.auth.JwtTenants;
import dev.runtimeplane.service.auth.TenantCredentials;
import io.micronaut.context.annotation.Replaces;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;

/**
 * Benchmark only (test class path, and only with {@code bench.auth=off}): opening a session checks no credential,
 * so {@link AuthBenchmark} can measure the service without authentication beside the same run with it.
 */
@Singleton
@Replaces(TenantCredentials.class)
@Requires(property = "bench.auth", value = "off")
class NoTenantCheck extends TenantCredentials {

    NoTenantCheck(ApiKeys apiKeys, JwtTenants jwts) {
        super(apiKeys, jwts);
    }

    @Override
    public CompletableFuture<TenantId> tenant(String authorization, HttpRequest<?> request) {
        return CompletableFuture.completedFuture(TenantId.of("bench"));
    }
}
