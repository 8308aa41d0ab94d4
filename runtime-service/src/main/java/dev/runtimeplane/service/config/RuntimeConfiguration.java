package dev.runtimeplane.service.config;

import dev.runtimeplane.state.StateSurfaceOptions;
import dev.runtimeplane.wal.WalOptions;
import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The runtime's settings under {@code runtime.*} in application.yml. Every key can be overridden by
 * an environment variable ({@code runtime.wal.fsync-policy} -> {@code RUNTIME_WAL_FSYNC_POLICY});
 * {@code REDIS_URI} and {@code WAL_DIR} work as short forms. Defaults are the modules' own.
 */
@ConfigurationProperties("runtime")
public class RuntimeConfiguration {

    /** This replica's stable id for leases; empty = the id kept in the WAL directory (made on first start). */
    private String replicaId = "";

    public String getReplicaId() {
        return replicaId;
    }

    public void setReplicaId(String replicaId) {
        this.replicaId = replicaId;
    }

    /** {@code runtime.redis.*}. */
    @ConfigurationProperties("redis")
    public static class Redis {
        /** redis://, rediss://, redis-sentinel://, redis-cluster://; empty = development mode provisions one. */
        private String uri = "";
        private String keyPrefix = StateSurfaceOptions.DEFAULT_KEY_PREFIX;
        private Duration commandTimeout = StateSurfaceOptions.DEFAULT_COMMAND_TIMEOUT;
        /** How long a finished execution's status and events stay readable in Redis. */
        private Duration executionRetention = StateSurfaceOptions.DEFAULT_EXECUTION_RETENTION;

        public String getUri() {
            return uri;
        }

        public void setUri(String uri) {
            this.uri = uri;
        }

        public String getKeyPrefix() {
            return keyPrefix;
        }

        public void setKeyPrefix(String keyPrefix) {
            this.keyPrefix = keyPrefix;
        }

        public Duration getCommandTimeout() {
            return commandTimeout;
        }

        public void setCommandTimeout(Duration commandTimeout) {
            this.commandTimeout = commandTimeout;
        }

        public Duration getExecutionRetention() {
            return executionRetention;
        }

        public void setExecutionRetention(Duration executionRetention) {
            this.executionRetention = executionRetention;
        }
    }

    /** {@code runtime.wal.*}. */
    @ConfigurationProperties("wal")
    public static class Wal {
        private String dir = "data/wal";
        /** ALWAYS (group commit, fsync before acknowledging), INTERVAL or NONE. */
        private String fsyncPolicy = "ALWAYS";
        private Duration fsyncInterval = WalOptions.DEFAULT_FSYNC_INTERVAL;
        private long segmentSize = WalOptions.DEFAULT_SEGMENT_SIZE;
        private int maxRecordSize = WalOptions.DEFAULT_MAX_RECORD_SIZE;
        /** Appends waiting for the writer past these bounds are refused with OVERLOADED (503 + Retry-After). */
        private long maxPendingBytes = WalOptions.DEFAULT_MAX_PENDING_BYTES;
        private int maxPendingAppends = WalOptions.DEFAULT_MAX_PENDING_APPENDS;

        public String getDir() {
            return dir;
        }

        public void setDir(String dir) {
            this.dir = dir;
        }

        public String getFsyncPolicy() {
            return fsyncPolicy;
        }

        public void setFsyncPolicy(String fsyncPolicy) {
            this.fsyncPolicy = fsyncPolicy;
        }

        public Duration getFsyncInterval() {
            return fsyncInterval;
        }

        public void setFsyncInterval(Duration fsyncInterval) {
            this.fsyncInterval = fsyncInterval;
        }

        public long getSegmentSize() {
            return segmentSize;
        }

        public void setSegmentSize(long segmentSize) {
            this.segmentSize = segmentSize;
        }

        public int getMaxRecordSize() {
            return maxRecordSize;
        }

        public void setMaxRecordSize(int maxRecordSize) {
            this.maxRecordSize = maxRecordSize;
        }

        public long getMaxPendingBytes() {
            return maxPendingBytes;
        }

        public void setMaxPendingBytes(long maxPendingBytes) {
            this.maxPendingBytes = maxPendingBytes;
        }

        public int getMaxPendingAppends() {
            return maxPendingAppends;
        }

        public void setMaxPendingAppends(int maxPendingAppends) {
            this.maxPendingAppends = maxPendingAppends;
        }
    }

    /** {@code runtime.sessions.*}. */
    @ConfigurationProperties("sessions")
    public static class Sessions {
        private Duration defaultTtl = StateSurfaceOptions.DEFAULT_SESSION_TTL;
        private Duration maxTtl = StateSurfaceOptions.DEFAULT_MAX_SESSION_TTL;
        private int maxStateBytes = StateSurfaceOptions.DEFAULT_MAX_STATE_BYTES;
        /** A live session whose WAL records are this many records old is journaled again, so old segments can go. */
        private long journalCarryAfterRecords = StateSurfaceOptions.DEFAULT_JOURNAL_CARRY_AFTER_RECORDS;
        /** Sessions this replica's WAL tracks at most; a write that would add one more answers 503. */
        private int maxTracked = StateSurfaceOptions.DEFAULT_MAX_TRACKED_SESSIONS;
        /** Session writes waiting for Redis and the WAL at once; more answer 503. */
        private int maxWritesInFlight = StateSurfaceOptions.DEFAULT_MAX_SESSION_WRITES_IN_FLIGHT;
        /**
         * A file holding the secret (at least 32 bytes) that tokens of sessions created under an Idempotency-Key
         * are derived with; shared by every replica. Empty = random per process (a retry then gets its token back
         * only from the same process).
         */
        private String tokenSecretFile = "";

