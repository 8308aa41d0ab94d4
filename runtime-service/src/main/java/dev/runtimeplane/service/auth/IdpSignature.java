package dev.runtimeplane.service.auth;

import com.nimbusds.jose.jwk.KeyType;
import com.nimbusds.jwt.SignedJWT;
import io.micronaut.context.annotation.Factory;
import io.micronaut.security.token.jwt.nimbus.ReactiveJwksSignature;
import io.micronaut.security.token.jwt.signature.ReactiveSignatureConfiguration;
import io.micronaut.security.token.jwt.signature.jwks.DefaultJwkValidator;
import io.micronaut.security.token.jwt.signature.jwks.JwksSignatureConfiguration;
import jakarta.inject.Singleton;

/**
 * The IdP's signature for Micronaut Security's JWT validator: Micronaut's own {@link ReactiveJwksSignature} over
 * {@code runtime.auth.jwt.jwks-url}, fed by {@link RefreshingJwkSetFetcher} (which follows key rotation at once)
 * instead of Micronaut's expiring cache. Never asked while no JWKS is configured ({@link JwtTenants#enabled()}).
 */
@Factory
public class IdpSignature {

    @Singleton
    ReactiveSignatureConfiguration<SignedJWT> idpSignature(AuthConfiguration.Jwt jwt, RefreshingJwkSetFetcher fetcher) {
        JwksSignatureConfiguration configuration = new JwksSignatureConfiguration() {
            @Override
            public String getUrl() {
                return jwt.getJwksUrl().trim();
            }

            @Override
            public KeyType getKeyType() {
                return null; // any key type the JWKS holds
            }

            @Override
            @SuppressWarnings("removal") // still abstract in Micronaut Security 4.15
            public Integer getCacheExpiration() {
                return jwt.getJwksCacheSeconds();
            }

            @Override
            public String getName() {
                return "idp";
            }
        };
        return new ReactiveJwksSignature(configuration, new DefaultJwkValidator(), fetcher);
    }
}
