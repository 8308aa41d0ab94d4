package dev.runtimeplane.service.auth;

import dev.runtimeplane.core.id.TenantId;
import io.micronaut.http.HttpRequest;
import jakarta.inject.Singleton;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Who is opening a session: the tenant of the request's {@code Authorization: Bearer} credential, an API key
 * ({@code rpk_...}) or a JWT from the platform's IdP. Never blocks: API keys are checked against this replica's
 * copy (or Redis), JWTs by Micronaut Security's reactive validator.
 */
@Singleton
public class TenantCredentials {

    static final String NOT_CONFIGURED = "no tenant credential is configured, so no session can be opened: create an "
            + "API key through the admin API (POST /admin/v1/tenants/{tenant}/api-keys), provision key hashes with "
            + "runtime.auth.api-keys / runtime.auth.api-keys-file, or configure an identity provider with "
            + "runtime.auth.jwt.jwks-url, issuer and audience (README: Tenants and credentials)";
    private static final String EXPECTED = "opening a session needs Authorization: Bearer <tenant API key or JWT>";
    private static final String BEARER = "bearer ";
    private static final String API_KEY_PREFIX = "rpk_";

    private final ApiKeys apiKeys;
    private final JwtTenants jwts;

    public TenantCredentials(ApiKeys apiKeys, JwtTenants jwts) {
        this.apiKeys = apiKeys;
        this.jwts = jwts;
    }

    /** The caller's tenant; fails with {@link TenantAccessDenied} (401, or 503 when nothing is configured). */
    public CompletableFuture<TenantId> tenant(String authorization, HttpRequest<?> request) {
        if (!jwts.enabled() && !apiKeys.anyActive()) {
            return CompletableFuture.failedFuture(TenantAccessDenied.notConfigured(NOT_CONFIGURED));
        }
        if (authorization == null || authorization.length() <= BEARER.length()
                || !authorization.regionMatches(true, 0, BEARER, 0, BEARER.length())) {
            return CompletableFuture.failedFuture(TenantAccessDenied.missing(EXPECTED));
        }
        String token = authorization.substring(BEARER.length()).trim();
        if (token.startsWith(API_KEY_PREFIX)) {
            return apiKeys.find(token).thenApply(key -> key.filter(found -> !found.revoked())
                    .map(ApiKey::tenant)
                    .orElseThrow(() -> TenantAccessDenied.invalid("the API key is not valid (unknown or revoked)")));
        }
        return jwts.tenant(token, request).thenApply(tenant -> tenant.orElseThrow(() -> TenantAccessDenied.invalid(
                jwts.enabled() ? "the bearer token is neither a valid API key nor a valid JWT (signature, exp, nbf, "
                        + "iss, aud and the tenant claim are checked)" : "the bearer token is not a valid API key")));
    }

    /** Passes when {@code named} is absent or the credential's tenant; 403 otherwise. */
    public static TenantId requireSame(TenantId credential, Optional<TenantId> named) {
        if (named.isPresent() && !named.get().equals(credential)) {
            throw TenantAccessDenied.wrongTenant("the credential is for tenant '" + credential.value()
                    + "', not '" + named.get().value() + "'");
        }
        return credential;
    }
}
