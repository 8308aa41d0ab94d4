package dev.runtimeplane.declarative;

import dev.runtimeplane.saga.SagaDefinition;
import java.time.Duration;

/**
 * Turns {@link IntentDefinition}s into saga definitions whose steps make their HTTP calls. Owns the HTTP
 * client (its connection pool) the steps share; close it after the coordinator that runs them.
 *
 * <p>Each attempt's HTTP call is bounded by the step's {@code timeout} (and the policy's connect timeout);
 * the saga's own bound on the attempt is set a little longer, as a backstop, so that the call's timeout is
 * what normally ends a slow attempt and is classified by the call's {@link ResponseRules}.
 */
public final class HttpSagaFactory implements AutoCloseable {

    private static final Duration BACKSTOP_MARGIN = Duration.ofSeconds(1);

    private final OutboundPolicy policy;
    private final OutboundHttpClient client;
    private final HttpStepRunner runner;

    public HttpSagaFactory(OutboundPolicy policy, SecretResolver secrets, SessionMetadataSource sessions) {
        this.policy = policy;
        this.client = new OutboundHttpClient(policy);
        this.runner = new HttpStepRunner(client, policy, secrets, sessions);
    }

    public SagaDefinition toSagaDefinition(IntentDefinition definition) {
        SagaDefinition.Builder saga = SagaDefinition.builder(definition.intentType(), definition.version());
        for (StepDefinition step : definition.steps()) {
            Duration timeout = step.timeout();
            if (step.compensation() == null) {
                saga.step(step.name(), context -> runner.run(step.action(), timeout, context));
            } else {
                saga.step(step.name(), context -> runner.run(step.action(), timeout, context),
                        context -> runner.run(step.compensation(), timeout, context));
            }
            saga.retry(step.retry())
                    .compensationRetry(step.compensationRetry())
                    .timeout(timeout.plus(policy.connectTimeout()).plus(BACKSTOP_MARGIN));
        }
        definition.deadlineBound().ifPresent(saga::deadline);
        return saga.build();
    }

    /** The shared connection pool's use, for metrics and health details. */
    public OutboundStats outboundStats() {
        return client.stats();
    }

    @Override
    public void close() {
        client.close();
    }
}
