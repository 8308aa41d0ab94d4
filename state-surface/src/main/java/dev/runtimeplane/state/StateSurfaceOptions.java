package dev.runtimeplane.state;

import dev.runtimeplane.core.error.InvalidArgumentException;
import dev.runtimeplane.core.time.RuntimeClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Objects;

/**
 * How a {@link StateSurface} reaches Redis and the limits it enforces. Build with {@link #builder()};
 * only {@code redisUri} is required.
 *
 * <p>The URI's scheme picks the connection mode (see {@code state-surface/README.md}):
 * {@code redis://} and {@code rediss://} a single server, {@code redis-sentinel://} and
 * {@code rediss-sentinel://} a Sentinel-managed master ({@code redis-sentinel://host:26379,host2:26379#mymaster}),
 * {@code redis-cluster://} and {@code rediss-cluster://} a Redis Cluster given by one or more seed nodes
 * ({@code redis-cluster://host1:7000,host2:7001}).
 */
public final class StateSurfaceOptions {

    public static final String DEFAULT_KEY_PREFIX = "rp";
    public static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(2);
    public static final Duration DEFAULT_HEALTH_INTERVAL = Duration.ofMillis(500);
    public static final Duration DEFAULT_HEALTH_TIMEOUT = Duration.ofSeconds(1);
    public static final Duration DEFAULT_RECONNECT_DELAY_MAX = Duration.ofSeconds(1);
    public static final int DEFAULT_MAX_STATE_BYTES = 1024 * 1024;
    public static final Duration DEFAULT_SESSION_TTL = Duration.ofMinutes(30);
    public static final Duration DEFAULT_MAX_SESSION_TTL = Duration.ofHours(24);
    public static final Duration DEFAULT_JOURNAL_FLOOR_INTERVAL = Duration.ofSeconds(1);
    public static final long DEFAULT_JOURNAL_CARRY_AFTER_RECORDS = 100_000;
    public static final Duration DEFAULT_EXECUTION_RETENTION = Duration.ofDays(7);
    public static final Duration DEFAULT_PENDING_STATE_DEADLINE = Duration.ofSeconds(5);
    public static final int DEFAULT_MAX_TRACKED_SESSIONS = 250_000;
    public static final int MIN_SESSION_TOKEN_SECRET_BYTES = 32;
    public static final int DEFAULT_MAX_SESSION_WRITES_IN_FLIGHT = 4096;
    public static final int DEFAULT_CLOSE_FEED_LENGTH = 10_000;

    private final RedisTarget target;
    private final String keyPrefix;
    private final Duration commandTimeout;
    private final Duration healthInterval;
    private final Duration healthTimeout;
    private final Duration reconnectDelayMax;
    private final int maxStateBytes;
    private final Duration defaultSessionTtl;
    private final Duration maxSessionTtl;
    private final Duration journalFloorInterval;
    private final long journalCarryAfterRecords;
    private final Duration executionRetention;
    private final Duration pendingStateDeadline;
    private final int maxTrackedSessions;
    private final int maxSessionsPerTenant;
    private final byte[] sessionTokenSecret;
    private final int maxSessionWritesInFlight;
    private final int closeFeedLength;
    private final RuntimeClock clock;

    private StateSurfaceOptions(Builder builder) {
        this.commandTimeout = positive("commandTimeout", builder.commandTimeout);
        this.target = RedisTarget.parse(Objects.requireNonNull(builder.redisUri, "redisUri is required"), commandTimeout);
        this.keyPrefix = KeyLayout.requireValidPrefix(builder.keyPrefix);
        this.healthInterval = positive("healthInterval", builder.healthInterval);
        this.healthTimeout = positive("healthTimeout", builder.healthTimeout);
        this.reconnectDelayMax = positive("reconnectDelayMax", builder.reconnectDelayMax);
        if (builder.maxStateBytes < 2) {
            throw new InvalidArgumentException("maxStateBytes", "maxStateBytes must be at least 2 (the size of {})");
        }
        this.maxStateBytes = builder.maxStateBytes;
        this.defaultSessionTtl = positive("defaultSessionTtl", builder.defaultSessionTtl);
        this.maxSessionTtl = positive("maxSessionTtl", builder.maxSessionTtl);
        if (defaultSessionTtl.compareTo(maxSessionTtl) > 0) {
            throw new InvalidArgumentException("defaultSessionTtl", "defaultSessionTtl " + defaultSessionTtl
                    + " is longer than maxSessionTtl " + maxSessionTtl);
        }
        this.journalFloorInterval = positive("journalFloorInterval", builder.journalFloorInterval);
        if (builder.journalCarryAfterRecords < 1) {
            throw new InvalidArgumentException("journalCarryAfterRecords",
                    "journalCarryAfterRecords must be at least 1, was " + builder.journalCarryAfterRecords);
        }
        this.journalCarryAfterRecords = builder.journalCarryAfterRecords;
        this.executionRetention = positive("executionRetention", builder.executionRetention);
        this.pendingStateDeadline = positive("pendingStateDeadline", builder.pendingStateDeadline);
        this.maxTrackedSessions = atLeastOne("maxTrackedSessions", builder.maxTrackedSessions);
        if (builder.maxSessionsPerTenant < 0) {
            throw new IllegalArgumentException("maxSessionsPerTenant must be 0 (no limit) or more");
        }
        this.maxSessionsPerTenant = builder.maxSessionsPerTenant;
        if (builder.sessionTokenSecret.length < MIN_SESSION_TOKEN_SECRET_BYTES) {
            throw new IllegalArgumentException("sessionTokenSecret must have at least " + MIN_SESSION_TOKEN_SECRET_BYTES
                    + " bytes");
        }
        this.sessionTokenSecret = builder.sessionTokenSecret.clone();
        this.maxSessionWritesInFlight = atLeastOne("maxSessionWritesInFlight", builder.maxSessionWritesInFlight);
        this.closeFeedLength = atLeastOne("closeFeedLength", builder.closeFeedLength);
        this.clock = Objects.requireNonNull(builder.clock, "clock");
    }

