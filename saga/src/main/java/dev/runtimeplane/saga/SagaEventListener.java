package dev.runtimeplane.saga;

/**
 * Receives an execution's events in order, each exactly once, on a thread of the subscription's
 * own. An event is delivered once it is in the shared store (so any replica can show it).
 */
public interface SagaEventListener {

    void onEvent(SagaEvent event);

    /** After the FINISHED event: nothing follows. */
    default void onComplete() {
    }

    /** The subscription stopped because the history could not be read; nothing follows. */
    default void onError(Throwable error) {
    }
}
