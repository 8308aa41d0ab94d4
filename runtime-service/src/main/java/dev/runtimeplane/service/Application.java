package dev.runtimeplane.service;

import dev.runtimeplane.service.lifecycle.ShutdownSequence;
import dev.runtimeplane.service.lifecycle.SignalHandlers;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.info.Info;

/** Starts Runtime Plane: the API on port 8080, management on 8081, and the SIGTERM drain. */
@OpenAPIDefinition(info = @Info(title = "Runtime Plane", version = "v1",
        description = "Sessions with versioned state, and intents that run as durable sagas."))
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        // Before anything listens: a SIGTERM as soon as a port answers must drain, not take the JVM's exit 143.
        SignalHandlers signals = SignalHandlers.install();
        ApplicationContext context = Micronaut.build(args)
                .mainClass(Application.class)
                .banner(false)
                .start();
        signals.drainWith(context.getBean(ShutdownSequence.class));
    }
}