    public static Builder builder() {
        return new Builder();
    }

    RedisTarget target() {
        return target;
    }

    public String keyPrefix() {
        return keyPrefix;
    }

    /** The limit for every Redis command, including connecting; a call fails with UnavailableException after it. */
    public Duration commandTimeout() {
        return commandTimeout;
    }

    /** How often the background probe PINGs Redis. */
    public Duration healthInterval() {
        return healthInterval;
    }

    /** A PING unanswered for this long turns health DOWN (at most the command timeout). */
    public Duration healthTimeout() {
        return healthTimeout.compareTo(commandTimeout) < 0 ? healthTimeout : commandTimeout;
    }

    /** The longest pause between two reconnection attempts while Redis is away. */
    public Duration reconnectDelayMax() {
        return reconnectDelayMax;
    }

    /** The largest session state document, in UTF-8 bytes. */
    public int maxStateBytes() {
        return maxStateBytes;
    }

    public Duration defaultSessionTtl() {
        return defaultSessionTtl;
    }

    public Duration maxSessionTtl() {
        return maxSessionTtl;
    }

    /** How often the session journal raises its floor (and carries old sessions forward). */
    public Duration journalFloorInterval() {
        return journalFloorInterval;
    }

    /**
     * A live session whose needed journal records are more than this many records old is journaled
     * again (read from Redis), so that the journal can delete the segments behind it.
     */
    public long journalCarryAfterRecords() {
        return journalCarryAfterRecords;
    }

    /** How long a finished execution's record, status and events stay in Redis after it ended. */
    public Duration executionRetention() {
        return executionRetention;
    }

    /**
     * A pending state version (staged in Redis, its journal record not yet known durable) older than
     * this counts as stalled: the next writer to meet it journals it itself and promotes it.
     */
    public Duration pendingStateDeadline() {
        return pendingStateDeadline;
    }

    /** How many sessions the session journal tracks at most; a write that would add one more answers 503. */
    public int maxTrackedSessions() {
        return maxTrackedSessions;
    }

    /** The secret tokens of sessions created under an Idempotency-Key are derived with (never printed). */
    public byte[] sessionTokenSecret() {
        return sessionTokenSecret.clone();
    }

    /** Open sessions one tenant may have across every replica (counted in Redis); 0 = no limit. */
    public int maxSessionsPerTenant() {
        return maxSessionsPerTenant;
    }

    /** How many session writes may wait for Redis and the journal at once; more answer 503. */
    public int maxSessionWritesInFlight() {
        return maxSessionWritesInFlight;
    }

    /** About how many closes the Redis stream that tells other replicas of them keeps (XADD MAXLEN ~). */
    public int closeFeedLength() {
        return closeFeedLength;
    }

    public RuntimeClock clock() {
        return clock;
    }

    private static int atLeastOne(String field, int value) {
        if (value < 1) {
            throw new InvalidArgumentException(field, field + " must be at least 1, was " + value);
        }
        return value;
    }

    private static Duration positive(String field, Duration value) {
        Objects.requireNonNull(value, field);
        if (value.isNegative() || value.isZero() || value.toMillis() < 1) {
            throw new InvalidArgumentException(field, field + " must be at least 1 ms, was " + value);
        }
        return value;
    }

    public static final class Builder {

