package dev.runtimeplane.saga;

import dev.runtimeplane.core.error.InvalidArgumentException;
import dev.runtimeplane.core.id.Ids;
import dev.runtimeplane.core.sched.ThreadScheduling;
import dev.runtimeplane.core.time.RuntimeClock;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link SagaCoordinator}. Only the replica id is required; it must be stable across
 * restarts of the same replica (so a restarted replica re-acquires its own leases at once) and
 * unique among the replicas sharing one state store.
 */
public record SagaCoordinatorOptions(String replicaId, int concurrency, int maxExecutions, Duration leaseTtl,
                                     Duration leaseRenewInterval, Duration adoptionInterval, int adoptionBatch,
                                     Duration idempotencyTtl,
                                     Duration storeTimeout, Duration startTimeout, int maxInputBytes,
                                     int maxResultBytes, Duration floorInterval, long carryAfterRecords,
                                     Duration subscriptionPollInterval, Duration cancelPollInterval,
                                     Duration heartbeatInterval, Duration livenessThreshold, Duration storeRetention,
                                     int stepThreadNice, RuntimeClock clock) {

    public SagaCoordinatorOptions {
        Ids.requireValid("replicaId", replicaId);
        Objects.requireNonNull(clock, "clock");
        if (concurrency < 1) {
            throw new InvalidArgumentException("concurrency", "concurrency must be at least 1, was " + concurrency);
        }
        if (maxExecutions < 1) {
            throw new InvalidArgumentException("maxExecutions", "maxExecutions must be at least 1, was " + maxExecutions);
        }
        if (stepThreadNice < 0 || stepThreadNice > ThreadScheduling.MAX_NICE) {
            throw new InvalidArgumentException("stepThreadNice",
                    "stepThreadNice must be 0.." + ThreadScheduling.MAX_NICE + ", was " + stepThreadNice);
        }
        if (leaseRenewInterval.compareTo(leaseTtl) >= 0) {
            throw new InvalidArgumentException("leaseRenewInterval",
                    "leaseRenewInterval " + leaseRenewInterval + " must be shorter than leaseTtl " + leaseTtl);
        }
    }

    public static Builder builder(String replicaId) {
        return new Builder(replicaId);
    }

    public static final class Builder {
        private final String replicaId;
        private int concurrency = 256;
        private int maxExecutions = 1024;
        private Duration leaseTtl = Duration.ofSeconds(30);
        private Duration leaseRenewInterval;
        private Duration adoptionInterval = Duration.ofSeconds(5);
        private int adoptionBatch = 256;
        private Duration idempotencyTtl = Duration.ofHours(24);
        private Duration storeTimeout = Duration.ofSeconds(5);
        private Duration startTimeout = Duration.ofSeconds(10);
        private int maxInputBytes = 64 * 1024;
        private int maxResultBytes = 64 * 1024;
        private Duration floorInterval = Duration.ofSeconds(1);
        private long carryAfterRecords = 50_000;
        private Duration subscriptionPollInterval = Duration.ofMillis(250);
        private Duration cancelPollInterval = Duration.ofMillis(250);
        private Duration heartbeatInterval = Duration.ofMillis(500);
        private Duration livenessThreshold = Duration.ofSeconds(10);
        private Duration storeRetention = Duration.ofDays(7);
        private int stepThreadNice;
        private RuntimeClock clock = RuntimeClock.system();

        private Builder(String replicaId) {
            this.replicaId = replicaId;
        }

        /** How many executions are driven at once; the rest queue. */
        public Builder concurrency(int value) {
            this.concurrency = value;
            return this;
        }

        /**
         * How many executions this replica holds at most: running, queued for a permit, waiting for a retry,
         * or starting. Past it, {@code start} fails at once with OVERLOADED and adoption waits.
         */
        public Builder maxExecutions(int value) {
            this.maxExecutions = value;
            return this;
        }

        /** How long a lease lasts without renewal: a dead replica's executions are adopted after it. */
        public Builder leaseTtl(Duration value) {
            this.leaseTtl = positive("leaseTtl", value);
            return this;
        }

        /** How often held leases are renewed (default a third of the TTL). */
        public Builder leaseRenewInterval(Duration value) {
            this.leaseRenewInterval = positive("leaseRenewInterval", value);
            return this;
        }

        /** How often the store is scanned for executions whose lease has expired. */
        public Builder adoptionInterval(Duration value) {
            this.adoptionInterval = positive("adoptionInterval", value);
            return this;
        }

        /** How many entries of the active index one page of the adoption walk looks at (a round reads up to 16 pages). */
        public Builder adoptionBatch(int value) {
            this.adoptionBatch = value;
            return this;
        }

        /** How long an idempotency key keeps returning the same execution. */
        public Builder idempotencyTtl(Duration value) {
            this.idempotencyTtl = positive("idempotencyTtl", value);
            return this;
        }

        /** How long a blocking call waits for the state store before failing with UNAVAILABLE. */
        public Builder storeTimeout(Duration value) {
            this.storeTimeout = positive("storeTimeout", value);
            return this;
        }

        /** How long {@code start} waits for the idempotency claim and the first store write. */
        public Builder startTimeout(Duration value) {
            this.startTimeout = positive("startTimeout", value);
            return this;
        }

        public Builder maxInputBytes(int value) {
            this.maxInputBytes = value;
            return this;
        }

        public Builder maxResultBytes(int value) {
            this.maxResultBytes = value;
            return this;
        }

        /** How often the coordinator raises its journal floor (and carries long-running executions forward). */
        public Builder floorInterval(Duration value) {
            this.floorInterval = positive("floorInterval", value);
            return this;
        }

        /**
         * When an execution's oldest needed journal record lies more than this many records back (a
         * long step), its snapshot is journaled again so the floor can move past the old record.
         */
        public Builder carryAfterRecords(long value) {
            this.carryAfterRecords = value;
            return this;
        }

        /** How often a subscription polls the store for an execution another replica drives. */
        public Builder subscriptionPollInterval(Duration value) {
            this.subscriptionPollInterval = positive("subscriptionPollInterval", value);
            return this;
        }

        /**
         * How often the replica takes the cancels other replicas handed it (for executions it drives): a
         * cancel sent to any replica takes effect within about this long.
         */
        public Builder cancelPollInterval(Duration value) {
            this.cancelPollInterval = positive("cancelPollInterval", value);
            return this;
        }

        /** How often the scheduler thread beats (and republishes health). */
        public Builder heartbeatInterval(Duration value) {
            this.heartbeatInterval = positive("heartbeatInterval", value);
            return this;
        }

        /**
         * How long the coordinator may be stuck before it reports itself not live: its scheduler thread has
         * not beaten, or work is queued while no step attempt runs, starts or finishes (see README "Health").
         */
        public Builder livenessThreshold(Duration value) {
            this.livenessThreshold = positive("livenessThreshold", value);
            return this;
        }

        /**
         * How long the store keeps a finished execution. Recovery does not resume a journaled execution
         * that the store has no record of and that was last journaled longer ago than this: it may have
         * finished on another replica and expired since. The journal keeps its records this long, so that
         * {@code restoreStore} can give a store that lost its data its finished executions back (disk cost:
         * see saga/README.md). Set it to the store's retention.
         */
        public Builder storeRetention(Duration value) {
            this.storeRetention = positive("storeRetention", value);
            return this;
        }

        /**
         * The priority (Linux nice, 0..19) step attempts run at; 0 = as every other thread. Above 0, a step
         * that burns CPU yields the cores to the API, the Redis client and the health probes when they are
         * saturated (where the priority cannot be lowered, logged once, steps run as before). Threads a
         * step starts inherit it.
         */
        public Builder stepThreadNice(int value) {
            this.stepThreadNice = value;
            return this;
        }

        public Builder clock(RuntimeClock value) {
            this.clock = Objects.requireNonNull(value, "clock");
            return this;
        }

        public SagaCoordinatorOptions build() {
            Duration renew = leaseRenewInterval != null ? leaseRenewInterval : leaseTtl.dividedBy(3);
            return new SagaCoordinatorOptions(replicaId, concurrency, maxExecutions, leaseTtl, renew, adoptionInterval,
                    adoptionBatch, idempotencyTtl, storeTimeout, startTimeout, maxInputBytes, maxResultBytes,
                    floorInterval, carryAfterRecords, subscriptionPollInterval, cancelPollInterval, heartbeatInterval,
                    livenessThreshold, storeRetention, stepThreadNice, clock);
        }

        private static Duration positive(String field, Duration value) {
            if (value == null || value.isNegative() || value.isZero()) {
                throw new InvalidArgumentException(field, field + " must be positive, was " + value);
            }
            return value;
        }
    }
}
