package dev.runtimeplane.service.auth;

import com.nimbusds.jwt.JWT;
import dev.runtimeplane.core.id.TenantId;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.jwt.validator.ReactiveJsonWebTokenValidator;
import jakarta.inject.Singleton;
import java.text.ParseException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import reactor.core.publisher.Mono;

/**
 * Tenant JWTs from the platform's identity provider, verified by Micronaut Security's JWT validator (configured in
 * application.yml from {@code runtime.auth.jwt.*}): the signature against the IdP's JWKS (fetched again when a
 * token names a key id it does not hold, so key rotation is followed), {@code exp}, {@code nbf}, {@code iss} and
 * {@code aud}. The tenant is the configured claim. Only the validator is used, not Micronaut Security's filter: the
 * filter would own every route (session-token routes, the admin port, the error format), and only opening a
 * session needs a tenant credential.
 */
@Singleton
public class JwtTenants {

    private final AuthConfiguration.Jwt config;
    private final ReactiveJsonWebTokenValidator<JWT, HttpRequest<?>> validator;

    public JwtTenants(AuthConfiguration.Jwt config, ReactiveJsonWebTokenValidator<JWT, HttpRequest<?>> validator) {
        this.config = config;
        this.validator = validator;
        if (enabled() && (blank(config.getIssuer()) || blank(config.getAudience()))) {
            throw new IllegalArgumentException("runtime.auth.jwt.jwks-url is set: set runtime.auth.jwt.issuer "
                    + "(RUNTIME_AUTH_JWT_ISSUER) and runtime.auth.jwt.audience (RUNTIME_AUTH_JWT_AUDIENCE) too");
        }
    }

    public boolean enabled() {
        return !blank(config.getJwksUrl());
    }

    /** The tenant a valid token names; empty when the token is invalid, expired, not yet valid, or names no valid tenant. */
    public CompletableFuture<Optional<TenantId>> tenant(String token, HttpRequest<?> request) {
        if (!enabled()) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return Mono.from(validator.validate(token, request))
                .map(jwt -> tenantClaim(jwt))
                .defaultIfEmpty(Optional.empty())
                .onErrorReturn(Optional.empty())
                .toFuture();
    }

    private Optional<TenantId> tenantClaim(JWT jwt) {
        try {
            Object claim = jwt.getJWTClaimsSet().getClaim(config.getTenantClaim());
            return claim instanceof String value ? Optional.of(TenantId.of(value)) : Optional.empty();
        } catch (ParseException | RuntimeException e) {
            return Optional.empty();
        }
    }

    private static boolean blank(String value) {
        return value == null || value.isBlank();
    }
}
