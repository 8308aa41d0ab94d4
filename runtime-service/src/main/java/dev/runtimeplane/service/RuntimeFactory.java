package dev.runtimeplane.service;

import io.micronaut.context.annotation.Bean;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;
import java.util.List;

/** Builds the runtime's components from configuration, in start order. */
@Factory
public class RuntimeFactory {

    @Singleton
    @Bean(preDestroy = "close")
    RuntimeComponents runtimeComponents() {
        return new RuntimeComponents(List.of());
    }
}
