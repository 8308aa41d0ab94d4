package dev.runtimeplane.service.admin;

import dev.runtimeplane.service.api.IntentDtos.RegisteredIntentType;
import dev.runtimeplane.service.intent.DeclaredIntents;
import dev.runtimeplane.service.intent.IntentVersion;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.util.Locale;

/**
 * The admin API, served only on the admin port ({@code runtime.admin.port}): Micronaut binds a controller
 * with a {@code port} to an extra listener that serves nothing else, and the API port does not route it
 * (404). Every call needs the admin bearer token ({@link AdminCredential}).
 */
// Hidden from the public API document (served on the API port, which does not serve this controller).
@Hidden
@Controller(value = "/admin/v1", port = "${runtime.admin.port:8082}")
@Tag(name = "admin")
public class AdminController {

    private static final String YAML = "application/yaml";

    private final AdminCredential credential;
    private final DeclaredIntents declared;

    public AdminController(AdminCredential credential, DeclaredIntents declared) {
        this.credential = credential;
        this.declared = declared;
    }

    /** Runs on a virtual thread: the registration waits until it is durable in the WAL and stored in Redis. */
    @Post(value = "/intent-types", consumes = {YAML, "application/x-yaml", "text/yaml", MediaType.APPLICATION_JSON})
    @ExecuteOn(TaskExecutors.VIRTUAL)
    @Operation(summary = "Register a declarative intent type (a new version)",
            description = "Body: the definition, YAML or JSON. 201 registered; 200 the same version with the same "
                    + "content was registered before; 400 invalid (every problem with line and JSON path); 409 the "
                    + "version exists with other content, or the name is a Java intent type.")
    public HttpResponse<RegisteredIntentType> register(@Nullable @Header(HttpHeaders.AUTHORIZATION) String authorization,
                                                       HttpRequest<?> request, @Body String definition) {
        credential.require(authorization);
        boolean json = request.getContentType().map(type -> type.getSubtype().equalsIgnoreCase("json")).orElse(false);
        DeclaredIntents.Registration registration = declared.register(definition, json);
        IntentVersion version = registration.version();
        RegisteredIntentType body = new RegisteredIntentType(version.type(), version.version(),
                registration.outcome().name().toLowerCase(Locale.ROOT), version.warnings());
        return registration.outcome() == DeclaredIntents.Outcome.CREATED ? HttpResponse.created(body) : HttpResponse.ok(body);
    }
}
