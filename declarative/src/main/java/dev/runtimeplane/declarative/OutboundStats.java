package dev.runtimeplane.declarative;

/**
 * The outbound connection pool, for metrics and health details: calls waiting for a connection are the
 * pool's queue (each waits at most its step's timeout, then fails as a retryable connection error).
 *
 * @param leased    connections in use
 * @param pending   calls waiting for a connection
 * @param available idle connections kept for reuse
 * @param max       the bound on connections ({@link OutboundPolicy#maxConnections()})
 */
public record OutboundStats(int leased, int pending, int available, int max) {
}