        public Duration getDefaultTtl() {
            return defaultTtl;
        }

        public void setDefaultTtl(Duration defaultTtl) {
            this.defaultTtl = defaultTtl;
        }

        public Duration getMaxTtl() {
            return maxTtl;
        }

        public void setMaxTtl(Duration maxTtl) {
            this.maxTtl = maxTtl;
        }

        public int getMaxStateBytes() {
            return maxStateBytes;
        }

        public void setMaxStateBytes(int maxStateBytes) {
            this.maxStateBytes = maxStateBytes;
        }

        public long getJournalCarryAfterRecords() {
            return journalCarryAfterRecords;
        }

        public void setJournalCarryAfterRecords(long journalCarryAfterRecords) {
            this.journalCarryAfterRecords = journalCarryAfterRecords;
        }

        public int getMaxTracked() {
            return maxTracked;
        }

        public void setMaxTracked(int maxTracked) {
            this.maxTracked = maxTracked;
        }

        public int getMaxWritesInFlight() {
            return maxWritesInFlight;
        }

        public void setMaxWritesInFlight(int maxWritesInFlight) {
            this.maxWritesInFlight = maxWritesInFlight;
        }

        public String getTokenSecretFile() {
            return tokenSecretFile;
        }

        public void setTokenSecretFile(String tokenSecretFile) {
            this.tokenSecretFile = tokenSecretFile;
        }
    }

    /** {@code runtime.saga.*}. */
    @ConfigurationProperties("saga")
    public static class Saga {
        /** Steps running at once across all executions; the rest queue. */
        private int maxConcurrency = 256;
        /** Executions a replica holds at most (running, queued, waiting to retry); past it a submit answers 503. */
        private int maxExecutions = 1024;
        /** How long a replica's claim on an execution lasts without renewal; a dead replica's work is adopted after it. */
        private Duration leaseTtl = Duration.ofSeconds(10);
        /** The priority (Linux nice 0..19) step attempts run at: CPU-bound steps yield to the API and the probes. */
        private int stepThreadNice = 10;

        public int getMaxConcurrency() {
            return maxConcurrency;
        }

        public void setMaxConcurrency(int maxConcurrency) {
            this.maxConcurrency = maxConcurrency;
        }

        public int getMaxExecutions() {
            return maxExecutions;
        }

        public void setMaxExecutions(int maxExecutions) {
            this.maxExecutions = maxExecutions;
        }

        public Duration getLeaseTtl() {
            return leaseTtl;
        }

        public void setLeaseTtl(Duration leaseTtl) {
            this.leaseTtl = leaseTtl;
        }

        public int getStepThreadNice() {
            return stepThreadNice;
        }

        public void setStepThreadNice(int stepThreadNice) {
            this.stepThreadNice = stepThreadNice;
        }
    }

    /** {@code runtime.admin.*}: the admin API (registering intent definitions) on its own port. */
    @ConfigurationProperties("admin")
    public static class Admin {
        /** The admin API's port; never routed by the load balancer. */
        private int port = 8082;
        /** Hex SHA-256 of the admin bearer token (the token itself is never configured in clear). */
        private String tokenSha256 = "";
        /** A file holding the admin token (e.g. /run/secrets/runtime-admin-token), hashed at start. */
        private String tokenFile = "";

        public int getPort() {
            return port;
        }

        public void setPort(int port) {
            this.port = port;
        }

        public String getTokenSha256() {
            return tokenSha256;
        }

        public void setTokenSha256(String tokenSha256) {
            this.tokenSha256 = tokenSha256;
        }

        public String getTokenFile() {
            return tokenFile;
        }

        public void setTokenFile(String tokenFile) {
            this.tokenFile = tokenFile;
        }
    }

    /** {@code runtime.intents.*}: declarative intent types. */
    @ConfigurationProperties("intents")
    public static class Intents {
        /** Directory of definition files (*.yaml, *.yml, *.json) loaded at start; empty = none. */
        private String definitionsDir = "";

        public String getDefinitionsDir() {
            return definitionsDir;
        }

        public void setDefinitionsDir(String definitionsDir) {
            this.definitionsDir = definitionsDir;
        }
    }

    /** {@code runtime.outbound.*}: what declarative steps may call, and the bounds on each call. */
    @ConfigurationProperties("outbound")
    public static class Outbound {
        /** {@code scheme://host:port} entries; empty = no outbound call is allowed. */
        private List<String> allow = new ArrayList<>();
        private Duration connectTimeout = Duration.ofSeconds(2);
        private int maxResponseBytes = 1 << 20;
        private int maxResultBytes = 32 * 1024;
        private int maxConnections = 64;

        public List<String> getAllow() {
            return allow;
        }

        public void setAllow(List<String> allow) {
            this.allow = allow;
        }

        public Duration getConnectTimeout() {
            return connectTimeout;
        }

        public void setConnectTimeout(Duration connectTimeout) {
            this.connectTimeout = connectTimeout;
        }

        public int getMaxResponseBytes() {
            return maxResponseBytes;
        }

        public void setMaxResponseBytes(int maxResponseBytes) {
            this.maxResponseBytes = maxResponseBytes;
        }

        public int getMaxResultBytes() {
            return maxResultBytes;
        }

        public void setMaxResultBytes(int maxResultBytes) {
            this.maxResultBytes = maxResultBytes;
        }

        public int getMaxConnections() {
            return maxConnections;
        }

        public void setMaxConnections(int maxConnections) {
            this.maxConnections = maxConnections;
        }
    }
}
