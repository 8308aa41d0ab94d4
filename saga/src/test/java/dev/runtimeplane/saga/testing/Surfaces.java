package dev.runtimeplane.saga.testing;

import dev.runtimeplane.core.component.HealthStatus;
import dev.runtimeplane.state.StateSurface;
import dev.runtimeplane.state.StateSurfaceOptions;
import java.time.Duration;

/** Opens a state surface on a real Redis and waits until it is connected (it connects in the background). */
public final class Surfaces {

    private Surfaces() {
    }

    public static StateSurface open(String redisUri, String keyPrefix) throws InterruptedException {
        StateSurface surface = new StateSurface(StateSurfaceOptions.builder().redisUri(redisUri).keyPrefix(keyPrefix)
                .build());
        surface.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (surface.health().status() != HealthStatus.UP) {
            if (System.nanoTime() > deadline) {
                surface.close();
                throw new IllegalStateException("the state surface did not connect to " + redisUri + ": "
                        + surface.health().reason());
            }
            Thread.sleep(20);
        }
        return surface;
    }
}
