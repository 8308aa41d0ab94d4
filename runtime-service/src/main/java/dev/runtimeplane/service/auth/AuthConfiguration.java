package dev.runtimeplane.service.auth;

import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;

/**
 * {@code runtime.auth.*}: how tenants prove who they are when they open a session. API keys come from the
 * admin API, from {@code api-keys} (RUNTIME_AUTH_API_KEYS: {@code tenant:sha256} entries, comma-separated) and
 * from {@code api-keys-file} (one {@code tenant:sha256} a line); JWTs are verified against {@code jwt.jwks-url}.
 */
@ConfigurationProperties("runtime.auth")
public class AuthConfiguration {

    /** {@code tenant:sha256hex} entries, comma-separated in the environment. */
    private String apiKeys = "";
    /** A file of {@code tenant:sha256hex} lines ({@code #} starts a comment). */
    private String apiKeysFile = "";
    /** Development only: provisions the well-known {@link ApiKeys#DEV_KEY} for this tenant (loudly logged). */
    private String devKeyTenant = "";
    /** How often each replica looks for keys created or revoked through another replica. */
    private Duration keySyncInterval = Duration.ofSeconds(1);

    public String getApiKeys() {
        return apiKeys;
    }

    public void setApiKeys(String apiKeys) {
        this.apiKeys = apiKeys;
    }

    public String getApiKeysFile() {
        return apiKeysFile;
    }

    public void setApiKeysFile(String apiKeysFile) {
        this.apiKeysFile = apiKeysFile;
    }

    public String getDevKeyTenant() {
        return devKeyTenant;
    }

    public void setDevKeyTenant(String devKeyTenant) {
        this.devKeyTenant = devKeyTenant;
    }

    public Duration getKeySyncInterval() {
        return keySyncInterval;
    }

    public void setKeySyncInterval(Duration keySyncInterval) {
        this.keySyncInterval = keySyncInterval;
    }

    /** {@code runtime.auth.jwt.*}: the platform's identity provider. Issuer and audience are checked by Micronaut Security. */
    @ConfigurationProperties("jwt")
    public static class Jwt {
        /** The IdP's JWKS document; empty = JWTs are not accepted. */
        private String jwksUrl = "";
        /** The required {@code iss}. */
        private String issuer = "";
        /** The required {@code aud} (one of the token's audiences). */
        private String audience = "";
        /** The claim that names the tenant. */
        private String tenantClaim = "tenant";
        /** How long a fetched JWKS is used; a token naming a key id it lacks fetches it sooner. */
        private int jwksCacheSeconds = 60;

        public int getJwksCacheSeconds() {
            return jwksCacheSeconds;
        }

        public void setJwksCacheSeconds(int jwksCacheSeconds) {
            this.jwksCacheSeconds = jwksCacheSeconds;
        }

        public String getJwksUrl() {
            return jwksUrl;
        }

        public void setJwksUrl(String jwksUrl) {
            this.jwksUrl = jwksUrl;
        }

        public String getIssuer() {
            return issuer;
        }

        public void setIssuer(String issuer) {
            this.issuer = issuer;
        }

        public String getAudience() {
            return audience;
        }

        public void setAudience(String audience) {
            this.audience = audience;
        }

        public String getTenantClaim() {
            return tenantClaim;
        }

        public void setTenantClaim(String tenantClaim) {
            this.tenantClaim = tenantClaim;
        }
    }
}
