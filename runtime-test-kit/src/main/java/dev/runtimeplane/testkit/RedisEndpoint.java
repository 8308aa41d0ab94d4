package dev.runtimeplane.testkit;

/**
 * Where a test's Redis answers.
 *
 * @param uri    a Lettuce/Redis URI such as {@code redis://127.0.0.1:6379}
 * @param source how it was obtained, for log lines and failure messages
 */
public record RedisEndpoint(String uri, String source) {
}
