package dev.runtimeplane.service;

import dev.runtimeplane.service.lifecycle.SignalHandlers;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.Micronaut;

/** Starts Runtime Plane: the API on port 8080, management on 8081, and the SIGTERM drain. */
public final class Application {

    private Application() {
    }

    public static void main(String[] args) {
        ApplicationContext context = Micronaut.build(args)
                .mainClass(Application.class)
                .banner(false)
                .start();
        context.getBean(SignalHandlers.class).install();
    }
}