        private String redisUri;
        private String keyPrefix = DEFAULT_KEY_PREFIX;
        private Duration commandTimeout = DEFAULT_COMMAND_TIMEOUT;
        private Duration healthInterval = DEFAULT_HEALTH_INTERVAL;
        private Duration healthTimeout = DEFAULT_HEALTH_TIMEOUT;
        private Duration reconnectDelayMax = DEFAULT_RECONNECT_DELAY_MAX;
        private int maxStateBytes = DEFAULT_MAX_STATE_BYTES;
        private Duration defaultSessionTtl = DEFAULT_SESSION_TTL;
        private Duration maxSessionTtl = DEFAULT_MAX_SESSION_TTL;
        private Duration journalFloorInterval = DEFAULT_JOURNAL_FLOOR_INTERVAL;
        private long journalCarryAfterRecords = DEFAULT_JOURNAL_CARRY_AFTER_RECORDS;
        private Duration executionRetention = DEFAULT_EXECUTION_RETENTION;
        private Duration pendingStateDeadline = DEFAULT_PENDING_STATE_DEADLINE;
        private int maxTrackedSessions = DEFAULT_MAX_TRACKED_SESSIONS;
        private int maxSessionsPerTenant;
        private byte[] sessionTokenSecret = randomSecret();
        private int maxSessionWritesInFlight = DEFAULT_MAX_SESSION_WRITES_IN_FLIGHT;
        private int closeFeedLength = DEFAULT_CLOSE_FEED_LENGTH;
        private RuntimeClock clock = RuntimeClock.system();

        private Builder() {
        }

        /** Where Redis is; the scheme picks standalone, Sentinel or Cluster (see the class comment). */
        public Builder redisUri(String redisUri) {
            this.redisUri = redisUri;
            return this;
        }

        /** The first part of every key, 1 to 32 characters from {@code [A-Za-z0-9_.-]}; default {@code rp}. */
        public Builder keyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
            return this;
        }

        public Builder commandTimeout(Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
            return this;
        }

        public Builder healthInterval(Duration healthInterval) {
            this.healthInterval = healthInterval;
            return this;
        }

        public Builder healthTimeout(Duration healthTimeout) {
            this.healthTimeout = healthTimeout;
            return this;
        }

        public Builder reconnectDelayMax(Duration reconnectDelayMax) {
            this.reconnectDelayMax = reconnectDelayMax;
            return this;
        }

        public Builder maxStateBytes(int maxStateBytes) {
            this.maxStateBytes = maxStateBytes;
            return this;
        }

        public Builder defaultSessionTtl(Duration defaultSessionTtl) {
            this.defaultSessionTtl = defaultSessionTtl;
            return this;
        }

        public Builder maxSessionTtl(Duration maxSessionTtl) {
            this.maxSessionTtl = maxSessionTtl;
            return this;
        }

        public Builder journalFloorInterval(Duration journalFloorInterval) {
            this.journalFloorInterval = journalFloorInterval;
            return this;
        }

        public Builder journalCarryAfterRecords(long journalCarryAfterRecords) {
            this.journalCarryAfterRecords = journalCarryAfterRecords;
            return this;
        }

        public Builder executionRetention(Duration executionRetention) {
            this.executionRetention = executionRetention;
            return this;
        }

        public Builder pendingStateDeadline(Duration pendingStateDeadline) {
            this.pendingStateDeadline = pendingStateDeadline;
            return this;
        }

        public Builder maxTrackedSessions(int maxTrackedSessions) {
            this.maxTrackedSessions = maxTrackedSessions;
            return this;
        }

        /**
         * The secret a session created under an Idempotency-Key derives its token with, so that a retry gets the
         * same token without it being stored. Every replica must share it for a retry on another replica (or
         * after a restart) to get the token back; the default is random per process.
         */
        public Builder sessionTokenSecret(byte[] sessionTokenSecret) {
            this.sessionTokenSecret = Objects.requireNonNull(sessionTokenSecret, "sessionTokenSecret").clone();
            return this;
        }

        /** Past it a create fails with {@code TenantLimitException} ({@code sessions-open}); 0 = no limit. */
        public Builder maxSessionsPerTenant(int maxSessionsPerTenant) {
            this.maxSessionsPerTenant = maxSessionsPerTenant;
            return this;
        }

        public Builder maxSessionWritesInFlight(int maxSessionWritesInFlight) {
            this.maxSessionWritesInFlight = maxSessionWritesInFlight;
            return this;
        }

        public Builder closeFeedLength(int closeFeedLength) {
            this.closeFeedLength = closeFeedLength;
            return this;
        }

        /**
         * The clock for timestamps (session created/expires, health snapshots). Redis enforces TTLs
         * with its own clock, and timeouts run on real time.
         */
        public Builder clock(RuntimeClock clock) {
            this.clock = clock;
            return this;
        }

        public StateSurfaceOptions build() {
            return new StateSurfaceOptions(this);
        }
    }

    private static byte[] randomSecret() {
        byte[] secret = new byte[MIN_SESSION_TOKEN_SECRET_BYTES];
        new SecureRandom().nextBytes(secret);
        return secret;
    }
}
