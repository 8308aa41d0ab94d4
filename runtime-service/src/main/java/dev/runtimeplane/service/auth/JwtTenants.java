package dev.runtimeplane.service.auth;

import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.SignedJWT;
import dev.runtimeplane.core.id.TenantId;
import io.micronaut.http.HttpRequest;
import io.micronaut.security.token.jwt.validator.ReactiveJsonWebTokenValidator;
import jakarta.inject.Singleton;
import java.text.ParseException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * Tenant JWTs from the platform's identity provider, verified by Micronaut Security's JWT validator (configured in
 * application.yml from {@code runtime.auth.jwt.*}): the signature against the IdP's JWKS (fetched again when a
 * token names a key id it does not hold, so key rotation is followed), {@code exp}, {@code nbf}, {@code iss} and
 * {@code aud}. The tenant is the configured claim. A token naming a key id the cached JWKS lacks fetches the JWKS
 * again and is verified once more ({@link RefreshingJwkSetFetcher}), so key rotation is followed at once. Only the validator is used, not Micronaut Security's filter: the
 * filter would own every route (session-token routes, the admin port, the error format), and only opening a
 * session needs a tenant credential.
 */
@Singleton
public class JwtTenants {

    private static final Logger LOG = LoggerFactory.getLogger(JwtTenants.class);

    private final AuthConfiguration.Jwt config;
    private final ReactiveJsonWebTokenValidator<JWT, HttpRequest<?>> validator;
    private final RefreshingJwkSetFetcher jwks;

    public JwtTenants(AuthConfiguration.Jwt config, ReactiveJsonWebTokenValidator<JWT, HttpRequest<?>> validator,
                      RefreshingJwkSetFetcher jwks) {
        this.config = config;
        this.validator = validator;
        this.jwks = jwks;
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
        return validate(token, request)
                .flatMap(tenant -> tenant.isPresent() || !jwks.refreshUnlessKnown(config.getJwksUrl().trim(), keyId(token))
                        ? Mono.just(tenant) : validate(token, request)) // signed with a key the IdP just published
                .toFuture();
    }

    private static String keyId(String token) {
        try {
            return SignedJWT.parse(token).getHeader().getKeyID();
        } catch (ParseException | RuntimeException e) {
            return null;
        }
    }

    private Mono<Optional<TenantId>> validate(String token, HttpRequest<?> request) {
        return Mono.from(validator.validate(token, request))
                .map(this::tenantClaim)
                .defaultIfEmpty(Optional.empty())
                .onErrorResume(error -> {
                    LOG.warn("a JWT could not be verified (is the JWKS at {} reachable?): {}", config.getJwksUrl(),
                            error.toString());
                    return Mono.just(Optional.empty());
                });
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
