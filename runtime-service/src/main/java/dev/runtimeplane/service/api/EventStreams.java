package dev.runtimeplane.service.api;

import dev.runtimeplane.core.error.InvalidArgumentException;
import dev.runtimeplane.core.port.ExecutionKey;
import dev.runtimeplane.saga.ExecutionView;
import dev.runtimeplane.saga.SagaCoordinator;
import dev.runtimeplane.saga.SagaEvent;
import dev.runtimeplane.saga.SagaEventListener;
import dev.runtimeplane.service.limits.Admission;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.sse.Event;
import java.util.function.Function;
import java.util.regex.Pattern;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

/**
 * An execution's history as server-sent events (the public stream and the admin one): one event per
 * history entry, id = its index, from the start or after {@code Last-Event-ID}; the stream ends after the
 * FINISHED event. A reconnect after the last event of a finished execution answers 204, which tells an
 * EventSource to stop reconnecting.
 */
public final class EventStreams {

    public static final String LAST_EVENT_ID = "Last-Event-ID";
    private static final String LAST_EVENT_ID_RULE = "Last-Event-ID must be the id of an event this stream sent";
    private static final Pattern LAST_EVENT_ID_SYNTAX = Pattern.compile("[0-9]{1,18}");

    private EventStreams() {
    }

    /**
     * The response for a stream of {@code key}, whose current view is {@code view}, mapping each event with
     * {@code body}. {@code admitted} (this replica's bound on stream clients) is given back when the stream
     * ends, or at once when no stream is sent.
     */
    public static <T> HttpResponse<Flux<Event<T>>> respond(SagaCoordinator coordinator, ExecutionKey key, ExecutionView view,
                                                           String lastEventId, Function<SagaEvent, T> body,
                                                           Admission.Permit admitted) {
        try {
            long from = lastEventId == null ? 0 : parseIndex(lastEventId) + 1;
            if (from > 0) {
                long stored = coordinator.history(key).size();
                if (view.terminal() && from >= stored) {
                    admitted.close();
                    return HttpResponse.noContent();
                }
                if (from > stored) {
                    throw new InvalidArgumentException(LAST_EVENT_ID, LAST_EVENT_ID_RULE);
                }
            }
            Flux<Event<T>> events = Flux.create(sink -> {
                AutoCloseable subscription = coordinator.subscribe(key, from, new SinkListener<>(sink, body));
                sink.onDispose(() -> closeQuietly(subscription));
            }, FluxSink.OverflowStrategy.BUFFER);
            return HttpResponse.ok(events.doFinally(signal -> admitted.close()))
                    .contentType(MediaType.TEXT_EVENT_STREAM_TYPE);
        } catch (RuntimeException e) {
            admitted.close();
            throw e;
        }
    }

    /** Only the decimal index this stream sends as an event id: no sign, no spaces inside, at most 18 digits. */
    private static long parseIndex(String lastEventId) {
        String trimmed = lastEventId.strip();
        if (!LAST_EVENT_ID_SYNTAX.matcher(trimmed).matches()) {
            throw new InvalidArgumentException(LAST_EVENT_ID, LAST_EVENT_ID_RULE);
        }
        return Long.parseLong(trimmed);
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            // The subscription is being abandoned with the client connection; nothing else to do.
        }
    }

    /** Forwards the coordinator's events into the SSE stream. */
    private record SinkListener<T>(FluxSink<Event<T>> sink, Function<SagaEvent, T> body) implements SagaEventListener {
        @Override
        public void onEvent(SagaEvent event) {
            sink.next(Event.of(body.apply(event)).id(String.valueOf(event.index())).name(event.type().name()));
        }

        @Override
        public void onComplete() {
            sink.complete();
        }

        @Override
        public void onError(Throwable error) {
            sink.error(error);
        }
    }
}
