package dev.runtimeplane.service.admin;

import dev.runtimeplane.core.error.InvalidArgumentException;
import dev.runtimeplane.core.id.TenantId;
import dev.runtimeplane.service.auth.ApiKey;
import dev.runtimeplane.service.auth.ApiKeys;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.serde.annotation.Serdeable;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.time.Instant;
import java.util.List;

/**
 * Tenant API keys on the admin port: create (the key is in this answer only), list (never a key), revoke. Each call
 * needs the admin bearer token ({@link AdminCredential}); each runs on a virtual thread, since a change waits until
 * it is durable in the WAL and stored in Redis.
 */
@Hidden
@Controller(value = "/admin/v1", port = "${runtime.admin.port:8082}")
@Tag(name = "admin")
@ExecuteOn(TaskExecutors.VIRTUAL)
public class ApiKeyAdminController {

    private final AdminCredential credential;
    private final ApiKeys apiKeys;

    public ApiKeyAdminController(AdminCredential credential, ApiKeys apiKeys) {
        this.credential = credential;
        this.apiKeys = apiKeys;
    }

    /** 201 with the new key; store it now, it cannot be shown again. */
    @Post("/tenants/{tenant}/api-keys")
    public HttpResponse<CreatedKey> create(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, String tenant) {
        credential.require(authorization);
        ApiKeys.Created created = apiKeys.create(tenant(tenant));
        KeyView view = KeyView.of(created.record());
        return HttpResponse.created(new CreatedKey(view.id(), view.tenant(), created.key(), view.createdAt()))
                .headers(headers -> headers.location(URI.create("/admin/v1/api-keys/" + view.id())));
    }

    /** The tenant's keys, revoked ones included. */
    @Get("/tenants/{tenant}/api-keys")
    public List<KeyView> list(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, String tenant) {
        credential.require(authorization);
        return apiKeys.list(tenant(tenant)).stream().map(KeyView::of).toList();
    }

    /** Revokes the key (idempotent); 404 for an unknown id. */
    @Delete("/api-keys/{id}")
    public KeyView revoke(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization, String id) {
        credential.require(authorization);
        return KeyView.of(apiKeys.revoke(id));
    }

    private static TenantId tenant(String tenant) {
        try {
            return TenantId.of(tenant);
        } catch (InvalidArgumentException e) {
            throw new InvalidArgumentException("tenant", e.getMessage());
        }
    }

    /** A key as listed: never the key, never its full hash. */
    @Serdeable
    public record KeyView(String id, String tenant, Instant createdAt, @Nullable Instant revokedAt, String origin) {
        static KeyView of(ApiKey key) {
            return new KeyView(key.id(), key.tenant().value(), key.createdAt(), key.revokedAt(), key.origin());
        }
    }

    /** A key just created: {@code key} appears here only. */
    @Serdeable
    public record CreatedKey(String id, String tenant, String key, Instant createdAt) {
    }
}
